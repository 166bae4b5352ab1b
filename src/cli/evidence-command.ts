/**
 * `sla-claims evidence <claimId> [--db DIR] [--out DIR]`
 *
 * Writes a claim's measured series, as stored when it was read from CloudWatch, to DIR/<claim>.csv (every interval)
 * and DIR/<claim>.html (a self-contained chart of the error rate per interval, Health windows shaded), to attach to
 * the claim. The store is the one `sla-claims process --db DIR` filled (DynamoDB Local is started on it, read,
 * stopped). Bad input is one line, exit 2; nothing is written then.
 * A fleet claim (every affected resource of the account and Region) also gets DIR/<claim>.resources.txt, the full
 * list of its resources (one a line), and the page says what the series over them means for each resource.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INLINE_RESOURCES } from '../claims/fleet.ts';
import { parseClaimId } from '../claims/ids.ts';
import { evidenceCsv, evidenceHtml, evidenceRows, type EvidenceFleet } from '../metrics/evidence.ts';
import { expandSeries } from '../metrics/stored-series.ts';
import type { ScopeSeries } from '../metrics/types.ts';
import { DynamoClaimStore } from '../store/claim-store.ts';
import { DynamoSeriesStore, type StoredSeries } from '../store/series-store.ts';
import type { Claim, Fleet, WindowMap } from '../claims/types.ts';
import { fleetResources } from '../pipeline/ports.ts';
import { parseOptions, UsageError } from './args.ts';
import type { Io } from './io.ts';
import { startStore, storeFolderToRead } from './paths.ts';
import { DEFAULT_DB_DIR } from './summary-command.ts';

export const DEFAULT_EVIDENCE_DIR = 'out/evidence';
const USAGE = 'usage: evidence <claimId> [--db DIR] [--out DIR]';

/** A file name for a claim id (which holds `#`, and ARNs with `:` and `/`): readable, bounded, distinct. */
export function evidenceFileBase(claimId: string): string {
  const safe = claimId.replace(/[^A-Za-z0-9._-]+/g, '_');
  if (safe === claimId && safe.length <= 120) return safe;
  return `${safe.slice(0, 100)}-${createHash('sha256').update(claimId).digest('hex').slice(0, 10)}`;
}

function outFolder(dir: string): string {
  if (dir.trim() === '') throw new UsageError(`--out: expected a folder (got ${JSON.stringify(dir)})`);
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new UsageError(`--out: ${JSON.stringify(dir)} is a file; expected a folder (created when missing)`);
  return dir;
}

export interface EvidenceFiles {
  csvFile: string;
  htmlFile: string;
  /** Fleet claims: the full resource list. */
  resourcesFile?: string;
  stored: StoredSeries;
}

/** A fleet claim's resources for the evidence files: its count, parts and full list. */
export interface FleetEvidence {
  fleet: Fleet;
  resources: readonly string[];
}

