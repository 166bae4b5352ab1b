/**
 * The engine's fast path (typed arrays, numeric sorts, one sweep, memoised months) against a straightforward
 * reference kept here: interval objects merged one by one, months and deadlines from luxon, tiers by plain
 * BigInt fractions. Random inputs cover open intervals, overlaps, duplicates, outages across month boundaries,
 * 28–31-day months, leap years (2000 and 2400 are, 1900 and 2100 are not), whole-minute, error-rate and
 * days-of-charges SLAs. Instants are whole milliseconds, as parsed from ISO-8601 (fractional ones reach only the
 * union property: `computeCredit` on an error-rate SLA cannot turn a fractional downtime into BigInt, before and now).
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeCredit, describeTier, type CreditInput, type CreditResult, type Outage } from '../../src/credit/engine.ts';
import { unionIntervals, type Interval } from '../../src/credit/intervals.ts';
import { claimDeadline, monthWindow } from '../../src/credit/month.ts';
import { SLA_CATALOG } from '../../src/sla/index.ts';
import type { SlaDefinition } from '../../src/sla/types.ts';
import { daySla, percentSla } from '../helpers/slas.ts';

const DAY_MS = 86_400_000;

// ─────────────────────────────── reference ───────────────────────────────

function referenceUnion(intervals: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const i of [...intervals].filter((x) => x.endMs > x.startMs).sort((a, b) => a.startMs - b.startMs)) {
    const last = merged.at(-1);
    if (last && i.startMs <= last.endMs) last.endMs = Math.max(last.endMs, i.endMs);
    else merged.push({ ...i });
  }
  return merged;
}

function referenceMonth(month: string) {
  const start = DateTime.fromISO(`${month}-01T00:00:00Z`, { zone: 'utc' });
  const end = start.plus({ months: 1 });
  return {
    startMs: start.toMillis(),
    endMs: end.toMillis(),
    days: end.diff(start, 'days').days,
    deadline: start.plus({ months: 2 }).endOf('month').toISODate()!,
  };
}

/** "upMs / total · 100 < percent", with the percentage as a fraction num / den of BigInts. */
function below(upMs: bigint, total: bigint, percent: string): boolean {
  const [int, frac = ''] = percent.split('.');
  const num = BigInt(int! + frac);
  const den = 10n ** BigInt(frac.length);
  return upMs * 100n * den < num * total;
}

const halfUp = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);

