/**
 * Turns AWS Health inputs into a normalised {@link HealthEvent}.
 *
 * Two input shapes:
 * - EventBridge envelopes (`source: "aws.health"`) → {@link parseEventBridgeHealthEvent}
 * - Health API (DescribeEventDetails + DescribeAffectedEntities) → {@link parseHealthApiEvent}
 *
 * Everything that cannot be turned into a trustworthy event throws {@link HealthEventParseError}
 * (field path + offending value) so the caller can quarantine the input for review. Repairs are
 * recorded in `parseNotes`.
 *
 * Fallbacks for fields the schema calls "required" but real/sample events omit:
 * | field              | fallback                                                                 |
 * |--------------------|--------------------------------------------------------------------------|
 * | affectedAccount    | envelope `account` (Health API: the `account` argument)                  |
 * | eventRegion        | Region in the eventArn, else envelope `region`                           |
 * | eventScopeCode     | `UNKNOWN` (note)                                                         |
 * | eventTypeCategory  | `unknown` (note) — never assumed to be `issue`                           |
 * | service            | the `/SERVICE/` segment of the ARN (note), else error                    |
 * | eventTypeCode      | the `/…/CODE/` segment of the ARN (note), else error                     |
 * | endTime            | null (still open / unknown)                                              |
 * | lastUpdatedTime    | envelope `time` when not before startTime, else endTime, else startTime  |
 * |                    | (note). The envelope time is when EventBridge sent this update, so two   |
 * |                    | updates of one event differ while backup copies of one update agree.     |
 * | statusCode         | `closed` if endTime ≤ lastUpdatedTime, else `open` (note)                |
 * | page / totalPages  | 1 / 1                                                                    |
 * | backupEvent        | false                                                                    |
 * | communicationId    | undefined                                                                |
 * | eventDescription   | "" (note)                                                                |
 *
 * Status/end-time conflicts:
 * - `closed` without endTime → endTime = detail.lastUpdatedTime (else envelope time when not before the
 *   start, else startTime), with a note. (aws-health-aware issue #77: such events exist.)
 * - `open` WITH an endTime (AWS's own public sample does this) → both kept as given: the event has a
 *   known end, but we do not claim AWS closed it. A note is added. Consumers that need "is the impact
 *   over?" should look at endTime, not statusCode.
 * - Empty-string endTime/lastUpdatedTime are treated as missing (note); an empty startTime is an error.
 *
 * Services rule:
 * - `MULTIPLE_SERVICES`: services = codes listed in the description ("…were impacted …: A, B, C.",
 *   "…are impacted: …", "affected services: …") ∪ entity values that are service codes (or the service
 *   namespace of entity ARNs). None derivable → HealthEventParseError on `detail.service`.
 * - any other service: [detail.service] followed by any codes listed in the description (de-duplicated),
 *   because AWS lists other impacted services there (the af-south-1 EC2 sample lists APPSYNC, BACKUP,
 *   EVENTS).
 * - a list whose phrase negates impact ("…are not affected: …", "unaffected/unimpacted services: …",
 *   "No other services are impacted: …") is ignored; "…were previously impacted but are now operating
 *   normally: …" is not a negation (those services were impacted).
 *
 * Size bounds: descriptions longer than {@link MAX_DESCRIPTION_CHARS} are truncated (note);
 * an eventArn or entityValue longer than {@link MAX_ARN_CHARS}/{@link MAX_ENTITY_VALUE_CHARS} is an error.
 */
import { parseHealthTimeDetailed, weekdayNote } from './dates.ts';
import { HealthEventParseError, type AffectedEntity, type HealthEvent } from './types.ts';

export const MAX_DESCRIPTION_CHARS = 32 * 1024;
export const MAX_ENTITY_VALUE_CHARS = 1600;
export const MAX_ARN_CHARS = 1600;
export const HEALTH_DETAIL_TYPES = ['AWS Health Event', 'AWS Health Abuse Event'] as const;
export const MULTIPLE_SERVICES = 'MULTIPLE_SERVICES';

