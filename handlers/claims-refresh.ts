/**
 * Scheduled (every 6 hours): recomputes the claims whose deadline is still ahead, so their charges follow Cost
 * Explorer as the month's bill settles and open outages keep counting (and reach the next month) without a Health
 * update. See src/pipeline/refresh.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { refreshRecentClaims } from '../src/pipeline/refresh.ts';
import { getDeps } from './health-event.ts';

const logger = new Logger({ serviceName: 'sla-claims' });

export async function claimsRefresh() {
  const result = await refreshRecentClaims(await getDeps());
  logger.info('claims refreshed', { ...result });
  return result;
}

export const handler = middy(claimsRefresh).use(injectLambdaContext(logger, { clearState: true }));
