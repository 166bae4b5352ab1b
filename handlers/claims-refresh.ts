/**
 * Scheduled (every 6 hours): recomputes the claims whose deadline is still ahead, so their charges follow Cost
 * Explorer as the month's bill settles and open outages keep counting (and reach the next month) without a Health
 * update. See src/pipeline/refresh.ts. Dependencies: handlers/wiring.ts.
 */
import type { IngestDeps } from '../src/pipeline/ingest.ts';
import { refreshRecentClaims } from '../src/pipeline/refresh.ts';
import { ingestDeps, lambda, log } from './wiring.ts';

export async function claimsRefresh(_event: unknown, deps: IngestDeps) {
  const result = await refreshRecentClaims(deps);
  log.info('claims refreshed', { ...result });
  return result;
}

export const handler = lambda('claims-refresh', ingestDeps, claimsRefresh);
