/**
 * The monthly credit summary as data: pure aggregation of claims (no I/O), rendered by `render.ts`.
 *
 * Definitions (also printed in the email footer). Every claim of the month is in exactly one of these, so they add
 * up to the month's credit:
 * - "credit" of a claim: its computed credit when the charges are known and it is over $1.00 (AWS pays no credit of
 *   $1.00 or less), whatever the deadline — a late claim's money is missed, not "below the minimum";
 * - "to file" = credit of the claims not yet submitted (draft, pending approval, approved, ready to file) whose
 *   deadline has not passed;
 * - "missed" = credit of the claims that were never submitted and whose deadline passed (expired, or not yet
 *   marked expired by the scheduled expiry): AWS no longer accepts them;
 * - "filed" = credit claimed by the submitted, credited and denied claims; "awaiting AWS" (submitted), "credited"
 *   and "denied" split it; "paid" = what the bill shows AWS paid (PaymentRecord, matched by reconciliation);
 * - "owed" = to file + awaiting AWS (credit still to come);
 * - "recovered this month" = credits that appeared on the report month's bill, for claims of any month read;
 * - all sums are integer cents.
 * Claim months and deadlines are UTC (AWS bills per UTC calendar month); only the generation time and the choice of
 * "previous month" use the business time zone.
 */
import { DateTime, IANAZone } from 'luxon';
import { CLAIM_STATUSES, type Claim, type ClaimStatus, type SlackRef } from '../claims/types.ts';
import { claimDeadline, daysUntil, monthWindow } from '../credit/month.ts';

const DAY_MS = 86_400_000;

/** How far ahead "deadline upcoming" looks, in days. */
export const UPCOMING_DAYS = 30;

export const STATUS_LABELS: Readonly<Record<ClaimStatus, string>> = {
  draft: 'Draft',
  pending_approval: 'Pending approval',
  approved: 'Approved',
  ready_to_file: 'Ready to file',
  submitted: 'Submitted',
  credited: 'Credited',
  denied: 'Denied',
  rejected: 'Rejected',
  expired: 'Expired',
};

/** Statuses in which a claim still has to be filed with AWS. */
export const OPEN_STATUSES: readonly ClaimStatus[] = ['draft', 'pending_approval', 'approved', 'ready_to_file'];

/** Statuses of a claim filed with AWS. */
export const FILED_STATUSES: readonly ClaimStatus[] = ['submitted', 'credited', 'denied'];

/** AWS pays no credit of $1.00 or less. */
const MINIMUM_CENTS = 100;

export interface StatusTotal {
  status: ClaimStatus;
  label: string;
  count: number;
  /** Credit of the claimable claims in this status (integer cents). */
  creditCents: number;
}

export interface GroupTotal {
  /** Grouping key: the service label, or the account id. */
  key: string;
  label: string;
  count: number;
  /** Credit owed (claimable, not rejected), integer cents. */
  creditCents: number;
  /** Credit not yet submitted (claimable, draft / pending approval / approved), integer cents. */
  toFileCents: number;
  provisionalCount: number;
  chargesUnknownCount: number;
  rejectedCount: number;
  /** Credit lost: never submitted, deadline passed (integer cents). */
  missedCents: number;
  /** Claims credited or denied by AWS. */
  settledCount: number;
}

export interface ChartBar {
  label: string;
  creditCents: number;
  /** Bar width relative to the biggest service: 100 for the biggest, one decimal. */
  widthPercent: number;
}

