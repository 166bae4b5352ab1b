/**
 * The credit engine: from outage intervals, an SLA and a month's charges to the credit owed, in integer cents.
 * Pure: no clock (pass `nowMs`), no I/O, no AWS.
 */
import type { DayTier, PercentTier, SlaDefinition } from '../sla/types.ts';
import { IntervalSweep, type Interval } from './intervals.ts';
import { divideRoundHalfUp } from './money.ts';
import { claimDeadline, monthWindow } from './month.ts';
import { compareUptime, uptimeForDisplay } from '../util/percent.ts';

/** An outage as reported: `endMs` null while the event is still open. */
export interface Outage {
  startMs: number;
  endMs: number | null;
}

export interface CreditInput {
  sla: SlaDefinition;
  /** YYYY-MM, UTC calendar month. */
  month: string;
  outages: readonly Outage[];
  /** The month's charges the credit is a percentage of, in cents; null/undefined when unknown. */
  chargesCents?: number | null;
  /** "Now", for open outages (counted as down until now, marked provisional). */
  nowMs: number;
}

export interface CreditResult {
  sla: string;
  month: string;
  minutesInMonth: number;
  /** Downtime in minutes (whole minutes for minute-based SLAs; may carry a fraction for error-rate SLAs). */
  downtimeMinutes: number;
  downtimeMs: number;
  /** Rounded to 4 decimals for display; the tier is chosen with exact arithmetic. */
  uptimePercent: number;
  commitmentPercent: string;
  creditPercent: number;
  /** Days of average daily charges credited (Route 53 style SLAs; after the cap at the month's days), else null. */
  creditDays: number | null;
  /** The tier applied, in the SLA's words, or null when the commitment was met. */
  tierText: string | null;
  chargesCents: number | null;
  creditCents: number | null;
  /** AWS only issues credits greater than $1.00. */
  claimable: boolean;
  /** An open outage contributed downtime up to `nowMs`. */
  provisional: boolean;
  /** Last day to file, YYYY-MM-DD. */
  deadline: string;
  /** The merged downtime windows inside the month. */
  windows: Interval[];
}

export class InvalidOutageError extends Error {
  override readonly name = 'InvalidOutageError';
}

const MINUTE_MS = 60_000;
/** AWS issues no credit of $1.00 or less. */
export const CLAIM_MINIMUM_CENTS = 100;

/** "less than 99.99 % but equal to or greater than 99.0 %" */
export function describeTier(tier: PercentTier): string {
  return tier.atLeast === null
    ? `less than ${tier.below} % → ${tier.creditPercent} % credit`
    : `less than ${tier.below} % but equal to or greater than ${tier.atLeast} % → ${tier.creditPercent} % credit`;
}

/** The tier whose range contains the uptime upMs/totalMs, or null when uptime ≥ the commitment. */
export function findTier(sla: SlaDefinition, upMs: bigint, total: bigint): PercentTier | null {
  if (compareUptime(upMs, total, sla.commitmentPercent) >= 0) return null;
  for (const tier of sla.tiers) {
    const belowUpper = compareUptime(upMs, total, tier.below) < 0;
    const aboveLower = tier.atLeast === null || compareUptime(upMs, total, tier.atLeast) >= 0;
    if (belowUpper && aboveLower) return tier;
  }
  return null;
}

/** One period of Unavailability and the days of credit its length earns (0 below the first tier). */
export interface DayPeriod {
  minutes: number;
  days: number;
}

/** Each window is one period; its whole minutes pick the day tier (tiers are ascending, non-overlapping). */
export function dayCreditPeriods(dayTiers: readonly DayTier[], windows: readonly Interval[]): DayPeriod[] {
  return windows.map((w) => {
    const minutes = Math.round((w.endMs - w.startMs) / MINUTE_MS);
    const tier = dayTiers.find((t) => minutes >= t.minMinutes && (t.maxMinutes === null || minutes <= t.maxMinutes));
    return { minutes, days: tier?.days ?? 0 };
  });
}

/** Periods listed in a claim's text; the rest are summed, so the text (stored on the claim) stays bounded. */
export const LISTED_PERIODS = 12;

/** "3 periods: 20 min → 1 d, 20 min → 1 d, 45 min → 7 d = 9 days" (and the cap, when it applies). */
export function describeDayPeriods(periods: readonly DayPeriod[], totalDays: number, daysInMonth: number): string {
  const listed = periods.slice(0, LISTED_PERIODS).map((p) => `${p.minutes} min → ${p.days} d`);
  const rest = periods.slice(LISTED_PERIODS);
  if (rest.length > 0) {
    listed.push(`${rest.length} more → ${rest.reduce((sum, p) => sum + p.days, 0)} d`);
  }
  const capped = totalDays > daysInMonth ? ` (credited at most ${daysInMonth} days, the month's charges)` : '';
  return `${periods.length} period${periods.length === 1 ? '' : 's'}: ${listed.join(', ')} = ${totalDays} day${totalDays === 1 ? '' : 's'}${capped}`;
}

