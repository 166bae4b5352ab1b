/**
 * Turns AWS Health inputs into a normalised {@link HealthEvent}.
 *
 * Two input shapes:
 * - EventBridge envelopes (`source: "aws.health"`) → {@link parseEventBridgeHealthEvent}
 * - Health API (DescribeEventDetails + DescribeAffectedEntities) → {@link parseHealthApiEvent}
 *
 * Everything that cannot be turned into a trustworthy event throws {@link HealthEventParseError}
 * (field path + offending value) so the caller can quarantine the input for review. Repairs are
 * recorded in `parseNotes`, one note per kind: a repair repeated across affected entities (wrong
 * weekdays, empty times) is one note with a count and a few examples (src/health/notes.ts).
 *
 * Field parsers live in fields.ts, service derivation in services.ts; this file maps the two input
 * shapes onto one draft and applies the fallbacks below.
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
 * Size bounds: descriptions longer than MAX_DESCRIPTION_CHARS are truncated (note);
 * an eventArn or entityValue longer than MAX_ARN_CHARS/MAX_ENTITY_VALUE_CHARS is an error (fields.ts).
 */
import { describeValue } from '../util/describe-value.ts';
import {
  boundDescription,
  fail,
  isObj,
  optString,
  optTime,
  parseAccount,
  parseAffectedEntities,
  parseBool,
  parseHealthArn,
  parsePageNumber,
  parseResources,
  pickDescription,
  time,
} from './fields.ts';
import { ParseNotes } from './notes.ts';
import { deriveServices } from './services.ts';
import type { AffectedEntity, HealthEvent } from './types.ts';

const HEALTH_DETAIL_TYPES = ['AWS Health Event', 'AWS Health Abuse Event'] as const;
const STATUS_CODES = new Set(['open', 'closed', 'upcoming']);

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
  notes: ParseNotes;
}

function build(d: Draft): HealthEvent {
  const { prefix, notes } = d;
  const { arn, parts } = parseHealthArn(d.arn, d.arnField);

  let rawService = optString(d.service, `${prefix}.service`);
  if (rawService === undefined) {
    if (!parts.service) fail(`${prefix}.service`, d.service, 'missing and not derivable from the eventArn');
    rawService = parts.service;
    notes.add(`${prefix}.service missing; taken from the eventArn (${rawService})`);
  }
  let eventTypeCode = optString(d.eventTypeCode, `${prefix}.eventTypeCode`);
  if (eventTypeCode === undefined) {
    if (!parts.eventTypeCode) fail(`${prefix}.eventTypeCode`, d.eventTypeCode, 'missing and not derivable from the eventArn');
    eventTypeCode = parts.eventTypeCode;
    notes.add(`${prefix}.eventTypeCode missing; taken from the eventArn (${eventTypeCode})`);
  }
  let eventTypeCategory = optString(d.eventTypeCategory, `${prefix}.eventTypeCategory`);
  if (eventTypeCategory === undefined) {
    eventTypeCategory = 'unknown';
    notes.add(`${prefix}.eventTypeCategory missing; set to "unknown"`);
  }
  let eventScopeCode = optString(d.eventScopeCode, `${prefix}.eventScopeCode`)?.toUpperCase();
  if (eventScopeCode === undefined) {
    eventScopeCode = 'UNKNOWN';
    notes.add(`${prefix}.eventScopeCode missing; set to "UNKNOWN"`);
  }

  let region = optString(d.region, `${prefix}.${prefix === 'detail' ? 'eventRegion' : 'region'}`);
  if (region === undefined) {
    region = parts.region !== '' ? parts.region : d.fallbackRegion;
    if (region === undefined) {
      fail(`${prefix}.${prefix === 'detail' ? 'eventRegion' : 'region'}`, d.region, 'missing, and no Region in the eventArn or envelope');
    }
    notes.add(`impacted Region missing; used ${parts.region !== '' ? 'the eventArn Region' : 'the delivery Region'} (${region})`);
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
    notes.add(`statusCode closed but endTime missing; endTime set to ${source} (${endTime})`);
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
    notes.add(`${prefix}.lastUpdatedTime missing; set to ${source} (${value})`);
  }

  if (statusCode === undefined) {
    statusCode = endTime !== null && endTime <= lastUpdatedTime ? 'closed' : 'open';
    notes.add(`${prefix}.statusCode missing; derived "${statusCode}"`);
  } else if (statusCode === 'open' && givenEnd !== undefined) {
    notes.add(`statusCode open but endTime given (${givenEnd}); both kept as given`);
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
    parseNotes: notes.list(),
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

  const notes = new ParseNotes();
  const envelopeAccount = parseAccount(raw.account, 'account');
  const affectedAccount = parseAccount(detail.affectedAccount, 'detail.affectedAccount');
  const account = affectedAccount ?? envelopeAccount;
  if (account === undefined) fail('detail.affectedAccount', detail.affectedAccount, 'missing, and no envelope account');
  if (affectedAccount === undefined) notes.add(`detail.affectedAccount missing; used the envelope account (${account})`);

  const envelopeRegion = optString(raw.region, 'region');
  const envelopeTimeRaw = optString(raw.time, 'time');
  let envelopeTime: string | undefined;
  if (envelopeTimeRaw !== undefined) {
    try {
      envelopeTime = time(envelopeTimeRaw, 'time', notes);
    } catch {
      notes.add(`envelope time ${describeValue(envelopeTimeRaw)} unparseable; ignored`);
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
  const notes = new ParseNotes();
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
