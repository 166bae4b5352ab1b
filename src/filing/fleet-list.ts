/**
 * A fleet claim's full resource list for its Support case: read per part from the content-addressed resource lists
 * (src/pipeline/ports.ts `ResourceListStore`), and, when it does not fit the case body, written as CSV attachments
 * (one row per resource: its incidents, downtime and credit), split to fit the Support API's attachment limits.
 */
import { incidentKeyOf } from '../claims/ids.ts';
import type { Claim } from '../claims/types.ts';
import { partResources, type ResourceListStore } from '../pipeline/ports.ts';
import type { Attachment } from './support-api.ts';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './support-limits.ts';

export const FLEET_CSV_HEADER = 'resource,incidents,downtime_minutes,uptime_percent,credit_percent';

/**
 * The full resource list of each part of a fleet claim, in the parts' order, each checked against its part's count.
 * One read of every chunk (`getResourceLists`), then `partResources` per part over what was read.
 */
export async function readFleetLists(claim: Claim, lists: ResourceListStore): Promise<string[][]> {
  const parts = claim.fleet?.parts ?? [];
  const ids = parts.flatMap((p) => p.chunks ?? []);
  const read = ids.length ? await lists.getResourceLists(ids) : new Map<string, string[]>();
  const out: string[][] = [];
  for (const [i, part] of parts.entries()) {
    const list = partResources(part, read);
    if (list.length !== part.resourceCount) {
      throw new Error(`claim ${claim.claimId}: fleet group ${i + 1} counts ${part.resourceCount} resources but its resource list holds ${list.length}`);
    }
    out.push(list);
  }
  return out;
}

/** The Health event ARN of each incident key of the claim (the parts name incidents by key). */
export function eventArnsByKey(claim: Claim): Map<string, string> {
  return new Map(claim.evidence.map((e) => [incidentKeyOf(claim.account, e.eventArn), e.eventArn]));
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break; a leading =+-@ is quoted too (spreadsheets). */
export function csvCell(value: string): string {
  return /[",\r\n]|^[=+\-@]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function fleetCsvName(claim: Pick<Claim, 'slaId' | 'region' | 'month'>, index: number, total: number): string {
  const base = `${claim.slaId}-${claim.region}-${claim.month}-resources`.replace(/[^A-Za-z0-9._-]/g, '_');
  return total > 1 ? `${base}-${index + 1}-of-${total}.csv` : `${base}.csv`;
}

export class FleetListTooLargeError extends Error {
  override readonly name = 'FleetListTooLargeError';
}

/**
 * The CSV files of a fleet claim's resource list (each with the header row, each at most `maxBytes`), at most
 * `maxFiles` of them: one set takes 3 attachments of 5 MB. A longer list is an error naming the claim and the size.
 */
export function fleetCsvFiles(claim: Claim, lists: readonly (readonly string[])[], maxFiles = MAX_ATTACHMENTS, maxBytes = MAX_ATTACHMENT_BYTES): Attachment[] {
  const parts = claim.fleet?.parts ?? [];
  const arns = eventArnsByKey(claim);
  const header = `${FLEET_CSV_HEADER}\r\n`;
  const headerBytes = Buffer.byteLength(header, 'utf8');
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = headerBytes;
  let total = 0;
  for (const [i, part] of parts.entries()) {
    const incidents = part.incidents.map((key) => arns.get(key) ?? key.slice(key.indexOf('#') + 1)).join(' ');
    const tail = `,${csvCell(incidents)},${part.downtimeMinutes},${part.uptimePercent},${part.creditPercent}\r\n`;
    for (const resource of lists[i] ?? []) {
      const row = `${csvCell(resource)}${tail}`;
      const size = Buffer.byteLength(row, 'utf8');
      total += size;
      if (headerBytes + size > maxBytes) throw new FleetListTooLargeError(`claim ${claim.claimId}: one CSV row (${resource.slice(0, 80)}) is ${size} bytes, over the ${maxBytes}-byte attachment limit`);
      if (bytes + size > maxBytes) {
        chunks.push(current);
        current = [];
        bytes = headerBytes;
      }
      current.push(row);
      bytes += size;
    }
  }
  if (current.length) chunks.push(current);
  if (chunks.length > maxFiles) {
    const count = lists.reduce((n, l) => n + l.length, 0);
    throw new FleetListTooLargeError(
      `claim ${claim.claimId}: its list of ${count} resources is ${total + headerBytes} bytes of CSV, more than ${maxFiles} attachment(s) of ${maxBytes} bytes (the Support API takes 3 attachments of 5 MB per set); split the contract's coverage or file it by hand`,
    );
  }
  return chunks.map((rows, i) => ({ fileName: fleetCsvName(claim, i, chunks.length), data: Buffer.from(header + rows.join(''), 'utf8') }));
}