function referenceCredit({ sla, month, outages, chargesCents = null, nowMs }: CreditInput): CreditResult {
  const m = referenceMonth(month);
  const closed = outages.map((o) => ({ startMs: o.startMs, endMs: o.endMs ?? Math.max(nowMs, o.startMs) }));
  const provisional = outages.some((o, i) => o.endMs === null && closed[i]!.endMs > m.startMs && o.startMs < m.endMs);
  const measured =
    sla.measurement === 'error-rate-5min'
      ? closed
      : closed.map((o) => ({ startMs: Math.floor(o.startMs / 60_000) * 60_000, endMs: Math.ceil(o.endMs / 60_000) * 60_000 }));
  const windows = referenceUnion(measured)
    .map((w) => ({ startMs: Math.max(w.startMs, m.startMs), endMs: Math.min(w.endMs, m.endMs) }))
    .filter((w) => w.endMs > w.startMs);
  const downMs = windows.reduce((sum, w) => sum + (w.endMs - w.startMs), 0);
  const monthMs = m.endMs - m.startMs;
  const up = BigInt(monthMs - downMs);
  const total = BigInt(monthMs);
  const charges = chargesCents ?? null;

  let creditPercent = 0;
  let creditDays: number | null = null;
  let tierText: string | null = null;
  let creditCents: number | null = null;
  if (sla.measurement === 'days-of-charges') {
    // Per period of Unavailability (a deliberate rule change, issue 10 rule 1): every merged window earns its own
    // day tier, the month's credit is the sum, credited at most the days in the month.
    const periods = windows.map((w) => {
      const minutes = (w.endMs - w.startMs) / 60_000;
      const tier = (sla.dayTiers ?? []).find((t) => minutes >= t.minMinutes && (t.maxMinutes === null || minutes <= t.maxMinutes));
      return { minutes, days: tier ? tier.days : 0 };
    });
    const sum = periods.reduce((s, p) => s + p.days, 0);
    const days = Math.min(sum, m.days);
    if (sum > 0) {
      creditDays = days; // the days credited, after the cap (the tier text keeps the sum)
      creditPercent = Number(halfUp(BigInt(days) * 10_000n, BigInt(m.days))) / 100;
      let parts = periods.map((p) => `${p.minutes} min → ${p.days} d`);
      if (parts.length > 12) {
        const restDays = periods.slice(12).reduce((s, p) => s + p.days, 0);
        parts = [...parts.slice(0, 12), `${periods.length - 12} more → ${restDays} d`];
      }
      tierText =
        `${periods.length} ${periods.length === 1 ? 'period' : 'periods'}: ${parts.join(', ')} = ${sum} ${sum === 1 ? 'day' : 'days'}` +
        (sum > m.days ? ` (credited at most ${m.days} days, the month's charges)` : '');
    }
    if (charges !== null) creditCents = Number(halfUp(BigInt(charges) * BigInt(days), BigInt(m.days)));
  } else {
    const tier = below(up, total, sla.commitmentPercent)
      ? sla.tiers.find((t) => below(up, total, t.below) && (t.atLeast === null || !below(up, total, t.atLeast)))
      : undefined;
    if (tier) {
      creditPercent = tier.creditPercent;
      tierText = describeTier(tier);
    }
    if (charges !== null) creditCents = Number(halfUp(BigInt(charges) * BigInt(creditPercent), 100n));
  }
  return {
    sla: sla.id,
    month,
    minutesInMonth: m.days * 1440,
    downtimeMinutes: Math.round((downMs / 60_000) * 1000) / 1000,
    downtimeMs: downMs,
    uptimePercent: Number(halfUp(up * 100n * 10_000n, total)) / 10_000,
    commitmentPercent: sla.commitmentPercent,
    creditPercent,
    creditDays,
    tierText,
    chargesCents: charges,
    creditCents,
    claimable: creditCents !== null && creditCents > 100,
    provisional,
    deadline: m.deadline,
    windows,
  };
}

// ─────────────────────────────── inputs ───────────────────────────────

const errorRateSla = percentSla({
  id: 'test-error-rate',
  measurement: 'error-rate-5min',
  commitmentPercent: '99.9',
  tiers: [
    { below: '99.9', atLeast: '99.0', creditPercent: 10 },
    { below: '99.0', atLeast: '95.0', creditPercent: 25 },
    { below: '95.0', atLeast: null, creditPercent: 100 },
  ],
});
const slaArb = fc.constantFrom<SlaDefinition>(percentSla(), errorRateSla, daySla(), ...SLA_CATALOG);

/** Months from 1970 to 2499, weighted towards Februaries of century years (leap or not) and month ends. */
const monthArb = fc
  .oneof(
    fc.record({ year: fc.integer({ min: 1970, max: 2499 }), mon: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ year: fc.constantFrom(2000, 2100, 2024, 2023, 2400, 2200), mon: fc.constantFrom(1, 2, 3, 12) }),
  )
  .map(({ year, mon }) => `${year}-${String(mon).padStart(2, '0')}`);

