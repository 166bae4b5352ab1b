/**
 * Reconciliation (scheduled): finds the credits of filed claims on the bill and records what was paid.
 *
 * The bill does not say which credit pays which claim, so credits are matched (`matchCredits`, pure) to the filed
 * claims (submitted, or credited by AWS's answer) of the same account and service, on a bill month from the filing's
 * month on: an exact amount first, else the oldest filing first, each claim taking at most what it claimed. A credit
 * larger than what those claims still claim is left over (a promotional or other credit, not an SLA credit).
 *
 * Then, per claim (`decide`): paid in full → `credited` with the payment; paid in part → the payment is recorded,
 * and 60 days after filing the claim is `credited` with the flag `partial`; nothing paid 60 days after filing → the
 * flag `missing` (the claim stays where it is: someone must chase AWS on the case). Every write is conditional on the
 * status and version read, and audited; a run that finds what is already stored writes nothing.
 */
import type { AuditEntry, Claim, PaymentRecord } from '../claims/types.ts';
import { getSla } from '../sla/index.ts';
import type { ClaimStore } from '../store/claim-store.ts';
import { silentLog, type Log } from '../util/log.ts';
import type { BillCredit, BillCredits, TrackingStore } from './ports.ts';
import { filedClaims, recentMonths } from './track-cases.ts';

/** Days after filing when a credit not (fully) on the bill is flagged. */
export const FLAG_AFTER_DAYS = 60;
/** Incident months whose filed claims are reconciled (filing ends 2 months on; credits follow within a few bills). */
export const RECONCILE_MONTHS = 8;

const DAY_MS = 86_400_000;

export interface ReconcileDeps {
  store: Pick<ClaimStore, 'listClaimsByMonth' | 'transition' | 'getClaim'>;
  tracking: TrackingStore;
  bill: BillCredits;
  now: () => number;
  log?: Pick<Log, 'info' | 'warn'>;
}

export interface ReconcileReport {
  months: string[];
  billMonths: string[];
  claims: number;
  credited: string[];
  partial: string[];
  missing: string[];
  /** Claims whose payment changed without a status change (a part paid before the 60 days). */
  recorded: string[];
  /** Credit on the bill matched to no claim, integer cents. */
  unmatchedCents: number;
  conflicts: number;
}

/** The Health service codes a claim's credit can appear under (its SLA's services; the evidence's otherwise). */
export function servicesOf(claim: Pick<Claim, 'slaId' | 'evidence'>): string[] {
  const sla = getSla(claim.slaId);
  const codes = sla?.services ?? claim.evidence.map((e) => e.service);
  return [...new Set(codes.map((c) => c.toUpperCase()))];
}

function claimed(claim: Pick<Claim, 'creditCents'>): number {
  return claim.creditCents ?? 0;
}

export interface Match {
  paidCents: number;
  /** The latest bill month that paid something. */
  billMonth: string | null;
}

/** Matches the credits to the claims (see the file comment); pure and deterministic. */
export function matchCredits(claims: readonly Claim[], credits: readonly BillCredit[]): { matches: Map<string, Match>; unmatchedCents: number } {
  const matches = new Map<string, Match>(claims.map((c) => [c.claimId, { paidCents: 0, billMonth: null }]));
  const byFiling = [...claims].sort((a, b) => a.filing!.filedAt.localeCompare(b.filing!.filedAt) || a.claimId.localeCompare(b.claimId));
  const services = new Map(claims.map((c) => [c.claimId, servicesOf(c)]));
  let unmatchedCents = 0;
  const ordered = [...credits].sort((a, b) => a.month.localeCompare(b.month) || a.account.localeCompare(b.account) || a.service.localeCompare(b.service));
  for (const credit of ordered) {
    const eligible = byFiling.filter(
      (c) => c.account === credit.account && services.get(c.claimId)!.includes(credit.service) && c.filing!.filedAt.slice(0, 7) <= credit.month,
    );
    const outstanding = (c: Claim) => claimed(c) - matches.get(c.claimId)!.paidCents;
    const open = eligible.filter((c) => outstanding(c) > 0);
    const total = open.reduce((n, c) => n + outstanding(c), 0);
    if (open.length === 0 || credit.cents > total) {
      unmatchedCents += credit.cents;
      continue;
    }
    let left = credit.cents;
    const exact = open.find((c) => outstanding(c) === left);
    for (const c of exact ? [exact] : open) {
      if (left === 0) break;
      const take = Math.min(left, outstanding(c));
      const m = matches.get(c.claimId)!;
      m.paidCents += take;
      m.billMonth = m.billMonth && m.billMonth > credit.month ? m.billMonth : credit.month;
      left -= take;
    }
  }
  return { matches, unmatchedCents };
}