export interface ClaimLine {
  claimId: string;
  month: string;
  account: string;
  slaId: string;
  /** Short service name, e.g. "Amazon EC2". */
  service: string;
  /** The SLA's full name, e.g. "Amazon EC2 — Region-Level SLA". */
  slaName: string;
  region: string;
  resource: string | null;
  /**
   * A fleet claim's resource count (one claim for every affected resource of the SLA in the Region), shown instead
   * of a resource; null on other claims and when the read did not carry it. Lines never list a fleet's resources.
   */
  resourceCount: number | null;
  status: ClaimStatus;
  statusLabel: string;
  /** Null when the month's charges are unknown. */
  creditCents: number | null;
  claimable: boolean;
  chargesKnown: boolean;
  provisional: boolean;
  /** YYYY-MM-DD (UTC). */
  deadline: string;
  /** Whole days from today (UTC) to the deadline; negative once passed. */
  daysLeft: number;
  slack?: SlackRef;
  /** What the downtime rests on: the customer's own metrics, or the Health window (an upper-bound estimate). */
  basis: 'measured' | 'estimate';
  /** The SLA terms used are not confirmed on the AWS page (or not known). */
  termsUnconfirmed: boolean;
  /** The support case's number (display id, else case id), once filed. */
  caseRef?: string;
  /** What the bill shows AWS paid, once matched. */
  paidCents?: number;
  /** YYYY-MM of the bill the credit appeared on. */
  billMonth?: string;
  paymentFlag?: 'partial' | 'missing';
}

export interface ActionItem extends ClaimLine {
  /** Deadline within `upcomingDays`. */
  dueSoon: boolean;
}

export interface SummaryModel {
  /** YYYY-MM (UTC calendar month of the incidents). */
  month: string;
  /** "October 2025". */
  monthLabel: string;
  timeZone: string;
  /** Generation time, ISO-8601 in `timeZone`. */
  generatedAt: string;
  /** "1 November 2025, 08:00 (Europe/London)". */
  generatedLabel: string;
  /** Today (UTC), YYYY-MM-DD: days left are counted from it. */
  today: string;
  upcomingDays: number;
  claimCount: number;
  /** Claims counted in `owedCents`: claimable and not rejected. */
  owedClaimCount: number;
  owedCents: number;
  toFileCents: number;
  submittedCents: number;
  /** Claims with known charges whose credit is $1.00 or less (AWS pays nothing). */
  belowMinimumCount: number;
  byStatus: StatusTotal[];
  byService: GroupTotal[];
  byAccount: GroupTotal[];
  chart: ChartBar[];
  /** Not yet submitted nor rejected, claimable or with unknown charges, deadline not passed; soonest first. */
  needsAction: ActionItem[];
  /** The month's provisional claims. */
  provisional: ClaimLine[];
  /** The month's claims whose charges are unknown (credit not computed yet). */
  chargesUnknown: ClaimLine[];
  /** True when nothing is owed, filed or missed for the month (no claim, or none with credit, none waiting for charges). */
  nothingOwed: boolean;
  /** Credit claimed by the month's filed claims (submitted, credited, denied). */
  filedCents: number;
  filedCount: number;
  /** Credit of the month's claims AWS said it credited. */
  creditedCents: number;
  /** Credit of the month's claims AWS denied. */
  deniedCents: number;
  deniedCount: number;
  /** What the bill shows AWS paid for the month's claims. */
  paidCents: number;
  /** The month's filed claims (submitted, credited, denied), biggest first. */
  filed: ClaimLine[];
  /** Credit of the month's claims never submitted whose deadline passed: lost. */
  missedCents: number;
  missedCount: number;
  /** The month's missed claims (expired, or deadline passed while unfiled), biggest first. */
  missed: ClaimLine[];
  /** The deadlines those claims missed (YYYY-MM-DD, sorted). */
  missedDeadlines: string[];
  /** Missed claims of the earlier months read (`history`), biggest first, and their total. */
  missedEarlier: ClaimLine[];
  missedEarlierCents: number;
  missedEarlierDeadlines: string[];
  /** Credits that appeared on the report month's bill (payment.billMonth = month), for claims of any month read. */
  recovered: ClaimLine[];
  recoveredCents: number;
  /**
   * Paid vs claimed over the filed claims read (the month's and `history`'s): what the bill shows paid, and the
   * credit those claims asked for; percent in tenths, null when nothing was filed.
   */
  paidVsClaimed: { paidCents: number; claimedCents: number; percent: number | null };
  /** Filed claims whose credit is partial or missing 60 days after filing (reconciliation's flag). */
  paymentFlags: ClaimLine[];
  /** Lines resting on the Health window (an estimate) and on the customer's metrics, among the month's claims. */
  estimateCount: number;
  measuredCount: number;
  /** The month's claims whose SLA terms are not confirmed. */
  unconfirmedTermsCount: number;
}