/** Up to 40 outages around the month (from 40 days before to 40 days after its start), some duplicated. */
function outagesAround(monthStartMs: number) {
  const instant = fc.oneof(
    fc.integer({ min: -40 * DAY_MS, max: 72 * DAY_MS }),
    // near the month's edges, where clipping and minute alignment meet
    fc.integer({ min: -120_000, max: 120_000 }),
    fc.integer({ min: 28 * DAY_MS - 120_000, max: 31 * DAY_MS + 120_000 }),
  );
  const outage = fc
    .record({
      start: instant,
      length: fc.oneof(fc.integer({ min: 0, max: 3 * 3_600_000 }), fc.integer({ min: 0, max: 40 * DAY_MS }), fc.constant(0)),
      open: fc.integer({ min: 0, max: 99 }).map((x) => x < 15),
    })
    .map(({ start, length, open }): Outage => {
      const startMs = monthStartMs + start;
      return { startMs, endMs: open ? null : startMs + length };
    });
  return fc
    .tuple(fc.array(outage, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 5 }))
    .map(([outages, picks]) => (outages.length === 0 ? outages : [...outages, ...picks.map((p) => outages[p % outages.length]!)]));
}

const caseArb = fc
  .record({ sla: slaArb, month: monthArb, charges: fc.option(fc.integer({ min: 0, max: 10_000_000_000 }), { nil: null }) })
  .chain(({ sla, month, charges }) => {
    const startMs = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 1, 1);
    return fc
      .record({ outages: outagesAround(startMs), now: fc.integer({ min: -10 * DAY_MS, max: 45 * DAY_MS }) })
      .map(({ outages, now }): CreditInput => ({ sla, month, outages, chargesCents: charges, nowMs: startMs + now }));
  });

// ─────────────────────────────── properties ───────────────────────────────

describe('credit engine fast path = reference implementation', () => {
  it('returns the same result, field for field, on random inputs', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        expect(computeCredit(input)).toEqual(referenceCredit(input));
      }),
      { numRuns: 3000 },
    );
  });

  it('returns the same result on 1 000-interval inputs, as the benchmark uses', () => {
    fc.assert(
      fc.property(caseArb, fc.array(fc.tuple(fc.integer({ min: -5 * DAY_MS, max: 35 * DAY_MS }), fc.nat(3 * 3_600_000)), { minLength: 1000, maxLength: 1000 }), (input, extra) => {
        const startMs = monthWindow(input.month).startMs;
        const outages = [...input.outages, ...extra.map(([s, l]) => ({ startMs: startMs + s, endMs: startMs + s + l }))];
        expect(computeCredit({ ...input, outages })).toEqual(referenceCredit({ ...input, outages }));
      }),
      { numRuns: 100 },
    );
  });

  it('unions like the reference, also with fractional, negative and widely spread bounds', () => {
    const bound = fc.oneof(
      fc.integer({ min: -20, max: 20 }), // small: many touching and duplicate bounds
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.integer({ min: 0, max: 2 ** 45 }), // spreads beyond the 2^32 ms of the integer path
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(bound, bound)), (pairs) => {
        // -0 and +0 are the same instant, and the reference keeps whichever came first: compare with +0 only.
        const intervals = pairs.map(([a, b]) => ({ startMs: Math.min(a, b) + 0, endMs: Math.max(a, b) + 0 }));
        expect(unionIntervals(intervals)).toEqual(referenceUnion(intervals));
      }),
      { numRuns: 2000 },
    );
  });

  it('has the same month windows and deadlines as luxon for every month from 1970 to 2499 and 9990 to 9999', () => {
    const years = [...Array.from({ length: 530 }, (_, i) => 1970 + i), ...Array.from({ length: 10 }, (_, i) => 9990 + i)];
    for (const year of years) {
      for (let mon = 1; mon <= 12; mon++) {
        const month = `${year}-${String(mon).padStart(2, '0')}`;
        const ref = referenceMonth(month);
        const w = monthWindow(month);
        if (w.startMs !== ref.startMs || w.endMs !== ref.endMs || w.days !== ref.days || w.minutes !== ref.days * 1440) {
          expect({ ...w }).toEqual({ month, startMs: ref.startMs, endMs: ref.endMs, minutes: ref.days * 1440, days: ref.days });
        }
        if (claimDeadline(month) !== ref.deadline) expect(`${month} → ${claimDeadline(month)}`).toBe(`${month} → ${ref.deadline}`);
      }
    }
  });
});
