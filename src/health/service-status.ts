/**
 * What one Health update says about each service: listed as impacted now, or as recovered. Pure.
 *
 * AWS writes both lists into the description of a multi-service event, update by update, e.g. (AWS's own sample,
 * docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html):
 *   "The following AWS services were previously impacted but are now operating normally: APPSYNC, BACKUP, EVENTS."
 * and, while the impact lasts, "The following AWS services are impacted: EC2, LAMBDA." The windows of
 * src/pipeline/windows.ts are built from these lists.
 */
import { serviceListings, splitServiceList } from './services.ts';

/** An item of a "recovered" list as a code: upper-cased, "Amazon "/"AWS " dropped, only code-like words kept. */
function recoveredCode(item: string): string | undefined {
  const code = item.trim().replace(/^(?:amazon|aws)\s+/i, '').toUpperCase();
  return /^[A-Z0-9_]{2,64}$/.test(code) ? code : undefined;
}

/** Service codes the description says are operating normally again. */
export function recoveredServices(description: string): string[] {
  const out: string[] = [];
  const re = /\b(?:(?:are|is)\s+now\s+operating\s+normally|have\s+(?:fully\s+)?recovered|recovered\s+services?)\s*:\s*([^\n]*?)(?=\.(?:\s|$)|\n|$)/gi;
  for (const m of description.matchAll(re)) {
    for (const code of splitServiceList(m[1] ?? '', recoveredCode)) if (!out.includes(code)) out.push(code);
  }
  return out;
}

/** A list phrase about services that are no longer impacted ("were previously impacted but are now operating normally"). */
const RECOVERY_PHRASE_RE = /\bpreviously\b|\bno\s+longer\b|\brecover(?:ed|ing)\b|\bresolved\b|\boperating\s+normally\b|\brestored\b/i;

/**
 * Service codes the description lists as impacted now: the impact lists of `serviceListings` (negations already left
 * out) whose phrase does not speak of recovery. "The following AWS services are impacted: EC2, LAMBDA" → EC2, LAMBDA;
 * "…were previously impacted but are now operating normally: STS" → nothing.
 */
export function impactedServices(description: string): string[] {
  const out: string[] = [];
  for (const { phrase, codes } of serviceListings(description)) {
    if (RECOVERY_PHRASE_RE.test(phrase)) continue;
    for (const code of codes) if (!out.includes(code)) out.push(code);
  }
  return out;
}

/** Codes kept per list on an update record (each code ≤ 64 bytes): a few KB at most, whatever the description. */
export const MAX_LISTED_SERVICES = 100;

export interface ServiceStatusLists {
  impacted: string[];
  recovered: string[];
}

/**
 * Both lists of one update. A service listed both ways (AWS keeps a cumulative "previously impacted" list, and a
 * service can be impacted again, as STS was on 20 October 2025) counts as impacted: the newer news.
 */
export function serviceStatusLists(description: string): ServiceStatusLists {
  const impacted = impactedServices(description).slice(0, MAX_LISTED_SERVICES);
  const recovered = recoveredServices(description).filter((c) => !impacted.includes(c)).slice(0, MAX_LISTED_SERVICES);
  return { impacted, recovered };
}