const STATUS_CODES = new Set(['open', 'closed', 'upcoming']);
const ACCOUNT_RE = /^\d{12}$/;
/** Loose ARN check: partition, `health` service, Region, empty account, `event/…`. Legacy ARNs (no /SERVICE/CODE/) pass. */
const ARN_RE = /^arn:aws(?:-[a-z]+(?:-[a-z]+)?)?:health:([^:]*):[^:]*:event\/(.+)$/;
/** Entity values that are placeholders, not services. */
const NON_SERVICE_ENTITIES = new Set(['AWS_ACCOUNT', 'UNKNOWN', MULTIPLE_SERVICES, 'NONE', 'N/A']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(field: string, value: unknown, message: string): never {
  throw new HealthEventParseError(field, value, message);
}

/** Non-empty trimmed string, or undefined when missing/null/empty. Throws for non-string values. */
function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(field, v, `expected a string, got ${Array.isArray(v) ? 'array' : typeof v}`);
  const t = v.trim();
  return t === '' ? undefined : t;
}

function reqString(v: unknown, field: string): string {
  const s = optString(v, field);
  if (s === undefined) fail(field, v, 'missing or empty');
  return s;
}

export interface ParsedArn {
  region: string;
  /** `/SERVICE/` segment of current-format ARNs. */
  service?: string;
  /** `/…/EVENT_TYPE_CODE/` segment of current-format ARNs. */
  eventTypeCode?: string;
  legacy: boolean;
}

/** Validates and splits a Health event ARN. Throws on a missing, over-long or non-Health ARN. */
export function parseHealthArn(value: unknown, field: string): { arn: string; parts: ParsedArn } {
  const arn = reqString(value, field);
  if (arn.length > MAX_ARN_CHARS) fail(field, value, `longer than ${MAX_ARN_CHARS} characters (${arn.length})`);
  const m = ARN_RE.exec(arn);
  if (!m) fail(field, value, 'not an AWS Health event ARN (arn:aws:health:REGION::event/…)');
  const path = (m[2] ?? '').split('/');
  if (path.length >= 3 && path.every((p) => p !== '')) {
    return { arn, parts: { region: m[1] ?? '', service: path[0], eventTypeCode: path[1], legacy: false } };
  }
  return { arn, parts: { region: m[1] ?? '', legacy: true } };
}

function parseAccount(v: unknown, field: string): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) v = String(v).padStart(12, '0');
  const s = optString(v, field);
  if (s === undefined) return undefined;
  if (!ACCOUNT_RE.test(s)) fail(field, v, 'not a 12-digit AWS account id');
  return s;
}

function parsePageNumber(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 100_000) fail(field, v, 'expected a positive integer');
  return n;
}

function parseBool(v: unknown, field: string, notes: string[]): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  notes.push(`${field} had an unexpected value ${JSON.stringify(v)}; treated as false`);
  return false;
}

/** Parses a time, records a note when the weekday disagreed. */
function time(v: unknown, field: string, notes: string[]): string {
  const parsed = parseHealthTimeDetailed(v, field);
  if (parsed.weekdayMismatch) notes.push(weekdayNote(field, parsed));
  return parsed.iso;
}

/** Optional time: missing/null/"" → undefined (empty string noted). */
function optTime(v: unknown, field: string, notes: string[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.trim() === '') {
    notes.push(`${field} was an empty string; treated as missing`);
    return undefined;
  }
  return time(v, field, notes);
}

function boundDescription(text: string, notes: string[]): string {
  if (text.length <= MAX_DESCRIPTION_CHARS) return text;
  notes.push(`description truncated from ${text.length} to ${MAX_DESCRIPTION_CHARS} characters`);
  return text.slice(0, MAX_DESCRIPTION_CHARS);
}

/** `eventDescription[]` (EventBridge): the en_US entry, else the first usable one. */
function pickDescription(v: unknown, field: string, notes: string[]): string {
  if (v === undefined || v === null) {
    notes.push(`${field} missing; description is empty`);
    return '';
  }
  if (typeof v === 'string') return boundDescription(v, notes);
  const list = Array.isArray(v) ? v : [v];
  const usable = list.filter(
    (d): d is Obj => isObj(d) && typeof d.latestDescription === 'string',
  );
  const chosen = usable.find((d) => d.language === 'en_US') ?? usable[0];
  if (!chosen) {
    notes.push(`${field} has no usable latestDescription; description is empty`);
    return '';
  }
  return boundDescription(chosen.latestDescription as string, notes);
}

