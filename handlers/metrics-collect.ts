/**
 * Scheduled (every 15 minutes): reads the CloudWatch series of claims whose incident windows changed since their last
 * read, stores it as evidence and recomputes the claims from it. See src/pipeline/collect-metrics.ts (the trigger and
 * why) and README "Measured evidence in AWS". Dependencies: handlers/wiring.ts.
 */
import type { Context } from 'aws-lambda';
import { collectMetrics, type CollectDeps } from '../src/pipeline/collect-metrics.ts';
import { lambda, log, metricsCollectDeps } from './wiring.ts';

/** Claims are not started in the last minute before the timeout (a claim's read and write take seconds). */
const STOP_BEFORE_TIMEOUT_MS = 60_000;

export async function metricsCollect(_event: unknown, deps: CollectDeps, context?: Pick<Context, 'getRemainingTimeInMillis'>) {
  const remaining = context?.getRemainingTimeInMillis?.();
  const deadlineMs = remaining !== undefined ? deps.now() + remaining - STOP_BEFORE_TIMEOUT_MS : undefined;
  const result = await collectMetrics(deadlineMs !== undefined ? { ...deps, deadlineMs } : deps);
  log.info('metrics collected', { ...result });
  return result;
}

export const handler = lambda('metrics-collect', metricsCollectDeps, metricsCollect);