export type Decision =
  | { kind: 'none' }
  | { kind: 'credit'; payment: PaymentRecord }
  | { kind: 'record'; payment: PaymentRecord };

/** What to write for one claim, given what the bill shows (`match`) and how long ago it was filed. */
export function decide(claim: Claim, match: Match, nowMs: number, currentMonth: string): Decision {
  const at = new Date(nowMs).toISOString();
  const due = Date.parse(claim.filing!.filedAt) + FLAG_AFTER_DAYS * DAY_MS <= nowMs;
  const want = claimed(claim);
  let payment: PaymentRecord | null = null;
  if (match.paidCents >= want && match.paidCents > 0) payment = { paidCents: match.paidCents, billMonth: match.billMonth!, matchedAt: at };
  else if (match.paidCents > 0) payment = { paidCents: match.paidCents, billMonth: match.billMonth!, matchedAt: at, ...(due ? { flag: 'partial' as const } : {}) };
  else if (due) payment = { paidCents: 0, billMonth: currentMonth, matchedAt: at, flag: 'missing' };
  if (!payment) return { kind: 'none' };
  const stored = claim.payment;
  // Same amount and flag as stored: nothing to write (the bill month of a missing credit moves on; that is no news).
  if (stored && stored.paidCents === payment.paidCents && stored.flag === payment.flag && (payment.paidCents === 0 || stored.billMonth === payment.billMonth)) {
    return { kind: 'none' };
  }
  const settles = payment.paidCents > 0 && (payment.paidCents >= want || payment.flag === 'partial');
  return settles && claim.status === 'submitted' ? { kind: 'credit', payment } : { kind: 'record', payment };
}

export async function reconcileCredits(deps: ReconcileDeps, options: { months?: readonly string[] } = {}): Promise<ReconcileReport> {
  const nowMs = deps.now();
  const at = new Date(nowMs).toISOString();
  const log = deps.log ?? silentLog;
  const months = [...(options.months ?? recentMonths(nowMs, RECONCILE_MONTHS))];
  const claims = await filedClaims(deps.store, months, ['submitted', 'credited']);
  const currentMonth = at.slice(0, 7);
  const report: ReconcileReport = { months, billMonths: [], claims: claims.length, credited: [], partial: [], missing: [], recorded: [], unmatchedCents: 0, conflicts: 0 };
  if (claims.length === 0) return report;

  // Bill months from the earliest filing to now.
  const first = claims.reduce((min, c) => (c.filing!.filedAt < min ? c.filing!.filedAt : min), at).slice(0, 7);
  report.billMonths = recentMonths(nowMs, 36).filter((m) => m >= first).sort();
  const credits = await deps.bill.credits([...new Set(claims.map((c) => c.account))].sort(), report.billMonths);
  const { matches, unmatchedCents } = matchCredits(claims, credits);
  report.unmatchedCents = unmatchedCents;

  for (const claim of claims) {
    const decision = decide(claim, matches.get(claim.claimId)!, nowMs, currentMonth);
    if (decision.kind === 'none') continue;
    const p = decision.payment;
    const detail = { paidCents: String(p.paidCents), claimedCents: String(claimed(claim)), billMonth: p.billMonth, ...(p.flag ? { flag: p.flag } : {}) };
    let ok: boolean;
    if (decision.kind === 'credit') {
      const result = await deps.store.transition({
        claimId: claim.claimId,
        from: 'submitted',
        to: 'credited',
        expectedVersion: claim.version,
        actor: 'system',
        at,
        reason: p.flag === 'partial' ? `partial credit on the bill: ${p.paidCents} of ${claimed(claim)} cents, ${FLAG_AFTER_DAYS} days after filing` : `credit on the ${p.billMonth} bill`,
        patch: { payment: p },
        detail,
      });
      ok = result.ok;
      if (ok) report.credited.push(claim.claimId);
    } else {
      const audit: AuditEntry = { claimId: claim.claimId, at, actor: 'system', action: p.flag ? `payment-${p.flag}` : 'payment-recorded', detail };
      ok = await deps.tracking.recordPayment(claim, p, audit);
      if (ok && !p.flag) report.recorded.push(claim.claimId);
    }
    if (!ok) {
      report.conflicts += 1;
      continue;
    }
    if (p.flag === 'partial') report.partial.push(claim.claimId);
    if (p.flag === 'missing') report.missing.push(claim.claimId);
  }
  if (report.partial.length || report.missing.length) {
    log.warn('SLA credits partial or missing on the bill 60 days after filing', { partial: report.partial, missing: report.missing });
  }
  return report;
}
