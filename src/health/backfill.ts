/**
 * Health API sweeper: finds events updated since a given time and yields them as {@link HealthEvent}s.
 * One sweep over either API flavour (health-api.ts):
 *
 *   events (paginated, since `since`, category issue) → detail targets per event (org view: one per affected
 *   account) → details (≤10 targets per call; failedSet items are yielded as quarantined) → affected entities per
 *   target (paginated).
 *
 * Errors:
 * - `SubscriptionRequiredException` (no Business/Enterprise support plan) → {@link HealthSubscriptionRequiredError}
 *   with a one-line message; the caller should log it once and carry on (EventBridge delivery still works).
 * - Throttling is retried by the SDK (the wiring's client: budgeted retries) AND by {@link withThrottleRetry}
 *   (exponential backoff, injectable sleep) around every call.
 * - Anything that cannot be parsed is yielded as `{ quarantined: { source, reason, raw } }`, never thrown.
 * - A failed affected-entity lookup is quarantined (reason: the event ARN and the error). The event itself is
 *   yielded only when it is PUBLIC: an account-specific event without its entities would be read as Region-wide.
 */
import type { Log } from '../util/log.ts';
import type { AffectedEntity as SdkAffectedEntity, EventTypeCategory, HealthClient } from '@aws-sdk/client-health';
import {
  accountApi,
  organizationApi,
  type ApiFailure,
  type DetailTarget,
  type HealthApi,
} from './health-api.ts';
import { parseHealthApiEvent } from './parse.ts';
import { errorLabel, HealthSubscriptionRequiredError, isThrottlingError, withThrottleRetry, type RetryOptions } from './throttle.ts';
import { HealthEventParseError, type HealthEvent } from './types.ts';

/** Max ARNs (or event/account filters) per DescribeEventDetails[ForOrganization] call (API limit). */
export const DETAILS_BATCH_SIZE = 10;

export interface Quarantined {
  quarantined: { source: string; reason: string; raw: unknown };
}
export type SweepItem = HealthEvent | Quarantined;

export function isQuarantined(item: SweepItem): item is Quarantined {
  return 'quarantined' in item;
}

/** What the sweep logs through: part of the application's one logging port (src/util/log.ts). */
export type SweepLogger = Partial<Pick<Log, 'debug' | 'info' | 'warn'>>;

export interface SweepOptions {
  /** The Health client (handlers/wiring.ts builds it; the use case above this one passes options without it). */
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

const ENTITIES_INCOMPLETE = 'affected entities may be incomplete (entity lookup failed)';

function quarantine(source: string, reason: string, raw: unknown): Quarantined {
  return { quarantined: { source, reason, raw } };
}

/**
 * Sweeps the Health API for events updated since `options.since`. Yields parsed events and quarantined
 * inputs. Throws {@link HealthSubscriptionRequiredError} when the support plan lacks the Health API.
 */
export async function* sweepHealthEvents(options: SweepOptions): AsyncGenerator<SweepItem> {
  const client = options.client;
  if (!client) throw new Error('sweepHealthEvents: options.client is required (handlers/wiring.ts builds the Health client)');
  const call = <T>(fn: () => Promise<T>) => withThrottleRetry(fn, options.retry);
  const query = { since: options.since, services: options.services, eventTypeCategories: options.eventTypeCategories };
  yield* sweep(options.organization ? organizationApi(client, call, query) : accountApi(client, call, query), options);
}

async function* sweep(api: HealthApi, options: SweepOptions): AsyncGenerator<SweepItem> {
  const { logger } = options;
  const pending: DetailTarget[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const res = await api.events(nextToken);
    pages++;
    for (const ev of res.events) {
      if (!ev.arn) {
        yield quarantine(api.names.events, 'event without arn', ev);
        continue;
      }
      if (seen.has(ev.arn)) continue;
      seen.add(ev.arn);
      pending.push(...(await api.targets(ev.arn)));
      while (pending.length >= DETAILS_BATCH_SIZE) yield* detailsBatch(pending.splice(0, DETAILS_BATCH_SIZE));
    }
    nextToken = res.nextToken;
  } while (nextToken);
  if (pending.length > 0) yield* detailsBatch(pending.splice(0));
  logger?.info?.(api.doneMessage, { pages, events: seen.size });

  async function* detailsBatch(targets: DetailTarget[]): AsyncGenerator<SweepItem> {
    const res = await api.details(targets);
    for (const failed of res.failed) {
      logger?.warn?.(`${api.names.details} failed for an event`, failed.raw);
      yield quarantine(api.names.details, failed.reason, failed.raw);
    }
    for (const details of res.successful) {
      const arn = details.event?.arn;
      if (!arn) {
        yield quarantine(api.names.details, 'successfulSet item without event.arn', details.raw);
        continue;
      }
      const target: DetailTarget = details.awsAccountId ? { eventArn: arn, awsAccountId: details.awsAccountId } : { eventArn: arn };
      const problems: ApiFailure[] = [];
      let entities: SdkAffectedEntity[] = [];
      try {
        entities = await api.entities(target, problems);
      } catch (e) {
        if (e instanceof HealthSubscriptionRequiredError || isThrottlingError(e)) throw e;
        logger?.warn?.(`${api.names.entities} failed`, { eventArn: arn, error: errorLabel(e) });
        problems.push({ reason: `affected entities of ${arn} could not be read (${errorLabel(e)})`, raw: { ...target } });
      }
      for (const p of problems) yield quarantine(api.names.entities, p.reason, p.raw);
      // Without its (complete) entity list an account-specific event would read as Region-wide: only a public event goes on.
      if (problems.length > 0 && details.event?.eventScopeCode !== 'PUBLIC') {
        logger?.warn?.('affected entities incomplete: account-specific event not yielded', { ...target });
        continue;
      }
      const account = details.awsAccountId ?? options.account;
      const item = parseOrQuarantine(
        api.names.details,
        { event: details.event, description: details.description, entities, account },
        details.raw,
        logger,
      );
      if (problems.length > 0 && !isQuarantined(item)) item.parseNotes.push(ENTITIES_INCOMPLETE);
      yield item;
    }
    for (const t of res.unanswered) {
      yield quarantine(api.names.details, 'event missing from both successfulSet and failedSet', { eventArn: t.eventArn });
    }
  }
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