/** Reused by every computation (synchronous, so never shared by two at once): no per-interval garbage. */
const SWEEP = new IntervalSweep();

/**
 * Downtime windows of `outages` inside `month`, as the SLA measures them: each outage is validated, closed at
 * `nowMs` if open, widened to whole minutes (minute-based SLAs) and clipped to the month in one pass, then unioned.
 * Clipping before the union gives the same windows as after it (intersection distributes over union) and keeps
 * outages outside the month out of the sort.
 */
function downtimeWindows(sla: SlaDefinition, month: string, outages: readonly Outage[], nowMs: number) {
  const window = monthWindow(month);
  const fromMs = window.startMs;
  const toMs = window.endMs;
  const wholeMinutes = sla.measurement !== 'error-rate-5min';
  let provisional = false;
  SWEEP.reset(fromMs);
  for (let index = 0; index < outages.length; index++) {
    const outage = outages[index]!;
    if (!Number.isFinite(outage.startMs)) {
      throw new InvalidOutageError(`outage[${index}].start: not a valid instant (got ${outage.startMs})`);
    }
    if (outage.endMs !== null && !Number.isFinite(outage.endMs)) {
      throw new InvalidOutageError(`outage[${index}].end: not a valid instant (got ${outage.endMs})`);
    }
    if (outage.endMs !== null && outage.endMs < outage.startMs) {
      throw new InvalidOutageError(
        `outage[${index}]: end ${new Date(outage.endMs).toISOString()} is before start ${new Date(outage.startMs).toISOString()}`,
      );
    }
    let startMs = outage.startMs;
    let endMs = outage.endMs ?? Math.max(nowMs, startMs);
    if (outage.endMs === null && endMs > fromMs && startMs < toMs) provisional = true;
    if (wholeMinutes) {
      startMs = Math.floor(startMs / MINUTE_MS) * MINUTE_MS;
      endMs = Math.ceil(endMs / MINUTE_MS) * MINUTE_MS;
    }
    SWEEP.add(Math.max(startMs, fromMs), Math.min(endMs, toMs));
  }
  const { intervals: windows, totalMs: downMs } = SWEEP.union();
  return { window, windows, downMs, provisional };
}

export function computeCredit(input: CreditInput): CreditResult {
  const { sla, month, nowMs } = input;
  const chargesCents = input.chargesCents ?? null;
  if (chargesCents !== null && (!Number.isSafeInteger(chargesCents) || chargesCents < 0)) {
    throw new RangeError(`charges: expected non-negative integer cents (got ${chargesCents})`);
  }
  const { window, windows, downMs, provisional } = downtimeWindows(sla, month, input.outages, nowMs);
  const monthMs = window.endMs - window.startMs;
  const upMs = BigInt(monthMs - downMs);
  const total = BigInt(monthMs);

  let creditPercent = 0;
  let creditDays: number | null = null;
  let tierText: string | null = null;
  let creditCents: number | null = null;

  if (sla.measurement === 'days-of-charges') {
    // Route 53: each period of Unavailability (a merged window, already whole minutes and clipped to the month)
    // earns its own day tier; the month's credit is the sum. See the catalog entry's source notes.
    const periods = dayCreditPeriods(sla.dayTiers ?? [], windows);
    const totalDays = periods.reduce((sum, p) => sum + p.days, 0);
    if (totalDays > 0) {
      // No monthly cap could be confirmed on the AWS page; the credit is kept to at most the month's query
      // charges (days in the month), as before, so a claim never asks for more than was paid.
      const effectiveDays = Math.min(totalDays, window.days);
      // The days the claim asks for are the days credited (after the cap); the tier text keeps the uncapped sum.
      creditDays = effectiveDays;
      creditPercent = Number(divideRoundHalfUp(BigInt(effectiveDays) * 10_000n, BigInt(window.days))) / 100;
      tierText = describeDayPeriods(periods, totalDays, window.days);
      if (chargesCents !== null) {
        creditCents = Number(divideRoundHalfUp(BigInt(chargesCents) * BigInt(effectiveDays), BigInt(window.days)));
      }
    } else if (chargesCents !== null) {
      creditCents = 0;
    }
  } else {
    const tier = findTier(sla, upMs, total);
    if (tier) {
      creditPercent = tier.creditPercent;
      tierText = describeTier(tier);
    }
    if (chargesCents !== null) {
      creditCents = Number(divideRoundHalfUp(BigInt(chargesCents) * BigInt(creditPercent), 100n));
    }
  }

  return {
    sla: sla.id,
    month,
    minutesInMonth: window.minutes,
    downtimeMinutes: Math.round((downMs / MINUTE_MS) * 1000) / 1000,
    downtimeMs: downMs,
    uptimePercent: uptimeForDisplay(upMs, total),
    commitmentPercent: sla.commitmentPercent,
    creditPercent,
    creditDays,
    tierText,
    chargesCents,
    creditCents,
    claimable: creditCents !== null && creditCents > CLAIM_MINIMUM_CENTS,
    provisional,
    deadline: claimDeadline(month),
    windows,
  };
}
