/**
 * Use case: a claim scope's measured series arrived (collected from CloudWatch, or read from a CSV locally). Every
 * existing claim of that scope in the months the series covers is recomputed from it through the recompute
 * machinery (one read, a write conditional on the version read, retried on a lost race, with its audit entry), and
 * keeps the series in stored form so later Health updates and refreshes compute from the same evidence.
 *
 * A series creates no claim (only an incident does) and leaves filed or final claims alone (submitted, credited,
 * denied, rejected, expired): evidence that arrives after filing must not silently change what was filed.
 */
import { claimIdOf, scopeKeyOf } from '../claims/ids.ts';
import type { Claim, ClaimStatus } from '../claims/types.ts';
import type { ClaimScope } from '../claims/build.ts';
import { InvalidSeriesError } from '../credit/measured.ts';
import { monthsBetween } from '../credit/month.ts';
import type { ScopeSeries } from '../metrics/types.ts';
import { recomputeClaims, type ClaimTarget, type RecomputeDeps } from './recompute.ts';

export interface ApplyMeasuredResult {
  /** The scope's claims after the recompute (unchanged ones included). */
  claims: Claim[];
  /** Claims written. */
  written: number;
  /** Claim ids of the covered months that do not exist (no incident of this scope in that month). */
  missing: string[];
  /** Claim ids left alone because they are filed or final. */
  skipped: string[];
}

const FINAL: ReadonlySet<ClaimStatus> = new Set(['submitted', 'credited', 'denied', 'rejected', 'expired']);

function check(series: ScopeSeries): void {
  if (!/^\d{12}$/.test(series.account)) throw new InvalidSeriesError(`series.account: expected a 12-digit AWS account id (got ${JSON.stringify(series.account)})`);
  if (!series.slaId) throw new InvalidSeriesError(`series.slaId: empty`);
  if (!series.region) throw new InvalidSeriesError(`series.region: empty`);
  if (!Number.isFinite(series.fromMs) || !Number.isFinite(series.toMs) || series.toMs <= series.fromMs) {
    throw new InvalidSeriesError(`series.fromMs/toMs: expected fromMs < toMs (got ${series.fromMs}, ${series.toMs})`);
  }
  if (series.kind !== 'error-rate' && series.kind !== 'unavailable') throw new InvalidSeriesError(`series.kind: expected error-rate or unavailable (got ${JSON.stringify(series.kind)})`);
  if (series.periodSeconds !== 60 && series.periodSeconds !== 300) throw new InvalidSeriesError(`series.periodSeconds: expected 60 or 300 (got ${series.periodSeconds})`);
  series.points.forEach((p, i) => {
    if (!Number.isFinite(p.startMs)) throw new InvalidSeriesError(`series.points[${i}].startMs: not a valid instant (got ${p.startMs})`);
    if (!Number.isFinite(p.total) || p.total < 0) throw new InvalidSeriesError(`series.points[${i}].total: expected a non-negative number (got ${p.total})`);
    if (!Number.isFinite(p.failed) || p.failed < 0) throw new InvalidSeriesError(`series.points[${i}].failed: expected a non-negative number (got ${p.failed})`);
  });
}

export async function applyMeasuredSeries(deps: RecomputeDeps, series: ScopeSeries): Promise<ApplyMeasuredResult> {
  check(series);
  const scopeKey = scopeKeyOf(series.account, series.slaId, series.resource ?? series.region);
  const months = monthsBetween(series.fromMs, series.toMs);
  const ids = months.map((m) => claimIdOf(scopeKey, m));
  const stored = await deps.claims.getForRecompute(ids);
  const targets: ClaimTarget[] = [];
  const missing: string[] = [];
  const skipped: string[] = [];
  months.forEach((month, i) => {
    const current = stored.get(ids[i]!);
    const first = current && Object.values(current.windows)[0];
    if (!current || !first) {
      missing.push(ids[i]!);
      return;
    }
    if (FINAL.has(current.claim.status)) {
      skipped.push(ids[i]!);
      return;
    }
    const c = current.claim;
    const scope: ClaimScope = { scopeKey, account: c.account, slaId: c.slaId, region: c.region, resource: c.resource, service: first.service, ...(c.fleet ? { fleet: true as const } : {}) };
    targets.push({ scope, month, patch: {}, series });
  });
  if (targets.length === 0) return { claims: [], written: 0, missing, skipped };
  const result = await recomputeClaims(targets, deps, { ids: new Set(ids), claims: stored });
  return { claims: result.claims, written: result.written, missing, skipped };
}