/** The fields of a claim the summary reads (the store reads only these: evidence is most of a claim's bytes). */
export const SUMMARY_FIELDS = [
  'claimId',
  'month',
  'account',
  'slaId',
  'region',
  'resource',
  'status',
  'creditCents',
  'claimable',
  'chargesKnown',
  'provisional',
  'deadline',
  'slack',
  'slaClause',
  'basis',
  'terms',
  'filing',
  'payment',
  'resourceCount',
] as const satisfies readonly (keyof Claim)[];

export type SummaryClaim = Pick<Claim, (typeof SUMMARY_FIELDS)[number]>;

/**
 * A fleet claim's resource count (its top-level `resourceCount`, which the narrow month index projects where `fleet`
 * would be too big for a 10 000-claim month), null for other claims.
 */
export function fleetResourceCount(claim: SummaryClaim): number | null {
  const count = claim.resourceCount;
  if (count === undefined || count === null) return null;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new Error(`claim ${claim.claimId}: resourceCount must be a non-negative integer (got ${JSON.stringify(count)})`);
  }
  return count;
}

export interface BuildSummaryInput {
  month: string;
  /** The month's claims. */
  claims: readonly SummaryClaim[];
  /** Claims of other months whose deadline may be upcoming (see `deadlineMonthsWithin`). */
  upcoming?: readonly SummaryClaim[];
  /**
   * Claims of the months before (see `historyMonths`): their credits paid on this month's bill ("recovered this
   * month"), their missed deadlines, their paid vs claimed.
   */
  history?: readonly SummaryClaim[];
  nowMs: number;
  /** IANA time zone for the generation time (default UTC). */
  timeZone?: string;
  upcomingDays?: number;
}

export class InvalidTimeZoneError extends Error {
  override readonly name = 'InvalidTimeZoneError';
}

export function assertTimeZone(zone: string, field = 'timeZone'): string {
  if (!IANAZone.isValidZone(zone)) {
    throw new InvalidTimeZoneError(`${field}: expected an IANA time zone, like Europe/London (got ${JSON.stringify(zone)})`);
  }
  return zone;
}

/** The calendar month before the one containing `nowMs` in `zone` (YYYY-MM). 1 Nov 08:00 in Tokyo → October. */
export function previousMonth(nowMs: number, zone: string): string {
  assertTimeZone(zone);
  return DateTime.fromMillis(nowMs, { zone }).startOf('month').minus({ months: 1 }).toFormat('yyyy-LL');
}

/**
 * Incident months whose claim deadline (end of the second month after) can fall within `days` days from today (UTC).
 * At most two months for 30 days; callers still filter each claim on its own deadline.
 */
export function deadlineMonthsWithin(nowMs: number, days: number = UPCOMING_DAYS): string[] {
  const today = DateTime.fromMillis(nowMs, { zone: 'utc' }).startOf('day');
  const last = today.plus({ days });
  const months: string[] = [];
  for (let m = today.startOf('month'); m <= last; m = m.plus({ months: 1 })) {
    months.push(m.minus({ months: 2 }).toFormat('yyyy-LL'));
  }
  return months;
}

/** "Amazon EC2 — Region-Level SLA" → "Amazon EC2"; "Amazon SQS (Amazon Messaging SLA)" → "Amazon SQS". */
export function serviceLabel(claim: Pick<SummaryClaim, 'slaId' | 'slaClause'>): string {
  const name = claim.slaClause?.name?.trim();
  if (!name) return claim.slaId;
  const short = name.split(' — ')[0]?.split(' (')[0]?.trim();
  return short || name;
}

