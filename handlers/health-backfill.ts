/**
 * Scheduled backfill: sweeps the AWS Health API for events updated in the last BACKFILL_LOOKBACK_HOURS (default 26,
 * so a daily schedule overlaps itself) and feeds them through the same ingest use case as EventBridge events, so an
 * event EventBridge missed still becomes a claim. Re-processing a known update changes nothing (exactly-once effect).
 *
 * No Business/Enterprise support plan → one clear log line, no crash. Throttling is retried with backoff.
 * One event whose ingest fails is logged and skipped; the sweep goes on, and at the end one error lists the failed
 * event ARNs, so the invocation goes to the on-failure destination and the next (overlapping) run retries them:
 * an update whose ingest failed is never marked done.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { isHealthSubscriptionRequiredError, isQuarantined, sweepHealthEvents, type SweepOptions } from '../src/health/backfill.ts';
import type { HealthEvent } from '../src/health/types.ts';
import { ingestEvent, quarantine } from '../src/pipeline/ingest.ts';
import { getDeps } from './health-event.ts';

const logger = new Logger({ serviceName: 'sla-claims' });

/** The account this function runs in, from its ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME). */
export function accountFromContext(context: Pick<Context, 'invokedFunctionArn'> | undefined): string | undefined {
  return context?.invokedFunctionArn?.split(':')[4];
}

export interface BackfillResult {
  events: number;
  quarantined: number;
  claimsTouched: number;
  skipped?: string;
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

export async function runBackfill(
  context: Pick<Context, 'invokedFunctionArn'> | undefined,
  sweep: (options: SweepOptions) => AsyncGenerator<unknown> = sweepHealthEvents,
  ingest: typeof ingestEvent = ingestEvent,
): Promise<BackfillResult> {
  const deps = await getDeps();
  const account = process.env.HEALTH_ACCOUNT_ID || accountFromContext(context);
  if (!account) throw new Error('HEALTH_ACCOUNT_ID is not set and the account could not be read from the function ARN');
  const hours = Number(process.env.BACKFILL_LOOKBACK_HOURS ?? '26');
  if (!Number.isFinite(hours) || hours < 1 || hours > 24 * 90) {
    throw new Error(`BACKFILL_LOOKBACK_HOURS: expected hours between 1 and 2160 (got ${JSON.stringify(process.env.BACKFILL_LOOKBACK_HOURS)})`);
  }
  const since = new Date(deps.now() - hours * 3_600_000);
  const result: BackfillResult = { events: 0, quarantined: 0, claimsTouched: 0 };
  const failed: { eventArn: string; account: string }[] = [];
  try {
    for await (const item of sweep({ since, account, organization: process.env.HEALTH_ORGANIZATION_VIEW === 'true', logger: sweepLogger })) {
      if (isQuarantined(item as never)) {
        const q = (item as { quarantined: { source: string; reason: string; raw: unknown } }).quarantined;
        await quarantine(q.raw, `health-api:${q.source}`, q.reason, deps);
        result.quarantined++;
        continue;
      }
      const event = item as HealthEvent;
      try {
        const outcome = await ingest(event, 'health-api', deps);
        result.events++;
        if (outcome.kind === 'processed') result.claimsTouched += outcome.claims.length;
      } catch (error) {
        // One bad event must not stop the sweep (nor, with no retries, block every later run).
        failed.push({ eventArn: event.eventArn, account: event.account });
        logger.error('Health API backfill: event ingest failed', { eventArn: event.eventArn, account: event.account, error: error as Error });
      }
    }
  } catch (error) {
    if (isHealthSubscriptionRequiredError(error)) {
      logger.error((error as Error).message);
      if (failed.length > 0) throw new BackfillEventsFailedError(failed);
      return { ...result, skipped: 'subscription-required' };
    }
    throw error;
  }
  logger.info('Health API backfill done', { ...result, failed: failed.length, since: since.toISOString() });
  if (failed.length > 0) throw new BackfillEventsFailedError(failed);
  return result;
}

const sweepLogger = {
  debug: (message: string, extra?: Record<string, unknown>) => logger.debug(message, extra ?? {}),
  info: (message: string, extra?: Record<string, unknown>) => logger.info(message, extra ?? {}),
  warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, extra ?? {}),
};

export const handler = middy((_event: unknown, context: Context) => runBackfill(context)).use(injectLambdaContext(logger, { clearState: true }));
