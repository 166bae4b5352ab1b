/**
 * The credit from measured evidence: a claim scope's CloudWatch series, read as the SLA defines uptime. Pure (no AWS,
 * no clock); tiers and money exactly as the window engine (./engine.ts), whose result it starts from.
 *
 * Rules:
 * - error-rate SLAs: the SLA's 5-minute intervals are aligned to UTC (a month starts on one). The series' points
 *   (60 s or 300 s) are summed into them; an interval's error rate is failed / total, 0 % when it had no requests
 *   (also when it has no datapoint at all: CloudWatch reports nothing without traffic), 100 % at most. The month's
 *   uptime is 100 % minus the average error rate over EVERY 5-minute interval of the month, i.e. downtime =
 *   Σ rate × 5 min.
 * - unavailable SLAs: a period (the series' 60 s or 300 s) is Unavailable when at least one resource reported and
 *   every resource reporting was Unavailable (failed ≥ total); it counts its whole length.
 * - Measured span: only whole intervals inside [fromMs, toMs) of the series count as measured. Outside it nothing was
 *   read, so there the AWS Health windows count as before (100 % errors / Unavailable): the fallback. For
 *   unavailable SLAs a period with no datapoint (or no resource reporting) inside the span is unknown, not available,
 *   and falls back to the Health window too; for error-rate SLAs it is an interval without requests (the SLA's 0 %).
 * - Exactness: downtime is kept in integer units of 1e-6 ms; a partial interval's share is rounded down (a measured
 *   claim never rounds itself up). A series that is 100 % errors over a Health window aligned to 5 minutes gives
 *   exactly the window result.
 */
import type { ScopeSeries, SeriesPoint } from '../metrics/types.ts';
import { uptimeForDisplay } from '../util/percent.ts';
import { computeCredit, describeTier, findTier, type CreditInput, type CreditResult } from './engine.ts';
import type { Interval } from './intervals.ts';
import { divideRoundHalfUp } from './money.ts';
import { monthWindow } from './month.ts';

/** The SLA's error-rate interval. */
export const ERROR_RATE_INTERVAL_MS = 300_000;
/** Downtime units per millisecond (exact integer arithmetic for fractional intervals). */
const UNITS_PER_MS = 1_000_000n;
const MINUTE_MS = 60_000;
const CLAIM_MINIMUM_CENTS = 100;

export class InvalidSeriesError extends Error {
  override readonly name = 'InvalidSeriesError';
}

/** What the engine reads of a series. */
export type MeasuredSeries = Pick<ScopeSeries, 'kind' | 'periodSeconds' | 'fromMs' | 'toMs' | 'points'>;

export interface MeasuredInput extends CreditInput {
  series: MeasuredSeries;
}

export interface Measurement {
  /** Intervals (error-rate: 5-minute; unavailable: periods with data) of the month that were measured. */
  intervalCount: number;
  /** Of those, intervals with at least one error (error-rate) or Unavailable (unavailable). */
  failedIntervals: number;
  /** Downtime the measured intervals contribute, ms (rounded down). */
  measuredDownMs: number;
  /** Health-window downtime outside the measured intervals, ms. */
  fallbackDownMs: number;
  /** Health-window downtime of the month as the window engine counts it, ms. */
  windowDownMs: number;
  /** Health-window time inside the measured intervals, ms. */
  windowMeasuredMs: number;
}

export interface MeasuredResult extends CreditResult {
  measurement: Measurement;
}

/** The interval [start, end) of the month the series measures (error-rate: whole 5-minute intervals only). */
function measuredSpan(series: MeasuredSeries, month: { startMs: number; endMs: number }, intervalMs: number): Interval | null {
  const startMs = Math.max(Math.ceil(series.fromMs / intervalMs) * intervalMs, month.startMs);
  const endMs = Math.min(Math.floor(series.toMs / intervalMs) * intervalMs, month.endMs);
  return endMs > startMs ? { startMs, endMs } : null;
}

function checkPoint(p: SeriesPoint, index: number): void {
  if (!Number.isFinite(p.startMs)) throw new InvalidSeriesError(`series.points[${index}].startMs: not a valid instant (got ${p.startMs})`);
  if (!Number.isFinite(p.total) || p.total < 0) throw new InvalidSeriesError(`series.points[${index}].total: expected a non-negative number (got ${p.total})`);
  if (!Number.isFinite(p.failed) || p.failed < 0) throw new InvalidSeriesError(`series.points[${index}].failed: expected a non-negative number (got ${p.failed})`);
}

/** Sums points into buckets of `bucketMs` (aligned to UTC) inside `span`: sorted [start, total, failed]. */
function buckets(points: readonly SeriesPoint[], span: Interval, bucketMs: number): Array<[number, number, number]> {
  const byStart = new Map<number, [number, number, number]>();
  points.forEach((p, i) => {
    checkPoint(p, i);
    const start = Math.floor(p.startMs / bucketMs) * bucketMs;
    if (start < span.startMs || start >= span.endMs) return;
    const b = byStart.get(start);
    if (b) {
      b[1] += p.total;
      b[2] += p.failed;
    } else byStart.set(start, [start, p.total, p.failed]);
  });
  return [...byStart.values()].sort((a, b) => a[0] - b[0]);
}