export function monthLabel(month: string): string {
  const { startMs } = monthWindow(month);
  return DateTime.fromMillis(startMs, { zone: 'utc' }).setLocale('en-GB').toFormat('LLLL yyyy');
}

function cents(claim: SummaryClaim): number | null {
  const value = claim.creditCents;
  if (value === null || value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`claim ${claim.claimId}: creditCents must be a non-negative integer number of cents (got ${JSON.stringify(value)})`);
  }
  return value;
}

/**
 * A claim's credit in the totals: charges known and over AWS's $1.00 minimum. Not `claimable`, which is also false
 * once the deadline passed (src/claims/build.ts): a late claim's money must show as missed, not vanish.
 */
function countedCents(claim: SummaryClaim): number {
  if (claim.chargesKnown === false) return 0;
  const value = cents(claim);
  return value !== null && value > MINIMUM_CENTS ? value : 0;
}

/** Incident months before `month` whose claims can still be filed, paid or just missed: the 4 before it. */
export function historyMonths(month: string, count = 4): string[] {
  const start = DateTime.fromMillis(monthWindow(month).startMs, { zone: 'utc' });
  return Array.from({ length: count }, (_, i) => start.minus({ months: i + 1 }).toFormat('yyyy-LL'));
}

/** Never submitted and past its deadline (expired, or not yet marked so by the scheduled expiry). */
function isMissed(claim: SummaryClaim, line: ClaimLine): boolean {
  return claim.status === 'expired' || (OPEN_STATUSES.includes(claim.status) && line.daysLeft < 0);
}

/** paid / claimed in tenths of a percent, integer arithmetic (half up). */
function percentTenths(paid: number, claimed: number): number | null {
  if (claimed <= 0) return null;
  return Number((BigInt(paid) * 2000n + BigInt(claimed)) / (BigInt(claimed) * 2n)) / 10;
}

/**
 * Whole days from today (UTC) to a YYYY-MM-DD deadline, in integer arithmetic on UTC day numbers (same result as
 * `daysUntil`, without a luxon DateTime per claim); anything else goes through `daysUntil`.
 */
export function daysLeftUtc(deadline: string, todayDay: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(deadline);
  if (!m) return daysUntil(deadline, todayDay * DAY_MS);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS - todayDay;
}

/** Builds claim lines; the deadline of a month without a stored one is computed once per month. */
function lineBuilder(nowMs: number): (claim: SummaryClaim) => ClaimLine {
  const todayDay = Math.floor(nowMs / DAY_MS);
  const deadlines = new Map<string, string>();
  return (claim) => {
    let deadline = claim.deadline;
    if (!deadline) {
      deadline = deadlines.get(claim.month) ?? claimDeadline(claim.month);
      deadlines.set(claim.month, deadline);
    }
    return line(claim, deadline, daysLeftUtc(deadline, todayDay));
  };
}

function line(claim: SummaryClaim, deadline: string, daysLeft: number): ClaimLine {
  return {
    claimId: claim.claimId,
    month: claim.month,
    account: claim.account,
    slaId: claim.slaId,
    service: serviceLabel(claim),
    slaName: claim.slaClause?.name ?? claim.slaId,
    region: claim.region,
    resource: claim.resource ?? null,
    resourceCount: fleetResourceCount(claim),
    status: claim.status,
    statusLabel: STATUS_LABELS[claim.status] ?? claim.status,
    creditCents: cents(claim),
    claimable: claim.claimable,
    chargesKnown: claim.chargesKnown !== false && claim.creditCents !== null,
    provisional: claim.provisional === true,
    deadline,
    daysLeft,
    ...(claim.slack ? { slack: claim.slack } : {}),
    basis: claim.basis?.kind === 'measured' ? 'measured' : 'estimate',
    termsUnconfirmed: claim.terms?.confirmed !== true,
    ...(claim.filing ? { caseRef: claim.filing.displayId || claim.filing.caseId } : {}),
    ...(claim.payment ? { paidCents: claim.payment.paidCents, billMonth: claim.payment.billMonth } : {}),
    ...(claim.payment?.flag ? { paymentFlag: claim.payment.flag } : {}),
  };
}

