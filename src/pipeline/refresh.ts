/**
 * Keeps recent claims current between Health updates (scheduled, every 6 hours):
 * - charges: a claim computed during the month was priced on the spend known then; Cost Explorer keeps adding the
 *   month's last days for a while after it ends;
 * - open outages: "down until now" only moves when something recomputes it, and an outage still open at a month's
 *   end needs the next month's claim even if AWS sends no update.
 * Every claim of the months whose filing deadline is still ahead (this month and the two before) that is not
 * submitted or rejected is recomputed from its scope's incidents, exactly as ingest does; unchanged numbers write
 * nothing.
 */
import { DateTime } from 'luxon';
import type { Claim } from '../claims/types.ts';
import { mapPool } from '../util/pool.ts';
import { IncidentStore } from './incidents.ts';
import { monthsOf, recomputeScope, type IngestDeps } from './ingest.ts';

export interface RefreshResult {
  months: string[];
  scopes: number;
  /** Claims recomputed (unchanged ones included; those write nothing). */
  claimsRecomputed: number;
}

/** This month and the two before it (UTC): the months whose claims can still be filed. */
export function openMonths(nowMs: number): string[] {
  const now = DateTime.fromMillis(nowMs, { zone: 'utc' }).startOf('month');
  return [2, 1, 0].map((back) => now.minus({ months: back }).toFormat('yyyy-LL'));
}

const FINAL_STATUSES = new Set<Claim['status']>(['submitted', 'rejected']);

export async function refreshRecentClaims(deps: IngestDeps, months: readonly string[] = openMonths(deps.now())): Promise<RefreshResult> {
  const incidents = new IncidentStore(deps.db);
  const scopes = new Set<string>();
  for (const month of months) {
    for (const claim of await deps.claims.listClaimsByMonth(month)) {
      if (!FINAL_STATUSES.has(claim.status)) scopes.add(claim.claimId.slice(0, -'#YYYY-MM'.length));
    }
  }
  const nowMs = deps.now();
  const earliest = [...months].sort()[0] ?? '';
  const recomputed = await mapPool([...scopes].sort(), 8, async (scopeKey) => {
    const links = await incidents.listLinksOfScope(scopeKey);
    const first = links[0];
    if (!first) return 0;
    // Every month any incident of the scope touches up to now (open ones included), plus the months seen before.
    const touched = [...new Set(links.flatMap((l) => [...l.monthsSeen, ...monthsOf(l, nowMs)]))].filter((m) => m >= earliest);
    const claims = await recomputeScope(incidents, { ...first, monthsSeen: touched.sort() }, deps);
    return claims.length;
  });
  return { months: [...months], scopes: scopes.size, claimsRecomputed: recomputed.reduce((a, b) => a + b, 0) };
}
