/**
 * Use case: backfill from the AWS Health API. Sweeps the events updated in the last `lookbackHours` and feeds them
 * through the same ingest as EventBridge events, so an event EventBridge missed still becomes a claim. Re-processing
 * a known update changes nothing (exactly-once effect).
 *
 * It sits in pipeline/ (not health/) because it calls the ingest: handlers → pipeline → health, imports run down.
 *
 * No Business/Enterprise support plan → one clear log line, no crash. One event whose ingest fails is logged and
 * skipped; the sweep goes on, and at the end one error lists the failed event ARNs, so the invocation goes to the
 * on-failure destination and the next (overlapping) run retries them: an update whose ingest failed is never
 * marked done.
 */
import type { Log } from '../util/log.ts';
import { isQuarantined, sweepHealthEvents, type SweepItem, type SweepOptions } from '../health/backfill.ts';
import { isHealthSubscriptionRequiredError } from '../health/throttle.ts';
import { ingestEvent, quarantine, type IngestDeps } from './ingest.ts';

export interface BackfillResult {
  events: number;
  quarantined: number;
  claimsTouched: number;
  skipped?: string;
}

export interface BackfillRequest {
  /** The account the sweep runs in. */
  account: string;
  /** Sweep events updated in the last this many hours. */
  lookbackHours: number;
  /** Use the organizational view APIs. */
  organization: boolean;
}

/** The application's one logging port (src/util/log.ts). */
export type BackfillLogger = Log;

export interface BackfillDeps {
  ingest: IngestDeps;
  logger: BackfillLogger;
  /** The Health API sweep (injectable for tests). */
  sweep?: (options: SweepOptions) => AsyncGenerator<SweepItem>;
  /** The ingest of one event (injectable for tests). */
  ingestEvent?: typeof ingestEvent;
}

/** Thrown after a sweep in which some events could not be ingested; names every one. */
export class BackfillEventsFailedError extends Error {
  override readonly name = 'BackfillEventsFailedError';
  constructor(readonly failed: readonly { eventArn: string; account: string }[]) {
    super(
      `Health API backfill: ${failed.length} event(s) failed to ingest and will be retried by the next run: ` +
        failed.map((f) => `${f.eventArn} (account ${f.account})`).join(', '),
    );
  }
}

export async function backfillFromHealthApi(request: BackfillRequest, deps: BackfillDeps): Promise<BackfillResult> {
  const { logger, ingest: ingestDeps } = deps;
  const sweep = deps.sweep ?? sweepHealthEvents;
  const ingest = deps.ingestEvent ?? ingestEvent;
  const since = new Date(ingestDeps.now() - request.lookbackHours * 3_600_000);
  const result: BackfillResult = { events: 0, quarantined: 0, claimsTouched: 0 };
  const failed: { eventArn: string; account: string }[] = [];
  try {
    for await (const item of sweep({ since, account: request.account, organization: request.organization, logger })) {
      if (isQuarantined(item)) {
        const q = item.quarantined;
        await quarantine(q.raw, `health-api:${q.source}`, q.reason, ingestDeps);
        result.quarantined++;
        continue;
      }
      try {
        const outcome = await ingest(item, 'health-api', ingestDeps);
        result.events++;
        if (outcome.kind === 'processed') result.claimsTouched += outcome.claims.length;
      } catch (error) {
        // One bad event must not stop the sweep (nor, with no retries, block every later run).
        failed.push({ eventArn: item.eventArn, account: item.account });
        logger.error('Health API backfill: event ingest failed', { eventArn: item.eventArn, account: item.account, error: error as Error });
      }
    }
  } catch (error) {
    if (isHealthSubscriptionRequiredError(error)) {
      logger.error(error.message);
      if (failed.length > 0) throw new BackfillEventsFailedError(failed);
      return { ...result, skipped: 'subscription-required' };
    }
    throw error;
  }
  logger.info('Health API backfill done', { ...result, failed: failed.length, since: since.toISOString() });
  if (failed.length > 0) throw new BackfillEventsFailedError(failed);
  return result;
}