function group(claims: readonly SummaryClaim[], lines: readonly ClaimLine[], keyOf: (c: SummaryClaim) => string): GroupTotal[] {
  const groups = new Map<string, GroupTotal>();
  claims.forEach((claim, i) => {
    const l = lines[i]!;
    const key = keyOf(claim);
    const g = groups.get(key) ?? {
      key,
      label: key,
      count: 0,
      creditCents: 0,
      toFileCents: 0,
      provisionalCount: 0,
      chargesUnknownCount: 0,
      rejectedCount: 0,
      missedCents: 0,
      settledCount: 0,
    };
    g.count += 1;
    const missed = isMissed(claim, l);
    // "Credit owed": still to file (deadline not passed) or awaiting AWS's answer.
    if (!missed && (OPEN_STATUSES.includes(claim.status) || claim.status === 'submitted')) g.creditCents += countedCents(claim);
    if (!missed && OPEN_STATUSES.includes(claim.status)) g.toFileCents += countedCents(claim);
    if (missed) g.missedCents += countedCents(claim);
    if (claim.status === 'credited' || claim.status === 'denied') g.settledCount += 1;
    if (claim.status === 'rejected') g.rejectedCount += 1;
    if (claim.provisional) g.provisionalCount += 1;
    if (claim.chargesKnown === false || claim.creditCents === null) g.chargesUnknownCount += 1;
    groups.set(key, g);
  });
  return [...groups.values()].sort((a, b) => b.creditCents - a.creditCents || b.count - a.count || a.key.localeCompare(b.key));
}

/** Bar widths relative to the biggest credit, in tenths of a percent computed on integers. */
export function chartBars(groups: readonly GroupTotal[]): ChartBar[] {
  const withCredit = groups.filter((g) => g.creditCents > 0);
  const max = Math.max(0, ...withCredit.map((g) => g.creditCents));
  return withCredit.map((g) => ({
    label: g.label,
    creditCents: g.creditCents,
    widthPercent: Number((BigInt(g.creditCents) * 2000n + BigInt(max)) / (BigInt(max) * 2n)) / 10,
  }));
}

