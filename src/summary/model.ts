/**
 * The monthly credit summary as data: pure aggregation of claims (no I/O), rendered by `render.ts`.
 *
 * Definitions (also printed in the email footer):
 * - "credit" of a claim counts only when the claim is claimable (credit over $1.00, charges known);
 * - "owed" = credit of the month's claims that are not rejected (draft, pending approval, approved, submitted);
 * - "to file" = credit of the month's claims not yet submitted nor rejected;
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
export const OPEN_STATUSES: readonly ClaimStatus[] = ['draft', 'pending_approval', 'approved'];

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
  /** True when nothing is owed for the month (no claim, or none claimable and none waiting for charges). */
  nothingOwed: boolean;
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
] as const satisfies readonly (keyof Claim)[];

export type SummaryClaim = Pick<Claim, (typeof SUMMARY_FIELDS)[number]>;

export interface BuildSummaryInput {
  month: string;
  /** The month's claims. */
  claims: readonly SummaryClaim[];
  /** Claims of other months whose deadline may be upcoming (see `deadlineMonthsWithin`). */
  upcoming?: readonly SummaryClaim[];
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

/** Credit that counts in totals: claimable claims only (credit over $1.00 with known charges). */
function countedCents(claim: SummaryClaim): number {
  return claim.claimable && claim.chargesKnown !== false ? (cents(claim) ?? 0) : 0;
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
    status: claim.status,
    statusLabel: STATUS_LABELS[claim.status] ?? claim.status,
    creditCents: cents(claim),
    claimable: claim.claimable,
    chargesKnown: claim.chargesKnown !== false && claim.creditCents !== null,
    provisional: claim.provisional === true,
    deadline,
    daysLeft,
    ...(claim.slack ? { slack: claim.slack } : {}),
  };
}

function group(claims: readonly SummaryClaim[], keyOf: (c: SummaryClaim) => string): GroupTotal[] {
  const groups = new Map<string, GroupTotal>();
  for (const claim of claims) {
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
    };
    g.count += 1;
    if (claim.status !== 'rejected') g.creditCents += countedCents(claim);
    if (OPEN_STATUSES.includes(claim.status)) g.toFileCents += countedCents(claim);
    if (claim.status === 'rejected') g.rejectedCount += 1;
    if (claim.provisional) g.provisionalCount += 1;
    if (claim.chargesKnown === false || claim.creditCents === null) g.chargesUnknownCount += 1;
    groups.set(key, g);
  }
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

  const byStatus: StatusTotal[] = CLAIM_STATUSES.map((status) => {
    const inStatus = claims.filter((c) => c.status === status);
    return {
      status,
      label: STATUS_LABELS[status],
      count: inStatus.length,
      creditCents: inStatus.reduce((sum, c) => sum + countedCents(c), 0),
    };
  });
  const total = (statuses: readonly ClaimStatus[]) =>
    byStatus.filter((s) => statuses.includes(s.status)).reduce((sum, s) => sum + s.creditCents, 0);
  const owedCents = total(['draft', 'pending_approval', 'approved', 'submitted']);
  const toFileCents = total(OPEN_STATUSES);
  const submittedCents = total(['submitted']);
  for (const value of [owedCents, toFileCents, submittedCents]) {
    if (!Number.isSafeInteger(value)) throw new Error(`summary ${month}: total out of the safe integer range`);
  }

  const byService = group(claims, serviceLabel);
  const byAccount = group(claims, (c) => c.account);

  // Each claim's line is built once and shared by the needs-action, provisional and charges-unknown lists.
  const lineOf = lineBuilder(nowMs);
  const lines = claims.map(lineOf);
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
  const waitingForCharges = chargesUnknown.filter((l) => l.status !== 'rejected').length;

  const generated = DateTime.fromMillis(nowMs, { zone: timeZone });
  return {
    month,
    monthLabel: monthLabel(month),
    timeZone,
    generatedAt: generated.toISO() ?? new Date(nowMs).toISOString(),
    generatedLabel: `${generated.setLocale('en-GB').toFormat('d LLLL yyyy, HH:mm')} (${timeZone})`,
    today: DateTime.fromMillis(nowMs, { zone: 'utc' }).toISODate() ?? '',
    upcomingDays,
    claimCount: claims.length,
    owedClaimCount: claims.filter((c) => c.status !== 'rejected' && countedCents(c) > 0).length,
    owedCents,
    toFileCents,
    submittedCents,
    belowMinimumCount: lines.filter((l) => l.chargesKnown && !l.claimable).length,
    byStatus,
    byService,
    byAccount,
    chart: chartBars(byService),
    needsAction,
    provisional,
    chargesUnknown,
    nothingOwed: owedCents === 0 && waitingForCharges === 0,
  };
}
