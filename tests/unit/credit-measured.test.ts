/** The measured credit engine: exact figures, and the properties that tie it to the window engine. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCredit, type Outage } from '../../src/credit/engine.ts';
import { unionIntervals } from '../../src/credit/intervals.ts';
import { computeMeasuredCredit, InvalidSeriesError, type MeasuredSeries } from '../../src/credit/measured.ts';
import type { SeriesPoint } from '../../src/metrics/types.ts';
import { getSla } from '../../src/sla/index.ts';

const DYNAMODB = getSla('dynamodb')!;
const EC2_INSTANCE = getSla('ec2-instance')!;
const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const NOW = at('2025-12-01T00:00:00Z');

function perMinute(fromIso: string, minutes: number, total: number, failed: number): SeriesPoint[] {
  const from = at(fromIso);
  return Array.from({ length: minutes }, (_, i) => ({ startMs: from + i * MIN, total, failed }));
}

function errorSeries(fromIso: string, toIso: string, points: SeriesPoint[]): MeasuredSeries {
  return { kind: 'error-rate', periodSeconds: 60, fromMs: at(fromIso), toMs: at(toIso), points };
}

const WINDOW: Outage[] = [{ startMs: at('2025-10-20T07:00:00Z'), endMs: at('2025-10-20T07:30:00Z') }];
const base = { sla: DYNAMODB, month: '2025-10', outages: WINDOW, chargesCents: 500_000, nowMs: NOW };

describe('computeMeasuredCredit: exact figures (DynamoDB, October 2025 = 44 640 minutes)', () => {
  it('sums 60 s points into 5-minute error rates: 50 % + 100 % + a zero-request interval = 7.5 minutes', () => {
    const points = [
      ...perMinute('2025-10-20T07:00:00Z', 5, 100, 50), // 50 % → 2.5 min
      ...perMinute('2025-10-20T07:05:00Z', 5, 60, 60), // 100 % → 5 min
      ...perMinute('2025-10-20T07:10:00Z', 5, 0, 0), // no requests → 0 %
      ...perMinute('2025-10-20T07:15:00Z', 15, 1000, 0),
    ];
    const r = computeMeasuredCredit({ ...base, series: errorSeries('2025-10-20T06:00:00Z', '2025-10-20T10:00:00Z', points) });
    expect(r).toMatchObject({ downtimeMinutes: 7.5, downtimeMs: 450_000, uptimePercent: 99.9832, creditPercent: 10, creditCents: 50_000, claimable: true });
    expect(r.measurement).toEqual({ intervalCount: 48, failedIntervals: 2, measuredDownMs: 450_000, fallbackDownMs: 0, windowDownMs: 1_800_000, windowMeasuredMs: 1_800_000 });
    // the window engine on the same incident: 30 minutes at 100 %
    expect(computeCredit(base)).toMatchObject({ downtimeMinutes: 30, creditPercent: 10, creditCents: 50_000 });
  });

  it('a fractional rate is rounded down, never up: 1 error in 3 requests over one interval = 100 000 ms', () => {
    const r = computeMeasuredCredit({ ...base, series: errorSeries('2025-10-20T07:00:00Z', '2025-10-20T07:30:00Z', [{ startMs: at('2025-10-20T07:00:00Z'), total: 3, failed: 1 }]) });
    expect(r.measurement.measuredDownMs).toBe(100_000);
    expect(r.downtimeMinutes).toBe(1.667);
  });

  it('zero errors during the window: no downtime, no credit', () => {
    const r = computeMeasuredCredit({ ...base, series: errorSeries('2025-10-20T06:00:00Z', '2025-10-20T08:00:00Z', perMinute('2025-10-20T06:00:00Z', 120, 500, 0)) });
    expect(r).toMatchObject({ downtimeMinutes: 0, uptimePercent: 100, creditPercent: 0, creditCents: 0, claimable: false, tierText: null });
  });

  it('the Health window counts where nothing was measured: span from 07:10 leaves 10 minutes of fallback', () => {
    const r = computeMeasuredCredit({ ...base, series: errorSeries('2025-10-20T07:10:00Z', '2025-10-20T08:00:00Z', perMinute('2025-10-20T07:10:00Z', 50, 500, 0)) });
    expect(r.measurement).toMatchObject({ fallbackDownMs: 600_000, measuredDownMs: 0, intervalCount: 10 });
    expect(r.downtimeMinutes).toBe(10);
  });

  it('only whole 5-minute intervals of the span are measured: a span from 07:02 measures from 07:05', () => {
    const r = computeMeasuredCredit({ ...base, series: errorSeries('2025-10-20T07:02:00Z', '2025-10-20T07:30:00Z', perMinute('2025-10-20T07:02:00Z', 28, 10, 10)) });
    // 07:00–07:05 is outside the measured intervals → Health window (5 min); 07:05–07:30 measured at 100 % (25 min)
    expect(r.measurement).toMatchObject({ fallbackDownMs: 300_000, measuredDownMs: 1_500_000, intervalCount: 5 });
    expect(r.downtimeMinutes).toBe(30);
  });

  it('is measured per 5-minute interval: 100 % errors in 2 minutes of an interval count the whole interval', () => {
    const outages = [{ startMs: at('2025-10-20T06:48:00Z'), endMs: at('2025-10-20T06:50:00Z') }];
    const r = computeMeasuredCredit({ ...base, outages, series: errorSeries('2025-10-20T06:00:00Z', '2025-10-20T08:00:00Z', perMinute('2025-10-20T06:48:00Z', 2, 40, 40)) });
    expect(r.downtimeMinutes).toBe(5);
  });

  it('clips to the month: a series and window across 1 November count only their October part', () => {
    const outages = [{ startMs: at('2025-10-31T23:50:00Z'), endMs: at('2025-11-01T00:20:00Z') }];
    const series = errorSeries('2025-10-31T23:00:00Z', '2025-11-01T01:00:00Z', perMinute('2025-10-31T23:50:00Z', 30, 10, 10));
    expect(computeMeasuredCredit({ ...base, outages, series }).downtimeMinutes).toBe(10);
    expect(computeMeasuredCredit({ ...base, month: '2025-11', outages, series }).downtimeMinutes).toBe(20);
  });

  it('unavailable SLAs count whole periods in which every resource reporting was Unavailable; gaps fall back to the window', () => {
    const sla = EC2_INSTANCE;
    const points = [
      ...perMinute('2025-10-20T07:00:00Z', 10, 1, 1), // 10 Unavailable minutes
      ...perMinute('2025-10-20T07:10:00Z', 10, 1, 0), // 10 available minutes
      // 07:20–07:30: no datapoint → unknown → the Health window counts (10 min)
    ];
    const series: MeasuredSeries = { kind: 'unavailable', periodSeconds: 60, fromMs: at('2025-10-20T06:00:00Z'), toMs: at('2025-10-20T08:00:00Z'), points };
    const r = computeMeasuredCredit({ sla, month: '2025-10', outages: WINDOW, chargesCents: 10_000, nowMs: NOW, series });
    expect(r.measurement).toMatchObject({ intervalCount: 20, failedIntervals: 10, measuredDownMs: 600_000, fallbackDownMs: 600_000 });
    expect(r).toMatchObject({ downtimeMinutes: 20, creditPercent: 0 }); // 20 / 44 640 min = 99.955 % ≥ 99.5 %
  });

  it.each([
    [{ kind: 'unavailable' as const }, 'series.kind: dynamodb is measured as error-rate (got "unavailable")'],
    [{ periodSeconds: 3600 }, 'series.periodSeconds: expected 60 or 300 (got 3600)'],
    [{ points: [{ startMs: at('2025-10-20T07:00:00Z'), total: -1, failed: 0 }] }, 'series.points[0].total: expected a non-negative number (got -1)'],
    [{ points: [{ startMs: at('2025-10-20T07:00:00Z'), total: 1, failed: Number.NaN }] }, 'series.points[0].failed: expected a non-negative number (got NaN)'],
  ])('refuses a bad series %j naming the field', (change, message) => {
    const series = { ...errorSeries('2025-10-20T06:00:00Z', '2025-10-20T08:00:00Z', []), ...change };
    expect(() => computeMeasuredCredit({ ...base, series })).toThrow(new InvalidSeriesError(message));
  });
});

// ─────────────────────────────── properties ───────────────────────────────

const FIVE = 300_000;
const OCT = at('2025-10-01T00:00:00Z');
const NOV_END = at('2025-12-01T00:00:00Z');
const months = ['2025-10', '2025-11'];

/** Windows aligned to the SLA's period, anywhere in Oct–Nov 2025 (some across the month edge). */
const windowsArb = (stepMs: number) =>
  fc.array(
    fc.record({ start: fc.integer({ min: 0, max: (NOV_END - OCT) / stepMs - 1 }), length: fc.integer({ min: 1, max: 600 }) }).map(({ start, length }) => ({
      startMs: OCT + start * stepMs,
      endMs: Math.min(OCT + (start + length) * stepMs, NOV_END),
    })),
    { minLength: 1, maxLength: 4 },
  );