export function buildSummaryModel(input: BuildSummaryInput): SummaryModel {
  const { month, nowMs } = input;
  const timeZone = assertTimeZone(input.timeZone ?? 'UTC');
  const upcomingDays = input.upcomingDays ?? UPCOMING_DAYS;
  monthWindow(month);
  const claims = input.claims.filter((c) => c.month === month);

  // Each claim's line is built once and shared by the totals and every list.
  const lineOf = lineBuilder(nowMs);
  const lines = claims.map(lineOf);
  const missedFlags = claims.map((c, i) => isMissed(c, lines[i]!));

  const byStatus: StatusTotal[] = CLAIM_STATUSES.map((status) => {
    let count = 0;
    let creditCents = 0;
    claims.forEach((c) => {
      if (c.status !== status) return;
      count += 1;
      creditCents += countedCents(c);
    });
    return { status, label: STATUS_LABELS[status], count, creditCents };
  });
  let toFileCents = 0;
  let submittedCents = 0;
  let missedCents = 0;
  let filedCents = 0;
  let creditedCents = 0;
  let deniedCents = 0;
  let paidCents = 0;
  claims.forEach((c, i) => {
    const credit = countedCents(c);
    if (missedFlags[i]) missedCents += credit;
    else if (OPEN_STATUSES.includes(c.status)) toFileCents += credit;
    if (c.status === 'submitted') submittedCents += credit;
    if (FILED_STATUSES.includes(c.status)) filedCents += credit;
    if (c.status === 'credited') creditedCents += credit;
    if (c.status === 'denied') deniedCents += credit;
    paidCents += paidOf(c);
  });
  const owedCents = toFileCents + submittedCents;
  for (const value of [owedCents, toFileCents, submittedCents, missedCents, filedCents, paidCents]) {
    if (!Number.isSafeInteger(value)) throw new Error(`summary ${month}: total out of the safe integer range`);
  }

  const byService = group(claims, lines, serviceLabel);
  const byAccount = group(claims, lines, (c) => c.account);

  const seen = new Set<string>();
  const needsAction: ActionItem[] = [];
  const candidates: [SummaryClaim, ClaimLine | undefined][] = [
    ...claims.map((c, i): [SummaryClaim, ClaimLine | undefined] => [c, lines[i]]),
    ...(input.upcoming ?? []).map((c): [SummaryClaim, ClaimLine | undefined] => [c, undefined]),
  ];
  for (const [claim, built] of candidates) {
    if (seen.has(claim.claimId)) continue;
    seen.add(claim.claimId);
    if (!OPEN_STATUSES.includes(claim.status)) continue;
    const l = built ?? lineOf(claim);
    if (!(l.claimable || !l.chargesKnown)) continue;
    if (l.daysLeft < 0) continue;
    const dueSoon = l.daysLeft <= upcomingDays;
    if (claim.month !== month && !dueSoon) continue;
    needsAction.push({ ...l, dueSoon });
  }
  needsAction.sort(
    (a, b) => a.daysLeft - b.daysLeft || (b.creditCents ?? 0) - (a.creditCents ?? 0) || a.claimId.localeCompare(b.claimId),
  );

  const provisional = lines.filter((l) => l.provisional);
  const chargesUnknown = lines.filter((l) => !l.chargesKnown);
  const waitingForCharges = lines.filter((l, i) => !l.chargesKnown && l.status !== 'rejected' && !missedFlags[i] && l.status !== 'expired').length;

  const byMoney = (a: ClaimLine, b: ClaimLine) => (b.creditCents ?? 0) - (a.creditCents ?? 0) || a.claimId.localeCompare(b.claimId);
  const missed = lines.filter((_, i) => missedFlags[i] && countedCents(claims[i]!) > 0).sort(byMoney);

  const generated = DateTime.fromMillis(nowMs, { zone: timeZone });
  const base: SummaryModel = {
    month,
    monthLabel: monthLabel(month),
    timeZone,
    generatedAt: generated.toISO() ?? new Date(nowMs).toISOString(),
    generatedLabel: `${generated.setLocale('en-GB').toFormat('d LLLL yyyy, HH:mm')} (${timeZone})`,
    today: DateTime.fromMillis(nowMs, { zone: 'utc' }).toISODate() ?? '',
    upcomingDays,
    claimCount: claims.length,
    owedClaimCount: claims.filter((c, i) => !missedFlags[i] && (OPEN_STATUSES.includes(c.status) || c.status === 'submitted') && countedCents(c) > 0).length,
    owedCents,
    toFileCents,
    submittedCents,
    // Credit of $1.00 or less with known charges: a late claim over $1.00 is missed, not counted here.
    belowMinimumCount: lines.filter((l) => l.chargesKnown && (l.creditCents ?? 0) <= MINIMUM_CENTS).length,
    byStatus,
    byService,
    byAccount,
    chart: chartBars(byService),
    needsAction,
    provisional,
    chargesUnknown,
    // Not "nothing is owed" when money was filed or missed: the email must show where it went.
    nothingOwed: owedCents === 0 && waitingForCharges === 0 && filedCents === 0 && missedCents === 0,
    filedCents,
    filedCount: claims.filter((c) => FILED_STATUSES.includes(c.status)).length,
    filed: lines.filter((l) => FILED_STATUSES.includes(l.status)).sort(byMoney),
    creditedCents,
    deniedCents,
    deniedCount: byStatus.find((s) => s.status === 'denied')?.count ?? 0,
    paidCents,
    missedCents,
    missedCount: missed.length,
    missed,
    missedDeadlines: [...new Set(missed.map((l) => l.deadline))].sort(),
    missedEarlier: [],
    missedEarlierCents: 0,
    missedEarlierDeadlines: [],
    recovered: [],
    recoveredCents: 0,
    paidVsClaimed: { paidCents: 0, claimedCents: 0, percent: null },
    paymentFlags: [],
    estimateCount: lines.filter((l) => l.basis === 'estimate').length,
    measuredCount: lines.filter((l) => l.basis === 'measured').length,
    unconfirmedTermsCount: lines.filter((l) => l.termsUnconfirmed).length,
  };
  return withHistory(base, input.history ?? [], nowMs);
}

