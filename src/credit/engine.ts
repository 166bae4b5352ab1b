/**
 * The credit engine: from outage intervals, an SLA and a month's charges to the credit owed, in integer cents.
 * Pure: no clock (pass `nowMs`), no I/O, no AWS.
 */
import type { PercentTier, SlaDefinition } from '../sla/types.ts';
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
  /** Days of average daily charges (Route 53 style SLAs), else null. */
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
const CLAIM_MINIMUM_CENTS = 100;

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
    // Route 53: whole minutes of unavailability → days of average daily charges (monthly charges / days in month).
    const minutes = Math.round(downMs / MINUTE_MS);
    const dayTier = (sla.dayTiers ?? []).find((t) => minutes >= t.minMinutes && (t.maxMinutes === null || minutes <= t.maxMinutes));
    if (dayTier) {
      creditDays = dayTier.days;
      const effectiveDays = Math.min(dayTier.days, window.days);
      creditPercent = Number(divideRoundHalfUp(BigInt(effectiveDays) * 10_000n, BigInt(window.days))) / 100;
      tierText = `${dayTier.minMinutes}${dayTier.maxMinutes === null ? '+' : `–${dayTier.maxMinutes}`} minutes unavailable → ${dayTier.days} day${dayTier.days === 1 ? '' : 's'} of average daily charges`;
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
