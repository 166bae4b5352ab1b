/**
 * Health API sweeper: finds events updated since a given time and yields them as {@link HealthEvent}s.
 *
 * Single account: DescribeEvents (lastUpdatedTimes ≥ since, category issue, paginated)
 *   → DescribeEventDetails (≤10 ARNs per call; failedSet items are yielded as quarantined)
 *   → DescribeAffectedEntities per event (paginated).
 * Organization view: DescribeEventsForOrganization → DescribeAffectedAccountsForOrganization (paginated)
 *   → DescribeEventDetailsForOrganization (≤10 {eventArn, awsAccountId} filters per call)
 *   → DescribeAffectedEntitiesForOrganization per (event, account) (paginated).
 *
 * Errors:
 * - `SubscriptionRequiredException` (no Business/Enterprise support plan) → {@link HealthSubscriptionRequiredError}
 *   with a one-line message; the caller should log it once and carry on (EventBridge delivery still works).
 * - Throttling is retried by the SDK (default client: adaptive mode, 10 attempts) AND by {@link withThrottleRetry}
 *   (exponential backoff, injectable sleep) around every call.
 * - Anything that cannot be parsed is yielded as `{ quarantined: { source, reason, raw } }`, never thrown.
 * - A failed affected-entity lookup is quarantined (reason: the event ARN and the error). The event itself is
 *   yielded only when it is PUBLIC: an account-specific event without its entities would be read as Region-wide.
 */
import {
  DescribeAffectedAccountsForOrganizationCommand,
  DescribeAffectedEntitiesCommand,
  DescribeAffectedEntitiesForOrganizationCommand,
  DescribeEventDetailsCommand,
  DescribeEventDetailsForOrganizationCommand,
  DescribeEventsCommand,
  DescribeEventsForOrganizationCommand,
  HealthClient,
  type AffectedEntity as SdkAffectedEntity,
  type Event as SdkEvent,
  type EventAccountFilter,
  type EventTypeCategory,
} from '@aws-sdk/client-health';
import { parseHealthApiEvent } from './parse.ts';
import { HealthEventParseError, type HealthEvent } from './types.ts';

/** Max ARNs (or event/account filters) per DescribeEventDetails[ForOrganization] call (API limit). */
export const DETAILS_BATCH_SIZE = 10;
const PAGE_SIZE = 100;

export interface Quarantined {
  quarantined: { source: string; reason: string; raw: unknown };
}
export type SweepItem = HealthEvent | Quarantined;

export function isQuarantined(item: SweepItem): item is Quarantined {
  return 'quarantined' in item;
}

export interface SweepLogger {
  debug?(message: string, extra?: Record<string, unknown>): void;
  info?(message: string, extra?: Record<string, unknown>): void;
  warn?(message: string, extra?: Record<string, unknown>): void;
}

/** Thrown when the account has no support plan that includes the Health API. Log once; do not crash. */
export class HealthSubscriptionRequiredError extends Error {
  override readonly name = 'HealthSubscriptionRequiredError';
  constructor(options?: { cause?: unknown }) {
    super(
      'AWS Health API needs a Business, Enterprise On-Ramp or Enterprise support plan (or Business Support+/Unified Operations); ' +
        'Health API backfill skipped, EventBridge events are still processed',
      options,
    );
  }
}

export function isHealthSubscriptionRequiredError(e: unknown): e is HealthSubscriptionRequiredError {
  return e instanceof HealthSubscriptionRequiredError;
}

let defaultClient: HealthClient | undefined;

/** The process-wide Health client: us-east-1 (active endpoint), adaptive retries, 10 attempts. Created once. */
export function getDefaultHealthClient(): HealthClient {
  defaultClient ??= new HealthClient({ region: 'us-east-1', retryMode: 'adaptive', maxAttempts: 10 });
  return defaultClient;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);

function errorName(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const o = e as { name?: unknown; Code?: unknown; code?: unknown };
  for (const v of [o.name, o.Code, o.code]) if (typeof v === 'string' && v !== 'Error') return v;
  return undefined;
}