/**
 * Adds what the earlier months' claims (`history`, see `historyMonths`) tell the report month: their missed
 * deadlines, the credits paid on the report month's bill ("recovered this month", the month's own claims included),
 * paid vs claimed over every filed claim read, and the partial or missing credits. Pure; claims of the report month
 * or later in `history` are ignored (they are the model's own).
 */
export function withHistory(model: SummaryModel, history: readonly SummaryClaim[], nowMs: number): SummaryModel {
  const month = model.month;
  const lineOf = lineBuilder(nowMs);
  const seen = new Set<string>();
  const earlier = history.filter((c) => c.month < month && !seen.has(c.claimId) && seen.add(c.claimId));
  const lines = earlier.map(lineOf);
  const byMoney = (a: ClaimLine, b: ClaimLine) => (b.creditCents ?? 0) - (a.creditCents ?? 0) || a.claimId.localeCompare(b.claimId);
  const missedEarlier = lines.filter((l, i) => isMissed(earlier[i]!, l) && countedCents(earlier[i]!) > 0).sort(byMoney);
  const filedEarlier = earlier.map((c, i): [SummaryClaim, ClaimLine] => [c, lines[i]!]).filter(([c]) => FILED_STATUSES.includes(c.status));
  // The month's own filed claims come as lines (model.filed); their credit counts as in the totals.
  const filed: { line: ClaimLine; claimed: number; paid: number }[] = [
    ...model.filed.map((l) => ({ line: l, claimed: l.chargesKnown && (l.creditCents ?? 0) > MINIMUM_CENTS ? (l.creditCents ?? 0) : 0, paid: l.paidCents ?? 0 })),
    ...filedEarlier.map(([c, l]) => ({ line: l, claimed: countedCents(c), paid: paidOf(c) })),
  ];
  const recovered = filed.filter((f) => f.line.billMonth === month && f.paid > 0).map((f) => f.line).sort(byMoney);
  const claimedCents = filed.reduce((n, f) => n + f.claimed, 0);
  const paidCents = filed.reduce((n, f) => n + f.paid, 0);
  return {
    ...model,
    missedEarlier,
    missedEarlierCents: missedEarlier.reduce((n, l) => n + (l.creditCents ?? 0), 0),
    missedEarlierDeadlines: [...new Set(missedEarlier.map((l) => l.deadline))].sort(),
    recovered,
    recoveredCents: recovered.reduce((n, l) => n + (l.paidCents ?? 0), 0),
    paidVsClaimed: { paidCents, claimedCents, percent: percentTenths(paidCents, claimedCents) },
    paymentFlags: filed.filter((f) => f.line.paymentFlag).map((f) => f.line).sort(byMoney),
  };
}

/** What the bill shows AWS paid for a claim (integer cents; 0 when not matched). */
function paidOf(claim: SummaryClaim): number {
  const paid = claim.payment?.paidCents;
  if (paid === undefined || paid === null) return 0;
  if (!Number.isSafeInteger(paid) || paid < 0) {
    throw new Error(`claim ${claim.claimId}: payment.paidCents must be a non-negative integer number of cents (got ${JSON.stringify(paid)})`);
  }
  return paid;
}