function parseTags(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Normalises an affected-entity list (EventBridge `{entityValue, status, lastUpdatedTime, tags}` or SDK
 * `{entityValue, statusCode, lastUpdatedTime: Date, tags}`). Nulls/non-objects/entities without a value
 * are skipped with a note; duplicates (same entityValue) are collapsed, keeping the first.
 */
export function parseAffectedEntities(v: unknown, field: string, notes: string[]): AffectedEntity[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(field, v, 'expected an array');
  const out: AffectedEntity[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let duplicates = 0;
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    const f = `${field}[${i}]`;
    if (!isObj(item) || typeof item.entityValue !== 'string' || item.entityValue.trim() === '') {
      skipped++;
      continue;
    }
    const entityValue = item.entityValue.trim();
    if (entityValue.length > MAX_ENTITY_VALUE_CHARS) {
      fail(`${f}.entityValue`, entityValue, `longer than ${MAX_ENTITY_VALUE_CHARS} characters (${entityValue.length})`);
    }
    if (seen.has(entityValue)) {
      duplicates++;
      continue;
    }
    seen.add(entityValue);
    const entity: AffectedEntity = { entityValue };
    const status = optString(item.status ?? item.statusCode, `${f}.status`);
    if (status !== undefined) entity.status = status.toUpperCase();
    const updated = optTime(item.lastUpdatedTime, `${f}.lastUpdatedTime`, notes);
    if (updated !== undefined) entity.lastUpdatedTime = updated;
    const tags = parseTags(item.tags);
    if (tags) entity.tags = tags;
    out.push(entity);
  }
  if (skipped > 0) notes.push(`${field}: skipped ${skipped} item(s) that were null or had no entityValue`);
  if (duplicates > 0) notes.push(`${field}: dropped ${duplicates} duplicate entityValue(s)`);
  return out;
}

function parseResources(v: unknown, notes: string[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail('resources', v, 'expected an array');
  const out: string[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const r of v) {
    if (typeof r !== 'string' || r.trim() === '') {
      skipped++;
      continue;
    }
    if (r.length > MAX_ENTITY_VALUE_CHARS) fail('resources', r, `resource longer than ${MAX_ENTITY_VALUE_CHARS} characters`);
    if (!seen.has(r)) {
      seen.add(r);
      out.push(r);
    }
  }
  if (skipped > 0) notes.push(`resources: skipped ${skipped} null/non-string item(s)`);
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

/**
 * Service codes listed in a Health description, e.g.
 * "The following AWS services were previously impacted but are now operating normally: APPSYNC, BACKUP, EVENTS."
 * "The following AWS services are impacted: EC2, LAMBDA and DYNAMODB"
 * "Affected services: S3, EC2".
 * Only phrases mentioning services + impacted/affected, followed by a colon, are used; a phrase that negates the
 * impact ("Other AWS services are not affected: S3, DYNAMODB.") is ignored. The phrase is read from the start of
 * its sentence, so "No other services are impacted: …" is seen whole.
 */
export function servicesFromDescription(description: string): string[] {
  const out: string[] = [];
  const re =
    /(?:\bservices?\b[^:\n]{0,160}?\b(?:impacted|affected)\b[^:\n]{0,160}?|\b(?:impacted|affected)\s+(?:aws\s+)?services?\b[^:\n]{0,40}?)\s*:\s*([^\n]+)/gi;
  for (const m of description.matchAll(re)) {
    const listText = m[1] ?? '';
    // The introducing phrase, from the start of its sentence up to the colon.
    const before = description.slice(0, (m.index ?? 0) + m[0].length - listText.length).replace(/\s*:\s*$/, '');
    const phrase = before.split(/[.!?:](?:\s|$)|\n/).pop() ?? '';
    if (NEGATED_IMPACT_RE.test(phrase)) continue;
    // The list ends at the first sentence end (". " / end of line).
    const list = listText.split(/\.(?:\s|$)/)[0] ?? '';
    for (const piece of list.split(/,|\s+and\s+|\s+&\s+/i)) {
      const code = normaliseServiceToken(piece);
      if (code && !out.includes(code)) out.push(code);
    }
  }
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
      fail('detail.service', rawService, 'MULTIPLE_SERVICES event without a derivable service list (description/entities); needs review');
    }
    return derived;
  }
  const out = [rawService];
  for (const s of listed) if (!out.includes(s)) out.push(s);
  return out;
}

/** Intermediate, shape-independent fields; paths are used in error messages. */
interface Draft {
  prefix: string; // "detail" or "event"
  arn: unknown;
  arnField: string;
  service: unknown;
  eventTypeCode: unknown;
  eventTypeCategory: unknown;
  eventScopeCode: unknown;
  region: unknown;
  fallbackRegion?: string;
  deliveredRegion?: string;
  statusCode: unknown;
  startTime: unknown;
  endTime: unknown;
  lastUpdatedTime: unknown;
  envelopeTime?: string;
  description: string;
  communicationId: unknown;
  page: unknown;
  totalPages: unknown;
  backupEvent: unknown;
  account: string;
  entities: AffectedEntity[];
  resources: string[];
  notes: string[];
}

function build(d: Draft): HealthEvent {
  const { prefix, notes } = d;
  const { arn, parts } = parseHealthArn(d.arn, d.arnField);

  let rawService = optString(d.service, `${prefix}.service`);
  if (rawService === undefined) {
    if (!parts.service) fail(`${prefix}.service`, d.service, 'missing and not derivable from the eventArn');
    rawService = parts.service;
    notes.push(`${prefix}.service missing; taken from the eventArn (${rawService})`);
  }
  let eventTypeCode = optString(d.eventTypeCode, `${prefix}.eventTypeCode`);
  if (eventTypeCode === undefined) {
    if (!parts.eventTypeCode) fail(`${prefix}.eventTypeCode`, d.eventTypeCode, 'missing and not derivable from the eventArn');
    eventTypeCode = parts.eventTypeCode;
    notes.push(`${prefix}.eventTypeCode missing; taken from the eventArn (${eventTypeCode})`);
  }
  let eventTypeCategory = optString(d.eventTypeCategory, `${prefix}.eventTypeCategory`);
  if (eventTypeCategory === undefined) {
    eventTypeCategory = 'unknown';
    notes.push(`${prefix}.eventTypeCategory missing; set to "unknown"`);
  }
  let eventScopeCode = optString(d.eventScopeCode, `${prefix}.eventScopeCode`)?.toUpperCase();
  if (eventScopeCode === undefined) {
    eventScopeCode = 'UNKNOWN';
    notes.push(`${prefix}.eventScopeCode missing; set to "UNKNOWN"`);
  }

  let region = optString(d.region, `${prefix}.${prefix === 'detail' ? 'eventRegion' : 'region'}`);
  if (region === undefined) {
    region = parts.region !== '' ? parts.region : d.fallbackRegion;
    if (region === undefined) {
      fail(`${prefix}.${prefix === 'detail' ? 'eventRegion' : 'region'}`, d.region, 'missing, and no Region in the eventArn or envelope');
    }
    notes.push(`impacted Region missing; used ${parts.region !== '' ? 'the eventArn Region' : 'the delivery Region'} (${region})`);
  }

  const startTime = time(d.startTime, `${prefix}.startTime`, notes);
  const givenEnd = optTime(d.endTime, `${prefix}.endTime`, notes);
  const givenUpdated = optTime(d.lastUpdatedTime, `${prefix}.lastUpdatedTime`, notes);
  if (givenEnd !== undefined && givenEnd < startTime) {
    fail(`${prefix}.endTime`, d.endTime, `before startTime (${startTime})`);
  }

  let statusCode = optString(d.statusCode, `${prefix}.statusCode`)?.toLowerCase();
  if (statusCode !== undefined && !STATUS_CODES.has(statusCode)) {
    fail(`${prefix}.statusCode`, d.statusCode, 'expected open, closed or upcoming');
  }

  let endTime: string | null = givenEnd ?? null;
  if (statusCode === 'closed' && endTime === null) {
    let source: string;
    if (givenUpdated !== undefined) {
      endTime = givenUpdated;
      source = 'lastUpdatedTime';
    } else if (d.envelopeTime !== undefined && d.envelopeTime >= startTime) {
      endTime = d.envelopeTime;
      source = 'the envelope time';
    } else {
      endTime = startTime;
      source = 'startTime';
    }
    if (endTime < startTime) fail(`${prefix}.lastUpdatedTime`, d.lastUpdatedTime, `closed event without endTime, and lastUpdatedTime is before startTime (${startTime})`);
    notes.push(`statusCode closed but endTime missing; endTime set to ${source} (${endTime})`);
  }

  let lastUpdatedTime = givenUpdated;
  if (lastUpdatedTime === undefined) {
    // The envelope time first: it tells two updates of one event apart (endTime/startTime may be the same in both).
    const [value, source] =
      d.envelopeTime !== undefined && d.envelopeTime >= startTime
        ? [d.envelopeTime, 'the envelope time']
        : endTime !== null
          ? [endTime, 'endTime']
          : [startTime, 'startTime'];
    lastUpdatedTime = value;
    notes.push(`${prefix}.lastUpdatedTime missing; set to ${source} (${value})`);
  }

  if (statusCode === undefined) {
    statusCode = endTime !== null && endTime <= lastUpdatedTime ? 'closed' : 'open';
    notes.push(`${prefix}.statusCode missing; derived "${statusCode}"`);
  } else if (statusCode === 'open' && givenEnd !== undefined) {
    notes.push(`statusCode open but endTime given (${givenEnd}); both kept as given`);
  }

  const communicationId = optString(d.communicationId, `${prefix}.communicationId`);
  const page = parsePageNumber(d.page, `${prefix}.page`) ?? 1;
  const totalPages = parsePageNumber(d.totalPages, `${prefix}.totalPages`) ?? 1;
  if (page > totalPages) fail(`${prefix}.page`, d.page, `page ${page} greater than totalPages ${totalPages}`);
  const backupEvent = parseBool(d.backupEvent, `${prefix}.backupEvent`, notes);

  const services = deriveServices(rawService, d.description, d.entities);

  const event: HealthEvent = {
    account: d.account,
    eventArn: arn,
    services,
    rawService,
    eventTypeCode,
    eventTypeCategory,
    eventScopeCode,
    region,
    statusCode,
    startTime,
    endTime,
    lastUpdatedTime,
    description: d.description,
    page,
    totalPages,
    backupEvent,
    affectedEntities: d.entities,
    resources: d.resources,
    parseNotes: notes,
  };
  if (d.deliveredRegion !== undefined) event.deliveredRegion = d.deliveredRegion;
  if (communicationId !== undefined) event.communicationId = communicationId;
  return event;
}

/**
 * Parses an EventBridge `aws.health` event (detail-type "AWS Health Event" or "AWS Health Abuse Event").
 * @throws HealthEventParseError when the input cannot be trusted (see module comment).
 */
export function parseEventBridgeHealthEvent(raw: unknown): HealthEvent {
  if (!isObj(raw)) fail('event', raw, 'expected an EventBridge event object');
  if (raw.source !== 'aws.health') fail('source', raw.source, 'expected "aws.health"');
  const detailType = raw['detail-type'];
  if (typeof detailType !== 'string' || !(HEALTH_DETAIL_TYPES as readonly string[]).includes(detailType)) {
    fail('detail-type', detailType, `expected one of ${HEALTH_DETAIL_TYPES.map((t) => `"${t}"`).join(', ')}`);
  }
  const detail = raw.detail;
  if (!isObj(detail)) fail('detail', detail, 'expected an object');

  const notes: string[] = [];
  const envelopeAccount = parseAccount(raw.account, 'account');
  const affectedAccount = parseAccount(detail.affectedAccount, 'detail.affectedAccount');
  const account = affectedAccount ?? envelopeAccount;
  if (account === undefined) fail('detail.affectedAccount', detail.affectedAccount, 'missing, and no envelope account');
  if (affectedAccount === undefined) notes.push(`detail.affectedAccount missing; used the envelope account (${account})`);

  const envelopeRegion = optString(raw.region, 'region');
  const envelopeTimeRaw = optString(raw.time, 'time');
  let envelopeTime: string | undefined;
  if (envelopeTimeRaw !== undefined) {
    try {
      envelopeTime = time(envelopeTimeRaw, 'time', notes);
    } catch {
      notes.push(`envelope time ${JSON.stringify(envelopeTimeRaw)} unparseable; ignored`);
    }
  }

  const entities = parseAffectedEntities(detail.affectedEntities, 'detail.affectedEntities', notes);
  const draft: Draft = {
    prefix: 'detail',
    arn: detail.eventArn,
    arnField: 'detail.eventArn',
    service: detail.service,
    eventTypeCode: detail.eventTypeCode,
    eventTypeCategory: detail.eventTypeCategory,
    eventScopeCode: detail.eventScopeCode,
    region: detail.eventRegion,
    statusCode: detail.statusCode,
    startTime: detail.startTime,
    endTime: detail.endTime,
    lastUpdatedTime: detail.lastUpdatedTime,
    description: pickDescription(detail.eventDescription, 'detail.eventDescription', notes),
    communicationId: detail.communicationId,
    page: detail.page,
    totalPages: detail.totalPages,
    backupEvent: detail.backupEvent,
    account,
    entities,
    resources: parseResources(raw.resources, notes),
    notes,
  };
  if (envelopeRegion !== undefined) {
    draft.fallbackRegion = envelopeRegion;
    draft.deliveredRegion = envelopeRegion;
  }
  if (envelopeTime !== undefined) draft.envelopeTime = envelopeTime;
  return build(draft);
}

/** The SDK `Event` / `OrganizationEvent` shape (times as `Date`, epoch seconds, or strings). */
export interface HealthApiEventLike {
  arn?: string | undefined;
  service?: string | undefined;
  eventTypeCode?: string | undefined;
  eventTypeCategory?: string | undefined;
  region?: string | undefined;
  availabilityZone?: string | undefined;
  startTime?: Date | number | string | undefined;
  endTime?: Date | number | string | undefined;
  lastUpdatedTime?: Date | number | string | undefined;
  statusCode?: string | undefined;
  eventScopeCode?: string | undefined;
}

/** The SDK `AffectedEntity` shape (or the EventBridge one). */
export interface HealthApiEntityLike {
  entityValue?: string | undefined;
  entityArn?: string | undefined;
  statusCode?: string | undefined;
  status?: string | undefined;
  lastUpdatedTime?: Date | number | string | undefined;
  tags?: Record<string, string> | undefined;
  awsAccountId?: string | undefined;
}

export interface HealthApiEventInput {
  event: HealthApiEventLike | unknown;
  /** `eventDescription.latestDescription`. */
  description?: string | undefined;
  entities?: readonly (HealthApiEntityLike | null | undefined)[] | undefined;
  /** The affected account (org view: `awsAccountId` of the details; single account: the caller's account). */
  account: string;
}

/**
 * Parses a Health API event (DescribeEvents/DescribeEventDetails `event` + description + affected entities).
 * The API has no pages, no backup copies and no delivery Region: page 1/1, backupEvent false, resources [].
 * @throws HealthEventParseError
 */
export function parseHealthApiEvent(input: HealthApiEventInput): HealthEvent {
  if (!isObj(input)) fail('input', input, 'expected { event, account }');
  const ev = input.event;
  if (!isObj(ev)) fail('event', ev, 'expected a Health API Event object');
  const account = parseAccount(input.account, 'account');
  if (account === undefined) fail('account', input.account, 'missing');
  const notes: string[] = [];
  if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
    fail('eventDescription.latestDescription', input.description, 'expected a string');
  }
  const description =
    typeof input.description === 'string' ? boundDescription(input.description, notes) : '';
  const entities = parseAffectedEntities(input.entities, 'entities', notes);
  return build({
    prefix: 'event',
    arn: ev.arn,
    arnField: 'event.arn',
    service: ev.service,
    eventTypeCode: ev.eventTypeCode,
    eventTypeCategory: ev.eventTypeCategory,
    eventScopeCode: ev.eventScopeCode,
    region: ev.region,
    statusCode: ev.statusCode,
    startTime: ev.startTime,
    endTime: ev.endTime,
    lastUpdatedTime: ev.lastUpdatedTime,
    description,
    communicationId: undefined,
    page: undefined,
    totalPages: undefined,
    backupEvent: undefined,
    account,
    entities,
    resources: [],
    notes,
  });
}