/** Every period of the union of `windows` at 100 % (total = failed > 0), other periods of the hull ± 1 h at 0 %. */
function fullSeries(kind: 'error-rate' | 'unavailable', windows: { startMs: number; endMs: number }[], periodMs: number, seed: number): MeasuredSeries {
  const union = unionIntervals(windows);
  const from = Math.max(union[0]!.startMs - 3_600_000, OCT);
  const to = Math.min(union[union.length - 1]!.endMs + 3_600_000, NOV_END);
  const points: SeriesPoint[] = [];
  let s = seed >>> 0;
  for (const w of union) {
    for (let t = w.startMs; t < w.endMs; t += periodMs) {
      s = (s * 1103515245 + 12345) >>> 0;
      const total = kind === 'unavailable' ? 1 + (s % 3) : 1 + (s % 500);
      points.push({ startMs: t, total, failed: total });
    }
  }
  return { kind, periodSeconds: periodMs / 1000, fromMs: from, toMs: to, points };
}

const chargesArb = fc.integer({ min: 0, max: 1_000_000_000 });

describe('computeMeasuredCredit: properties', () => {
  it('an all-100 % series over the windows reproduces the window result exactly (error-rate and unavailable)', () => {
    fc.assert(
      fc.property(fc.boolean(), windowsArb(FIVE), chargesArb, fc.constantFrom(...months), fc.integer(), (unavailable, windows, charges, month, seed) => {
        const sla = unavailable ? EC2_INSTANCE : DYNAMODB;
        const series = fullSeries(unavailable ? 'unavailable' : 'error-rate', windows, unavailable ? MIN : FIVE, seed);
        const input = { sla, month, outages: windows, chargesCents: charges, nowMs: NOW };
        const window = computeCredit(input);
        const measured = computeMeasuredCredit({ ...input, series });
        for (const field of ['downtimeMs', 'downtimeMinutes', 'uptimePercent', 'creditPercent', 'creditCents', 'tierText', 'claimable', 'provisional'] as const) {
          expect(measured[field]).toEqual(window[field]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('fewer errors never give more credit (nor more downtime)', () => {
    fc.assert(
      fc.property(fc.boolean(), windowsArb(FIVE), chargesArb, fc.constantFrom(...months), fc.integer(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }), (unavailable, windows, charges, month, seed, cuts) => {
        const sla = unavailable ? EC2_INSTANCE : DYNAMODB;
        const series = fullSeries(unavailable ? 'unavailable' : 'error-rate', windows, unavailable ? MIN : FIVE, seed);
        const fewer = { ...series, points: series.points.map((p, i) => ({ ...p, failed: Math.floor(p.failed * cuts[i % cuts.length]!) })) };
        const input = { sla, month, outages: windows, chargesCents: charges, nowMs: NOW };
        const more = computeMeasuredCredit({ ...input, series });
        const less = computeMeasuredCredit({ ...input, series: fewer });
        expect(less.creditCents!).toBeLessThanOrEqual(more.creditCents!);
        expect(less.creditPercent).toBeLessThanOrEqual(more.creditPercent);
        expect(less.downtimeMs).toBeLessThanOrEqual(more.downtimeMs);
      }),
      { numRuns: 300 },
    );
  });

  it('zero-request intervals count as 0 %: adding them changes nothing, and a series of only those leaves the fallback alone', () => {
    fc.assert(
      fc.property(windowsArb(FIVE), fc.constantFrom(...months), fc.integer(), fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 40 }), (windows, month, seed, extra) => {
        const series = fullSeries('error-rate', windows, FIVE, seed);
        const zeros = extra.map((k) => ({ startMs: series.fromMs + k * MIN, total: 0, failed: 0 }));
        const input = { sla: DYNAMODB, month, outages: windows, chargesCents: 1_000_000, nowMs: NOW };
        const a = computeMeasuredCredit({ ...input, series });
        const b = computeMeasuredCredit({ ...input, series: { ...series, points: [...series.points, ...zeros] } });
        expect(b.downtimeMs).toBe(a.downtimeMs);
        const empty = computeMeasuredCredit({ ...input, series: { ...series, points: zeros } });
        expect(empty.measurement.measuredDownMs).toBe(0);
        expect(empty.downtimeMs).toBe(empty.measurement.fallbackDownMs);
      }),
      { numRuns: 200 },
    );
  });

  it('month clipping and the union of overlapping incidents still hold', () => {
    fc.assert(
      fc.property(fc.boolean(), windowsArb(FIVE), fc.integer(), (unavailable, windows, seed) => {
        const sla = unavailable ? EC2_INSTANCE : DYNAMODB;
        const series = fullSeries(unavailable ? 'unavailable' : 'error-rate', windows, unavailable ? MIN : FIVE, seed);
        const overlapping = [...windows, ...windows.map((w) => ({ startMs: w.startMs, endMs: Math.max(w.startMs + 1, w.endMs - FIVE) }))];
        let total = 0;
        for (const month of months) {
          const input = { sla, month, chargesCents: 1_000_000, nowMs: NOW, series };
          const union = computeMeasuredCredit({ ...input, outages: unionIntervals(windows) });
          const dup = computeMeasuredCredit({ ...input, outages: overlapping });
          expect(dup.downtimeMs).toBe(union.downtimeMs);
          expect(dup.creditCents).toBe(union.creditCents);
          total += union.downtimeMs;
        }
        const unionMs = unionIntervals(windows).reduce((s, w) => s + w.endMs - w.startMs, 0);
        expect(total).toBe(unionMs);
      }),
      { numRuns: 200 },
    );
  });
});
