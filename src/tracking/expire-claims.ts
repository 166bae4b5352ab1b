/**
 * Expiry: a claim not submitted by its deadline becomes `expired` (AWS accepts a claim only until the end of the
 * second billing cycle after the incident; the money is lost). One conditional, audited transition per claim, through
 * the store's `transition`, so a run that races an approval or a filing makes exactly one of them.
 *
 * Which claims: those of the incident months whose deadline has passed, read through the month index (never a
 * Scan). The scheduled run looks back `LOOKBACK_MONTHS` such months, so a run missed for a while still catches up;
 * the local replay passes the months it touched.
 */
import { canTransition, TRANSITIONS, type Claim, type ClaimStatus } from '../claims/types.ts';
import { claimDeadline, monthWindow } from '../credit/month.ts';
import type { ClaimStore } from '../store/claim-store.ts';
import { silentLog, type Log } from '../util/log.ts';

/** Statuses a passed deadline ends (every status that may go to `expired`). */
export const EXPIRABLE: readonly ClaimStatus[] = (Object.keys(TRANSITIONS) as ClaimStatus[]).filter((s) => canTransition(s, 'expired'));

/** Incident months with a passed deadline that a scheduled run re-reads. */
export const LOOKBACK_MONTHS = 6;

export interface ExpireDeps {
  store: Pick<ClaimStore, 'listClaimsByMonth' | 'transition'>;
  now: () => number;
  log?: Pick<Log, 'info' | 'warn'>;
}

export interface ExpiredClaim {
  claimId: string;
  month: string;
  deadline: string;
  from: ClaimStatus;
  /** The credit lost (null when the charges were unknown). */
  creditCents: number | null;
}

export interface ExpireReport {
  months: string[];
  /** Claims read in those months. */
  checked: number;
  expired: ExpiredClaim[];
  /** Claims that changed under the run (filed or decided meanwhile) and were left as they are now. */
  skipped: number;
}

function today(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/** A claim's last filing day (the stored one, else the month's). */
export function deadlineOf(claim: Pick<Claim, 'deadline' | 'month'>): string {
  return claim.deadline || claimDeadline(claim.month);
}

/** True when the claim is still unfiled and its last filing day is before today (UTC). */
export function isExpiredAt(claim: Pick<Claim, 'status' | 'deadline' | 'month'>, nowMs: number): boolean {
  return EXPIRABLE.includes(claim.status) && deadlineOf(claim) < today(nowMs);
}

/**
 * The latest `count` incident months whose deadline is before today (UTC), newest first. On 22 October 2025 the
 * newest is July 2025 (deadline 30 September); August's deadline (31 October) has not passed.
 */
export function monthsPastDeadline(nowMs: number, count: number = LOOKBACK_MONTHS): string[] {
  const d = new Date(nowMs);
  let year = d.getUTCFullYear();
  let month = d.getUTCMonth() + 1; // 1-based, the current month
  const months: string[] = [];
  const day = today(nowMs);
  for (let i = 0; months.length < count && i < count + 3; i++) {
    const m = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    if (year >= 1970 && claimDeadline(m) < day) months.push(m);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

export async function expireClaims(deps: ExpireDeps, options: { months?: readonly string[] } = {}): Promise<ExpireReport> {
  const nowMs = deps.now();
  const log = deps.log ?? silentLog;
  const months = [...new Set(options.months ?? monthsPastDeadline(nowMs))].sort();
  for (const m of months) monthWindow(m); // a bad month fails here, naming it, before anything is written
  const report: ExpireReport = { months, checked: 0, expired: [], skipped: 0 };
  const at = new Date(nowMs).toISOString();
  for (const month of months) {
    const claims = await deps.store.listClaimsByMonth(month);
    report.checked += claims.length;
    for (const listed of claims) {
      let claim: Claim | null = listed;
      // Two attempts: a recompute may bump the version between the read and the write without changing the status.
      for (let attempt = 0; claim && isExpiredAt(claim, nowMs) && attempt < 3; attempt++) {
        const deadline = deadlineOf(claim);
        const result = await deps.store.transition({
          claimId: claim.claimId,
          from: claim.status,
          to: 'expired',
          expectedVersion: claim.version,
          actor: 'system',
          at,
          reason: `not submitted by the deadline ${deadline}; AWS no longer accepts the claim`,
          detail: { deadline, creditCents: String(claim.creditCents) },
        });
        if (result.ok) {
          report.expired.push({ claimId: claim.claimId, month, deadline, from: claim.status, creditCents: claim.creditCents });
          claim = null;
        } else {
          claim = result.current;
        }
      }
      if (claim && claim !== listed && !isExpiredAt(claim, nowMs)) report.skipped++;
    }
  }
  if (report.expired.length) {
    log.info('claims expired: not submitted by their deadline', { months, expired: report.expired.length, checked: report.checked });
  }
  return report;
}
