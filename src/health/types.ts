import { describeValue } from '../util/describe-value.ts';

/**
 * A normalised AWS Health event: what the rest of the system works with, whichever way it came in
 * (EventBridge `aws.health` event, Health API DescribeEvents/DescribeEventDetails/DescribeAffectedEntities).
 * All times are UTC ISO-8601 strings (`2025-10-20T06:48:00.000Z`).
 */

export interface AffectedEntity {
  entityValue: string;
  /** IMPAIRED | UNIMPAIRED | PENDING | RESOLVED | UNKNOWN, when given. */
  status?: string;
  lastUpdatedTime?: string;
  tags?: Record<string, string>;
}

export interface HealthEvent {
  /** Account the event is about (`detail.affectedAccount`, else the envelope `account`). */
  account: string;
  eventArn: string;
  /** Health service code(s). For MULTIPLE_SERVICES events: the services derived from the description/entities. */
  services: string[];
  /** The raw `detail.service` (e.g. "MULTIPLE_SERVICES"). */
  rawService: string;
  eventTypeCode: string;
  /** issue | accountNotification | scheduledChange | investigation (missing → "issue" is NOT assumed: "unknown"). */
  eventTypeCategory: string;
  /** PUBLIC | ACCOUNT_SPECIFIC | NONE | UNKNOWN. */
  eventScopeCode: string;
  /** Impacted Region (`detail.eventRegion`; else the ARN's Region; else the envelope Region). `global` for global events. */
  region: string;
  /** Where the copy was delivered (envelope `region`), if known. */
  deliveredRegion?: string;
  /** open | closed | upcoming (derived when missing: closed if endTime ≤ lastUpdatedTime, else open). */
  statusCode: string;
  startTime: string;
  /**
   * Null while open (or when missing). Kept as given when an `open` event carries one (AWS samples do);
   * for a `closed` event without one, set to lastUpdatedTime (with a parse note). See src/health/parse.ts.
   */
  endTime: string | null;
  /** Falls back to endTime, then startTime, then the envelope time when missing. */
  lastUpdatedTime: string;
  description: string;
  communicationId?: string;
  page: number;
  totalPages: number;
  backupEvent: boolean;
  affectedEntities: AffectedEntity[];
  /** Envelope `resources`. */
  resources: string[];
  /** Notes about repairs made while parsing (e.g. "weekday in startTime disagreed with the date"). */
  parseNotes: string[];
}

/** Thrown (or returned) when an input cannot be turned into a HealthEvent. */
export class HealthEventParseError extends Error {
  override readonly name = 'HealthEventParseError';
  constructor(
    /** Dotted path of the offending field, e.g. `detail.startTime`. */
    readonly field: string,
    /** The offending value, as given (truncated for display). */
    readonly value: unknown,
    message: string,
  ) {
    super(`${field}: ${message} (got ${describeValue(value)})`);
  }
}