/**
 * Idempotency key of an event: account + eventArn. Backup-Region copies, exact re-deliveries, and all
 * pages/updates of one event map to the same key (the communicationId and its page suffix are ignored).
 */
export function dedupeKey(e: Pick<HealthEvent, 'account' | 'eventArn'>): string {
  return `${e.account}#${e.eventArn}`;
}

/** The communicationId without its `-<page>` suffix. */
export function communicationBase(communicationId: string): string {
  return communicationId.replace(/-\d+$/, '');
}

/** Key of one paged communication: account + eventArn + lastUpdatedTime. */
export function pageGroupKey(e: Pick<HealthEvent, 'account' | 'eventArn' | 'lastUpdatedTime'>): string {
  return `${e.account}#${e.eventArn}#${e.lastUpdatedTime}`;
}

/** Page numbers (1-based) not present in `events`, according to their totalPages. */
export function missingPages(events: readonly HealthEvent[]): number[] {
  if (events.length === 0) return [1];
  const total = Math.max(...events.map((e) => e.totalPages));
  const present = new Set(events.map((e) => e.page));
  const missing: number[] = [];
  for (let p = 1; p <= total; p++) if (!present.has(p)) missing.push(p);
  return missing;
}

/** True when every page 1..totalPages of the communication is present. */
export function allPagesPresent(events: readonly HealthEvent[]): boolean {
  return missingPages(events).length === 0;
}