/** Total length of the overlap of two sorted, non-overlapping interval lists. */
function overlapMs(a: readonly Interval[], b: readonly Interval[]): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const from = Math.max(x.startMs, y.startMs);
    const to = Math.min(x.endMs, y.endMs);
    if (to > from) total += to - from;
    if (x.endMs < y.endMs) i++;
    else j++;
  }
  return total;
}

/**
 * The month's credit from `series` (see the rules above). `base`: the window result for the same input, if already
 * computed (it supplies the Health windows, provisional flag and deadline).
 */
export function computeMeasuredCredit(input: MeasuredInput, base: CreditResult = computeCredit(input)): MeasuredResult {
  const { sla, series } = input;
  if (sla.measurement === 'days-of-charges') throw new InvalidSeriesError(`${sla.id}: a days-of-charges SLA has no measured form`);
  const expected = sla.measurement === 'error-rate-5min' ? 'error-rate' : 'unavailable';
  if (series.kind !== expected) throw new InvalidSeriesError(`series.kind: ${sla.id} is measured as ${expected} (got ${JSON.stringify(series.kind)})`);
  if (!Number.isFinite(series.fromMs) || !Number.isFinite(series.toMs)) {
    throw new InvalidSeriesError(`series.fromMs/toMs: not valid instants (got ${series.fromMs}, ${series.toMs})`);
  }
  const periodMs = series.periodSeconds * 1000;
  if (periodMs !== 60_000 && periodMs !== 300_000) {
    throw new InvalidSeriesError(`series.periodSeconds: expected 60 or 300 (got ${series.periodSeconds})`);
  }
  const month = monthWindow(input.month);
  const monthMs = month.endMs - month.startMs;
  const windows = base.windows;
  const windowDownMs = base.downtimeMs;

  const intervalMs = expected === 'error-rate' ? ERROR_RATE_INTERVAL_MS : periodMs;
  const span = measuredSpan(series, month, intervalMs);
  let measuredUnits = 0n;
  let intervalCount = 0;
  let failedIntervals = 0;
  let covered: Interval[] = [];
  if (span) {
    const rows = buckets(series.points, span, intervalMs);
    if (expected === 'error-rate') {
      covered = [span];
      intervalCount = (span.endMs - span.startMs) / intervalMs;
      const full = BigInt(intervalMs) * UNITS_PER_MS;
      for (const [, total, failed] of rows) {
        if (!(failed > 0) || !(total > 0)) continue;
        failedIntervals++;
        if (failed >= total) {
          measuredUnits += full;
          continue;
        }
        // failed / total of the interval, in integer arithmetic: scale both to integers (CloudWatch sums may carry
        // decimals) before dividing, rounding down.
        const scale = 1e6;
        const f = BigInt(Math.round(failed * scale));
        const t = BigInt(Math.round(total * scale));
        measuredUnits += t > 0n ? (f * full) / t : 0n;
      }
    } else {
      const full = BigInt(intervalMs) * UNITS_PER_MS;
      for (const [start, total, failed] of rows) {
        if (!(total > 0)) continue; // nobody reported: not measured
        covered.push({ startMs: start, endMs: start + intervalMs });
        intervalCount++;
        if (failed >= total) {
          failedIntervals++;
          measuredUnits += full;
        }
      }
      covered = mergeTouching(covered);
    }
  }
  const windowMeasuredMs = overlapMs(windows, covered);
  const fallbackDownMs = windowDownMs - windowMeasuredMs;
  const downUnits = measuredUnits + BigInt(fallbackDownMs) * UNITS_PER_MS;
  const totalUnits = BigInt(monthMs) * UNITS_PER_MS;
  const upUnits = totalUnits - downUnits;

  const tier = findTier(sla, upUnits, totalUnits);
  const creditPercent = tier?.creditPercent ?? 0;
  const chargesCents = base.chargesCents;
  const creditCents = chargesCents === null ? null : Number(divideRoundHalfUp(BigInt(chargesCents) * BigInt(creditPercent), 100n));
  const downMs = Number(downUnits / UNITS_PER_MS);
  return {
    ...base,
    downtimeMinutes: Math.round((Number(downUnits) / Number(UNITS_PER_MS) / MINUTE_MS) * 1000) / 1000,
    downtimeMs: downMs,
    uptimePercent: uptimeForDisplay(upUnits, totalUnits),
    creditPercent,
    creditDays: null,
    tierText: tier ? describeTier(tier) : null,
    creditCents,
    claimable: creditCents !== null && creditCents > CLAIM_MINIMUM_CENTS,
    measurement: {
      intervalCount,
      failedIntervals,
      measuredDownMs: Number(measuredUnits / UNITS_PER_MS),
      fallbackDownMs,
      windowDownMs,
      windowMeasuredMs,
    },
  };
}

function mergeTouching(sorted: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.startMs <= last.endMs) last.endMs = Math.max(last.endMs, i.endMs);
    else out.push({ ...i });
  }
  return out;
}