export async function evidenceCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(argv, { db: { type: 'string' }, out: { type: 'string' } }, true);
  if (positionals.length === 0) throw new UsageError(`a claim id is required, like 123456789012#dynamodb#us-east-1#2025-10; ${USAGE}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}; ${USAGE}`);
  const claimId = positionals[0]!;
  try {
    parseClaimId(claimId);
  } catch {
    throw new UsageError(`claim id: expected <account>#<sla>#<Region or resource>#<YYYY-MM>, like 123456789012#dynamodb#us-east-1#2025-10 (got ${JSON.stringify(claimId.slice(0, 200))})`);
  }
  const outDir = outFolder(values.out ?? DEFAULT_EVIDENCE_DIR);
  const dbDir = storeFolderToRead(values.db ?? DEFAULT_DB_DIR);
  const local = await startStore(dbDir);
  let stored: StoredSeries | null;
  let windows: WindowMap | undefined;
  let fleet: FleetEvidence | undefined;
  try {
    const store = new DynamoClaimStore(local.db);
    const claims = await store.getForRecompute([claimId]);
    if (!claims.has(claimId)) throw new UsageError(`claim ${JSON.stringify(claimId)}: not in the store ${JSON.stringify(dbDir)} (list a month's claims with \`sla-claims summary --month YYYY-MM --db ${dbDir} --json\`)`);
    windows = claims.get(claimId)!.windows;
    // The full read kept by the collector, else the compact form the claim itself keeps (`process --metrics`).
    stored = (await new DynamoSeriesStore(local.db).get(claimId)) ?? fromClaim(claims.get(claimId)!.claim);
    const claimFleet = claims.get(claimId)!.claim.fleet;
    if (stored && claimFleet) fleet = { fleet: claimFleet, resources: await fleetResources(claimFleet.parts, store) };
  } finally {
    await local.stop();
  }
  if (!stored) {
    throw new UsageError(`claim ${JSON.stringify(claimId)}: no measured series is stored for it (its amount rests on the AWS Health window); nothing to write`);
  }
  const files = writeEvidenceFiles(stored, windows ?? {}, outDir, Date.now(), fleet);
  io.out(`CSV:  ${files.csvFile}`);
  io.out(`HTML: ${files.htmlFile}`);
  if (files.resourcesFile) io.out(`Resources: ${files.resourcesFile}`);
  const h = stored.head;
  io.out(`${h.pointCount} intervals with data of ${Math.round((h.toMs - h.fromMs) / (h.periodSeconds * 1000))} read at ${h.periodSeconds} s, ${h.resourceCount} resource${h.resourceCount === 1 ? '' : 's'}, ${h.generation === 'claim' ? `as kept on the claim (computed ${h.collectedAt})` : `collected ${h.collectedAt}`}${h.unmeasuredCount ? `; ${h.unmeasuredCount} intervals not measured` : ''}`);
  if (fleet) {
    const f = fleet.fleet;
    io.out(`fleet claim: ${f.resourceCount} resource${f.resourceCount === 1 ? '' : 's'} in ${f.parts.length} part${f.parts.length === 1 ? '' : 's'}${f.parts.length > 1 ? ' (hit by different incidents: the series is not applied, the claim rests on the AWS Health window)' : ''}`);
  }
  return 0;
}

export function writeEvidenceFiles(stored: StoredSeries, windows: WindowMap, outDir: string, nowMs = Date.now(), fleet?: FleetEvidence): EvidenceFiles {
  const base = evidenceFileBase(stored.head.claimId);
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const rows = evidenceRows(stored.series);
  const csvFile = join(dir, `${base}.csv`);
  const htmlFile = join(dir, `${base}.html`);
  writeFileSync(csvFile, evidenceCsv(stored.series, rows), 'utf8');
  let resourcesFile: string | undefined;
  let fleetOption: EvidenceFleet | undefined;
  if (fleet) {
    resourcesFile = join(dir, `${base}.resources.txt`);
    writeFileSync(resourcesFile, fleet.resources.map((r) => `${r}\n`).join(''), 'utf8');
    fleetOption = { resourceCount: fleet.fleet.resourceCount, parts: fleet.fleet.parts.length, sample: fleet.resources.slice(0, INLINE_RESOURCES), listFile: `${base}.resources.txt` };
  }
  const chartWindows = Object.values(windows).map((w) => ({ startMs: w.startMs, endMs: w.endMs, label: `${w.service} ${w.eventTypeCode}` }));
  writeFileSync(htmlFile, evidenceHtml(stored.series, { title: `Measured evidence: ${stored.head.claimId}`, windows: chartWindows, nowMs, ...(fleetOption ? { fleet: fleetOption } : {}) }, rows), 'utf8');
  return { csvFile, htmlFile, ...(resourcesFile ? { resourcesFile } : {}), stored };
}

/** The series a measured claim keeps on itself (the month's part, 5-minute intervals for error-rate SLAs). */
export function fromClaim(claim: Claim): StoredSeries | null {
  if (!claim.measuredSeries) return null;
  const m = claim.measuredSeries;
  const series: ScopeSeries = {
    account: claim.account,
    region: claim.region,
    slaId: claim.slaId,
    resource: claim.resource,
    metrics: m.metrics,
    resourceCount: m.resourceCount,
    ...expandSeries(m),
  };
  return {
    series,
    head: {
      claimId: claim.claimId,
      slaId: claim.slaId,
      account: claim.account,
      region: claim.region,
      kind: series.kind,
      periodSeconds: series.periodSeconds,
      metrics: series.metrics,
      resourceCount: series.resourceCount,
      fromMs: series.fromMs,
      toMs: series.toMs,
      pointCount: series.points.length,
      unmeasuredCount: 0,
      bytes: 0,
      chunks: 0,
      generation: 'claim',
      windowsKey: '',
      final: true,
      collectedAt: claim.computedAt,
      note: 'as kept on the claim',
    },
  };
}