/**
 * Reassembles the pages of one communication (same account, eventArn, lastUpdatedTime and totalPages;
 * any order; duplicate pages allowed). Entities and resources are concatenated in page order and
 * de-duplicated by entityValue/resource. The result is page 1 of 1 (totalPages = 1); if pages are
 * missing a parse note lists them (check {@link allPagesPresent} first when completeness matters).
 * @throws HealthEventParseError when the pages do not belong together.
 */
export function mergePages(events: readonly HealthEvent[]): HealthEvent {
  const first = events[0];
  if (!first) fail('pages', events, 'no pages to merge');
  for (const e of events) {
    if (e.account !== first.account) fail('account', e.account, `page belongs to another account than ${first.account}`);
    if (e.eventArn !== first.eventArn) fail('eventArn', e.eventArn, `page belongs to another event than ${first.eventArn}`);
    if (e.lastUpdatedTime !== first.lastUpdatedTime) {
      fail('lastUpdatedTime', e.lastUpdatedTime, `page belongs to another update than ${first.lastUpdatedTime}`);
    }
    if (e.totalPages !== first.totalPages) fail('totalPages', e.totalPages, `pages disagree on totalPages (${first.totalPages})`);
  }
  const sorted = [...events].sort((a, b) => a.page - b.page || Number(a.backupEvent) - Number(b.backupEvent));
  const base = sorted[0] ?? first;
  const entities: AffectedEntity[] = [];
  const seenEntities = new Set<string>();
  const resources: string[] = [];
  const seenResources = new Set<string>();
  const notes: string[] = [];
  const services: string[] = [];
  for (const e of sorted) {
    for (const ent of e.affectedEntities) {
      if (!seenEntities.has(ent.entityValue)) {
        seenEntities.add(ent.entityValue);
        entities.push(ent);
      }
    }
    for (const r of e.resources) {
      if (!seenResources.has(r)) {
        seenResources.add(r);
        resources.push(r);
      }
    }
    for (const n of e.parseNotes) if (!notes.includes(n)) notes.push(n);
    for (const s of e.services) if (!services.includes(s)) services.push(s);
  }
  const missing = missingPages(events);
  const pagesPresent = new Set(events.map((e) => e.page)).size;
  if (first.totalPages > 1) notes.push(`merged ${pagesPresent} of ${first.totalPages} pages`);
  if (missing.length > 0) notes.push(`pages missing: ${missing.join(', ')}`);
  const longest = sorted.reduce((a, b) => (b.description.length > a.description.length ? b : a), base);
  const merged: HealthEvent = {
    ...base,
    services,
    description: longest.description,
    page: 1,
    totalPages: 1,
    backupEvent: sorted.every((e) => e.backupEvent),
    affectedEntities: entities,
    resources,
    parseNotes: notes,
  };
  if (base.communicationId !== undefined) merged.communicationId = communicationBase(base.communicationId);
  return merged;
}

/**
 * Collects pages as they arrive and returns the merged event once every page of a communication is
 * present. Incomplete groups can be inspected with {@link PageAccumulator.pending}.
 */
export class PageAccumulator {
  private readonly groups = new Map<string, HealthEvent[]>();

  /** Adds a page; returns the merged event when the communication is complete, else undefined. */
  add(e: HealthEvent): HealthEvent | undefined {
    if (e.totalPages <= 1) return e;
    const key = pageGroupKey(e);
    const group = this.groups.get(key) ?? [];
    group.push(e);
    this.groups.set(key, group);
    if (!allPagesPresent(group)) return undefined;
    this.groups.delete(key);
    return mergePages(group);
  }

  /** Incomplete communications: key, pages received and pages missing. */
  pending(): { key: string; received: number[]; missing: number[] }[] {
    return [...this.groups.entries()].map(([key, pages]) => ({
      key,
      received: [...new Set(pages.map((p) => p.page))].sort((a, b) => a - b),
      missing: missingPages(pages),
    }));
  }
}
