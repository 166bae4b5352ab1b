/**
 * Keeps recent claims current between Health updates (scheduled, every 6 hours):
 * - charges: a claim computed during the month was priced on the spend known then; Cost Explorer keeps adding the
 *   month's last days for a while after it ends;
 * - open outages: "down until now" only moves when something recomputes it, and an outage still open at a month's
 *   end needs the next month's claim even if AWS sends no update.
 * Every claim of the months whose filing deadline is still ahead (this month and the two before) that is not
 * submitted or rejected is recomputed from the windows embedded in it, exactly as ingest does (the recompute use
 * case); unchanged numbers write nothing. An open window reaching a month without a claim creates it, and the
 * month is added to the incident's months so its closing update corrects that claim too.
 */
import { DateTime } from 'luxon';
import type { ClaimScope } from '../claims/build.ts';
import { parseClaimId } from '../claims/ids.ts';
import { monthsOf } from '../claims/outage.ts';
import type { Claim, IncidentWindow } from '../claims/types.ts';
import type { IncidentStore } from './ports.ts';
import { recomputeClaims, type ClaimTarget, type RecomputeDeps } from './recompute.ts';

export interface RefreshResult {
  months: string[];
  scopes: number;
  /** Claims recomputed (unchanged ones included; those write nothing). */
  claimsRecomputed: number;
}

export type RefreshDeps = RecomputeDeps & { incidents: IncidentStore };

/** This month and the two before it (UTC): the months whose claims can still be filed. */
export function openMonths(nowMs: number): string[] {
  const now = DateTime.fromMillis(nowMs, { zone: 'utc' }).startOf('month');
  return [2, 1, 0].map((back) => now.minus({ months: back }).toFormat('yyyy-LL'));
}

const FINAL_STATUSES = new Set<Claim['status']>(['submitted', 'rejected']);

export async function refreshRecentClaims(deps: RefreshDeps, months: readonly string[] = openMonths(deps.now())): Promise<RefreshResult> {
  const nowMs = deps.now();
  const wanted = new Set(months);
  const byScope = new Map<string, { scope: ClaimScope; months: Set<string>; open: Map<string, IncidentWindow> }>();
  const targets: ClaimTarget[] = [];
  for (const month of months) {
    for (const { claim, windows } of await deps.claims.listStoredByMonth(month)) {
      if (FINAL_STATUSES.has(claim.status)) continue;
      const first = Object.values(windows)[0];
      if (!first) continue; // not computed from incidents (nothing to refresh it from)
      const { scopeKey } = parseClaimId(claim.claimId);
      const scope: ClaimScope = { scopeKey, account: claim.account, slaId: claim.slaId, region: claim.region, resource: claim.resource, service: first.service, ...(claim.fleet ? { fleet: true as const } : {}) };
      const entry = byScope.get(scopeKey) ?? { scope, months: new Set<string>(), open: new Map<string, IncidentWindow>() };
      byScope.set(scopeKey, entry);
      entry.months.add(month);
      for (const [key, w] of Object.entries(windows)) if (w.endMs === null) entry.open.set(key, w);
      targets.push({ scope, month, patch: {} });
    }
  }
  // Open outages reaching a month that has no claim of their scope yet.
  for (const { scope, months: have, open } of byScope.values()) {
    const reached = new Map<string, Record<string, IncidentWindow>>();
    for (const [key, w] of open) {
      const fresh = monthsOf(w, nowMs).filter((m) => wanted.has(m) && !have.has(m));
      for (const m of fresh) reached.set(m, { ...(reached.get(m) ?? {}), [key]: w });
      if (fresh.length) {
        const account = scope.account;
        await deps.incidents.addMonths(account, w.eventArn, fresh);
      }
    }
    for (const [month, patch] of reached) targets.push({ scope, month, patch });
  }
  const result = await recomputeClaims(targets, deps);
  return { months: [...months], scopes: byScope.size, claimsRecomputed: result.claims.length };
}
