/**
 * The one place that builds and parses claim scope keys and claim ids, and bounds every key component in bytes.
 *
 * DynamoDB limits a partition key to 2 048 bytes and a sort key to 1 024 bytes (UTF-8). Health gives ARNs, entity
 * values and Regions of up to 1 600 characters (up to 6.4 KB in UTF-8), so a component over its budget is stored as
 * a readable prefix plus the SHA-256 of the full value: distinct values keep distinct keys, equal values equal keys.
 * The full values stay on the items as attributes.
 */
import { createHash } from 'node:crypto';

/** Bytes a single key component may take (account, SLA id, Region/resource, eventArn). */
export const KEY_PART_BYTES = 300;

/** `value` if it fits `maxBytes` in UTF-8 (and has no `#`-ambiguity issue), else a prefix + `~` + SHA-256 hex. */
export function boundedKeyPart(value: string, maxBytes = KEY_PART_BYTES): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  const hash = createHash('sha256').update(value, 'utf8').digest('hex');
  return `${utf8Prefix(value, maxBytes - hash.length - 1)}~${hash}`;
}

/** The longest prefix of `value` that fits `maxBytes` in UTF-8 without splitting a character. */
export function utf8Prefix(value: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of value) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return value.slice(0, end);
}

/** `<account>#<slaId>#<Region or resource>`, each part bounded: one claim per scope key and month. */
export function scopeKeyOf(account: string, slaId: string, regionOrResource: string): string {
  return `${boundedKeyPart(account, 64)}#${boundedKeyPart(slaId, 64)}#${boundedKeyPart(regionOrResource)}`;
}

/** `<scope key>#<YYYY-MM>`. */
export function claimIdOf(scopeKey: string, month: string): string {
  return `${scopeKey}#${month}`;
}

/** The scope key and month of a claim id built by `claimIdOf`. */
export function parseClaimId(claimId: string): { scopeKey: string; month: string } {
  const month = claimId.slice(-7);
  if (!/^\d{4}-\d{2}$/.test(month) || claimId[claimId.length - 8] !== '#') throw new Error(`claimId: not <scope>#<YYYY-MM> (got ${JSON.stringify(claimId.slice(0, 120))})`);
  return { scopeKey: claimId.slice(0, -8), month };
}

/** `<account>#<eventArn>` bounded: the incident's identity in keys and in a claim's window map. */
export function incidentKeyOf(account: string, eventArn: string): string {
  return `${boundedKeyPart(account, 64)}#${boundedKeyPart(eventArn)}`;
}
