/**
 * Scheduled backfill (AWS Health API → the ingest). Thin: reads the settings (account, lookback, organization view)
 * from the environment and the function ARN, runs the use case (src/pipeline/backfill.ts), returns its result.
 */
import type { Context } from 'aws-lambda';
import { sweepHealthEvents, type SweepItem, type SweepOptions } from '../src/health/backfill.ts';
import { backfillFromHealthApi, type BackfillRequest, type BackfillResult } from '../src/pipeline/backfill.ts';
import { ingestEvent, type IngestDeps } from '../src/pipeline/ingest.ts';
import { clients, ingestDeps, lambda, log } from './wiring.ts';

export { BackfillEventsFailedError, type BackfillResult } from '../src/pipeline/backfill.ts';

/** The account this function runs in, from its ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME). */
export function accountFromContext(context: Pick<Context, 'invokedFunctionArn'> | undefined): string | undefined {
  return context?.invokedFunctionArn?.split(':')[4];
}

/** The request from HEALTH_ACCOUNT_ID (else the function ARN), BACKFILL_LOOKBACK_HOURS (default 26), HEALTH_ORGANIZATION_VIEW. */
export function backfillRequest(context: Pick<Context, 'invokedFunctionArn'> | undefined, env = process.env): BackfillRequest {
  const account = env.HEALTH_ACCOUNT_ID || accountFromContext(context);
  if (!account) throw new Error('HEALTH_ACCOUNT_ID is not set and the account could not be read from the function ARN');
  // 26 hours by default, so a daily schedule overlaps itself.
  const hours = Number(env.BACKFILL_LOOKBACK_HOURS ?? '26');
  if (!Number.isFinite(hours) || hours < 1 || hours > 24 * 90) {
    throw new Error(`BACKFILL_LOOKBACK_HOURS: expected hours between 1 and 2160 (got ${JSON.stringify(env.BACKFILL_LOOKBACK_HOURS)})`);
  }
  return { account, lookbackHours: hours, organization: env.HEALTH_ORGANIZATION_VIEW === 'true' };
}

export async function runBackfill(
  context: Pick<Context, 'invokedFunctionArn'> | undefined,
  sweep?: (options: SweepOptions) => AsyncGenerator<SweepItem>,
  ingest: typeof ingestEvent = ingestEvent,
  deps?: IngestDeps,
): Promise<BackfillResult> {
  const request = backfillRequest(context);
  deps ??= await ingestDeps();
  // The Health client of the wiring (budgeted retries) unless a test brings its own sweep.
  const health = sweep ? undefined : await clients.health();
  const sweepWith = sweep ?? ((options: SweepOptions) => sweepHealthEvents({ ...options, client: health! }));
  return backfillFromHealthApi(request, { ingest: deps, logger: log, ingestEvent: ingest, sweep: sweepWith });
}

export const handler = lambda('health-backfill', ingestDeps, (_event: unknown, deps, context) => runBackfill(context, undefined, ingestEvent, deps));
