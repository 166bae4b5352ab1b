/**
 * Which services a Health event is about: from `detail.service`, the service codes its description lists, and its
 * affected entities. Pure; the rule is described in parse.ts's module comment ("Services rule").
 */
import { HealthEventParseError, type AffectedEntity } from './types.ts';

export const MULTIPLE_SERVICES = 'MULTIPLE_SERVICES';

/** Entity values that are placeholders, not services. */
const NON_SERVICE_ENTITIES = new Set(['AWS_ACCOUNT', 'UNKNOWN', MULTIPLE_SERVICES, 'NONE', 'N/A']);

/**
 * Splits the text after a list-introducing colon into service codes: the list ends at the first sentence end
 * (". " / end of text), items are separated by ",", "and" or "&". `normalise` turns one item into a code (or
 * undefined to drop it); callers differ in what they accept. Codes are de-duplicated, in order.
 */
export function splitServiceList(listText: string, normalise: (item: string) => string | undefined): string[] {
  const out: string[] = [];
  const list = listText.split(/\.(?:\s|$)/)[0] ?? '';
  for (const piece of list.split(/,|\s+and\s+|\s+&\s+/i)) {
    const code = normalise(piece);
    if (code !== undefined && !out.includes(code)) out.push(code);
  }
  return out;
}

/** Words that can never be a service code in a list. */
const LIST_STOPWORDS = new Set(['AND', 'OR', 'THE', 'AWS', 'AMAZON', 'SERVICES', 'SERVICE', 'ETC']);

function normaliseServiceToken(raw: string): string | undefined {
  let t = raw.trim().replace(/^(?:and|or)\s+/i, '').replace(/[.;)\]]+$/, '').trim();
  t = t.replace(/^(?:Amazon|AWS)\s+/i, '').trim();
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(t)) return undefined; // multi-word names are not codes
  const code = t.toUpperCase().replace(/-/g, '_');
  if (LIST_STOPWORDS.has(code)) return undefined;
  return code;
}

/**
 * A list-introducing phrase that says the listed services were NOT impacted: "are not affected", "aren't impacted",
 * "unaffected", "unimpacted", "no (other) services". ("were previously impacted but are now operating normally"
 * does not match: those services were impacted.)
 */
const NEGATED_IMPACT_RE =
  /(?:\bnot|n't)\s+(?:\w+\s+){0,2}?(?:impacted|affected)\b|\bun(?:impacted|affected)\b|\bno\s+(?:other\s+)?(?:aws\s+)?services?\b/i;

/** One service list of a description: the phrase that introduces it (from the start of its sentence) and its codes. */
export interface ServiceListing {
  phrase: string;
  codes: string[];
}

/**
 * The service lists of a Health description whose phrase mentions services + impacted/affected before a colon, e.g.
 * "The following AWS services were previously impacted but are now operating normally: APPSYNC, BACKUP, EVENTS."
 * "The following AWS services are impacted: EC2, LAMBDA and DYNAMODB"
 * "Affected services: S3, EC2".
 * A phrase that negates the impact ("Other AWS services are not affected: S3, DYNAMODB.") is left out. The phrase is
 * read from the start of its sentence, so "No other services are impacted: …" is seen whole.
 */
export function serviceListings(description: string): ServiceListing[] {
  const out: ServiceListing[] = [];
  const re =
    /(?:\bservices?\b[^:\n]{0,160}?\b(?:impacted|affected)\b[^:\n]{0,160}?|\b(?:impacted|affected)\s+(?:aws\s+)?services?\b[^:\n]{0,40}?)\s*:\s*([^\n]+)/gi;
  for (const m of description.matchAll(re)) {
    const listText = m[1] ?? '';
    // The introducing phrase, from the start of its sentence up to the colon.
    const before = description.slice(0, (m.index ?? 0) + m[0].length - listText.length).replace(/\s*:\s*$/, '');
    const phrase = before.split(/[.!?:](?:\s|$)|\n/).pop() ?? '';
    if (NEGATED_IMPACT_RE.test(phrase)) continue;
    out.push({ phrase, codes: splitServiceList(listText, normaliseServiceToken) });
  }
  return out;
}

/**
 * Service codes listed in a Health description as impacted now or before (see `serviceListings`): the services an
 * event is about.
 */
export function servicesFromDescription(description: string): string[] {
  const out: string[] = [];
  for (const { codes } of serviceListings(description)) for (const code of codes) if (!out.includes(code)) out.push(code);
  return out;
}

/** Service codes implied by affected entities: bare codes (`EC2`) or the namespace of ARNs (`arn:aws:ec2:…`). */
export function servicesFromEntities(entities: readonly AffectedEntity[]): string[] {
  const out: string[] = [];
  for (const e of entities) {
    let code: string | undefined;
    const arn = /^arn:aws[a-z-]*:([a-z0-9-]+):/.exec(e.entityValue);
    if (arn) code = (arn[1] ?? '').toUpperCase().replace(/-/g, '_');
    else if (/^[A-Z][A-Z0-9_]{1,62}$/.test(e.entityValue)) code = e.entityValue;
    if (code && !NON_SERVICE_ENTITIES.has(code) && !out.includes(code)) out.push(code);
  }
  return out;
}

/** Applies the services rule (see module comment). */
export function deriveServices(rawService: string, description: string, entities: readonly AffectedEntity[]): string[] {
  const listed = servicesFromDescription(description);
  if (rawService.toUpperCase() === MULTIPLE_SERVICES) {
    const derived = [...listed];
    for (const s of servicesFromEntities(entities)) if (!derived.includes(s)) derived.push(s);
    if (derived.length === 0) {
      throw new HealthEventParseError('detail.service', rawService, 'MULTIPLE_SERVICES event without a derivable service list (description/entities); needs review');
    }
    return derived;
  }
  const out = [rawService];
  for (const s of listed) if (!out.includes(s)) out.push(s);
  return out;
}