export function isThrottlingError(e: unknown): boolean {
  const name = errorName(e);
  if (name !== undefined && THROTTLING_NAMES.has(name)) return true;
  const meta = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode === 429;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** First backoff in ms (default 250); doubles each retry. */
  baseDelayMs?: number;
  /** Backoff cap in ms (default 10 000). */
  maxDelayMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default Math.random. Delay = cap·(0.5 + 0.5·random). */
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`, retrying throttling errors with exponential backoff and jitter. Other errors propagate
 * immediately; `SubscriptionRequiredException` becomes {@link HealthSubscriptionRequiredError}.
 */
export async function withThrottleRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (errorName(e) === 'SubscriptionRequiredException') throw new HealthSubscriptionRequiredError({ cause: e });
      if (!isThrottlingError(e) || attempt >= maxRetries) throw e;
      const ceiling = Math.min(cap, base * 2 ** attempt);
      await sleep(Math.round(ceiling * (0.5 + 0.5 * random())));
    }
  }
}

export interface SweepOptions {
  /** Defaults to {@link getDefaultHealthClient}. */
  client?: HealthClient;
  /** Events whose lastUpdatedTime is at or after this instant. */
  since: Date;
  /** The account the sweep runs in; used as the affected account for single-account (and public org) events. */
  account: string;
  /** Use the organizational view APIs (management or delegated-admin account). */
  organization?: boolean;
  /** Restrict to these Health service codes. */
  services?: string[];
  /** Event categories (default ["issue"]). */
  eventTypeCategories?: EventTypeCategory[];
  logger?: SweepLogger;
  retry?: RetryOptions;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function errorLabel(e: unknown): string {
  const name = errorName(e);
  const text = errorText(e);
  return name && !text.startsWith(name) ? `${name}: ${text}` : text;
}

/** The quarantine reason for a failed entity lookup: the event ARN and the error. */
function entitiesFailedReason(eventArn: string, e: unknown): string {
  return `affected entities of ${eventArn} could not be read (${errorLabel(e)})`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function quarantine(source: string, reason: string, raw: unknown): Quarantined {
  return { quarantined: { source, reason, raw } };
}

function parseOrQuarantine(
  source: string,
  input: Parameters<typeof parseHealthApiEvent>[0],
  raw: unknown,
  logger?: SweepLogger,
): SweepItem {
  try {
    return parseHealthApiEvent(input);
  } catch (e) {
    if (!(e instanceof HealthEventParseError)) throw e;
    logger?.warn?.('Health API event quarantined', { source, reason: e.message });
    return quarantine(source, e.message, raw);
  }
}

/**
 * Sweeps the Health API for events updated since `options.since`. Yields parsed events and quarantined
 * inputs. Throws {@link HealthSubscriptionRequiredError} when the support plan lacks the Health API.
 */
export async function* sweepHealthEvents(options: SweepOptions): AsyncGenerator<SweepItem> {
  if (options.organization) yield* sweepOrganization(options);
  else yield* sweepAccount(options);
}

async function* sweepAccount(options: SweepOptions): AsyncGenerator<SweepItem> {
  const client = options.client ?? getDefaultHealthClient();
  const call = <T>(fn: () => Promise<T>) => withThrottleRetry(fn, options.retry);
  const { logger } = options;
  const filter = {
    lastUpdatedTimes: [{ from: options.since }],
    eventTypeCategories: options.eventTypeCategories ?? (['issue'] as EventTypeCategory[]),
    ...(options.services && options.services.length > 0 ? { services: options.services } : {}),
  };

  const pending: string[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const res = await call(() =>
      client.send(new DescribeEventsCommand({ filter, maxResults: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) })),
    );
    pages++;
    for (const ev of res.events ?? []) {
      if (!ev.arn) {
        yield quarantine('DescribeEvents', 'event without arn', ev);
        continue;
      }
      if (seen.has(ev.arn)) continue;
      seen.add(ev.arn);
      pending.push(ev.arn);
    }
    while (pending.length >= DETAILS_BATCH_SIZE) yield* detailsBatch(pending.splice(0, DETAILS_BATCH_SIZE));
    nextToken = res.nextToken;
  } while (nextToken);
  if (pending.length > 0) yield* detailsBatch(pending.splice(0));
  logger?.info?.('Health API sweep done', { pages, events: seen.size });

  async function* detailsBatch(arns: string[]): AsyncGenerator<SweepItem> {
    const res = await call(() => client.send(new DescribeEventDetailsCommand({ eventArns: arns })));
    const answered = new Set<string>();
    for (const failed of res.failedSet ?? []) {
      if (failed.eventArn) answered.add(failed.eventArn);
      logger?.warn?.('DescribeEventDetails failed for an event', { ...failed });
      yield quarantine('DescribeEventDetails', `${failed.errorName ?? 'UnknownError'}: ${failed.errorMessage ?? ''}`.trim(), failed);
    }
    for (const details of res.successfulSet ?? []) {
      const arn = details.event?.arn;
      if (!arn) {
        yield quarantine('DescribeEventDetails', 'successfulSet item without event.arn', details);
        continue;
      }
      answered.add(arn);
      let entities: SdkAffectedEntity[] = [];
      let entitiesFailed = false;
      try {
        entities = await affectedEntities(arn);
      } catch (e) {
        if (e instanceof HealthSubscriptionRequiredError || isThrottlingError(e)) throw e;
        entitiesFailed = true;
        logger?.warn?.('DescribeAffectedEntities failed', { eventArn: arn, error: errorLabel(e) });
        yield quarantine('DescribeAffectedEntities', entitiesFailedReason(arn, e), { eventArn: arn });
      }
      // Without its entity list an account-specific event would read as Region-wide: only a public event goes on.
      if (entitiesFailed && details.event?.eventScopeCode !== 'PUBLIC') continue;
      const item = parseOrQuarantine(
        'DescribeEventDetails',
        { event: details.event, description: details.eventDescription?.latestDescription, entities, account: options.account },
        details,
        logger,
      );
      if (entitiesFailed && !isQuarantined(item)) item.parseNotes.push('affected entities may be incomplete (entity lookup failed)');
      yield item;
    }
    for (const arn of arns) {
      if (!answered.has(arn)) yield quarantine('DescribeEventDetails', 'event missing from both successfulSet and failedSet', { eventArn: arn });
    }
  }

  async function affectedEntities(eventArn: string): Promise<SdkAffectedEntity[]> {
    const out: SdkAffectedEntity[] = [];
    let token: string | undefined;
    do {
      const res = await call(() =>
        client.send(
          new DescribeAffectedEntitiesCommand({ filter: { eventArns: [eventArn] }, maxResults: PAGE_SIZE, ...(token ? { nextToken: token } : {}) }),
        ),
      );
      out.push(...(res.entities ?? []));
      token = res.nextToken;
    } while (token);
    return out;
  }
}

async function* sweepOrganization(options: SweepOptions): AsyncGenerator<SweepItem> {
  const client = options.client ?? getDefaultHealthClient();
  const call = <T>(fn: () => Promise<T>) => withThrottleRetry(fn, options.retry);
  const { logger } = options;
  const filter = {
    lastUpdatedTime: { from: options.since },
    eventTypeCategories: options.eventTypeCategories ?? (['issue'] as EventTypeCategory[]),
    ...(options.services && options.services.length > 0 ? { services: options.services } : {}),
  };

  const pending: EventAccountFilter[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const res = await call(() =>
      client.send(new DescribeEventsForOrganizationCommand({ filter, maxResults: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) })),
    );
    for (const ev of res.events ?? []) {
      if (!ev.arn) {
        yield quarantine('DescribeEventsForOrganization', 'event without arn', ev);
        continue;
      }
      if (seen.has(ev.arn)) continue;
      seen.add(ev.arn);
      const accounts = await affectedAccounts(ev.arn);
      if (accounts.length === 0) {
        // Public events have no affected-account list: ask for the event itself, attribute it to the sweeping account.
        pending.push({ eventArn: ev.arn });
      } else {
        for (const awsAccountId of accounts) pending.push({ eventArn: ev.arn, awsAccountId });
      }
      while (pending.length >= DETAILS_BATCH_SIZE) yield* detailsBatch(pending.splice(0, DETAILS_BATCH_SIZE));
    }
    nextToken = res.nextToken;
  } while (nextToken);
  if (pending.length > 0) yield* detailsBatch(pending.splice(0));
  logger?.info?.('Health API organization sweep done', { events: seen.size });

  async function affectedAccounts(eventArn: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const res = await call(() =>
        client.send(
          new DescribeAffectedAccountsForOrganizationCommand({ eventArn, maxResults: PAGE_SIZE, ...(token ? { nextToken: token } : {}) }),
        ),
      );
      for (const a of res.affectedAccounts ?? []) if (!out.includes(a)) out.push(a);
      token = res.nextToken;
    } while (token);
    return out;
  }

  async function* detailsBatch(filters: EventAccountFilter[]): AsyncGenerator<SweepItem> {
    const res = await call(() =>
      client.send(new DescribeEventDetailsForOrganizationCommand({ organizationEventDetailFilters: filters })),
    );
    for (const failed of res.failedSet ?? []) {
      // failedSet items may lack awsAccountId (aws-health-aware issue #106): never index into them blindly.
      logger?.warn?.('DescribeEventDetailsForOrganization failed for an event', { ...failed });
      yield quarantine(
        'DescribeEventDetailsForOrganization',
        `${failed.errorName ?? 'UnknownError'}: ${failed.errorMessage ?? ''}`.trim(),
        failed,
      );
    }
    for (const details of res.successfulSet ?? []) {
      const event: SdkEvent | undefined = details.event;
      const arn = event?.arn;
      if (!arn) {
        yield quarantine('DescribeEventDetailsForOrganization', 'successfulSet item without event.arn', details);
        continue;
      }
      const account = details.awsAccountId ?? options.account;
      let entities: SdkAffectedEntity[] = [];
      const problems: Quarantined[] = [];
      try {
        entities = await affectedEntities(arn, details.awsAccountId, problems);
      } catch (e) {
        if (e instanceof HealthSubscriptionRequiredError) throw e;
        if (isThrottlingError(e)) throw e;
        problems.push(
          quarantine('DescribeAffectedEntitiesForOrganization', entitiesFailedReason(arn, e), { eventArn: arn, awsAccountId: details.awsAccountId }),
        );
      }
      yield* problems;
      // Without its (complete) entity list an account-specific event would read as Region-wide: only a public event goes on.
      if (problems.length > 0 && event?.eventScopeCode !== 'PUBLIC') {
        logger?.warn?.('affected entities incomplete: account-specific event not yielded', { eventArn: arn, awsAccountId: details.awsAccountId });
        continue;
      }
      const item = parseOrQuarantine(
        'DescribeEventDetailsForOrganization',
        { event, description: details.eventDescription?.latestDescription, entities, account },
        details,
        logger,
      );
      if (!isQuarantined(item) && problems.length > 0) item.parseNotes.push('affected entities may be incomplete (entity lookup failed)');
      yield item;
    }
  }

  async function affectedEntities(eventArn: string, awsAccountId: string | undefined, problems: Quarantined[]): Promise<SdkAffectedEntity[]> {
    const out: SdkAffectedEntity[] = [];
    let token: string | undefined;
    const entityFilter = awsAccountId ? { eventArn, awsAccountId } : { eventArn };
    do {
      const res = await call(() =>
        client.send(
          new DescribeAffectedEntitiesForOrganizationCommand({
            organizationEntityAccountFilters: [entityFilter],
            maxResults: PAGE_SIZE,
            ...(token ? { nextToken: token } : {}),
          }),
        ),
      );
      out.push(...(res.entities ?? []));
      for (const failed of res.failedSet ?? []) {
        problems.push(
          quarantine('DescribeAffectedEntitiesForOrganization', `${failed.errorName ?? 'UnknownError'}: ${failed.errorMessage ?? ''}`.trim(), failed),
        );
      }
      token = res.nextToken;
    } while (token);
    return out;
  }
}
