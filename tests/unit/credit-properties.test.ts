import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCredit, type Outage } from '../../src/credit/engine.ts';
import { monthsBetween } from '../../src/credit/month.ts';
import { percentSla } from '../helpers/slas.ts';

const START = Date.parse('2023-11-15T00:00:00Z');
const SPAN = 200 * 86_400_000; // outages anywhere in ~6.5 months, across a leap February
const NOW = START + SPAN;

const outageArb = fc
  .record({ start: fc.integer({ min: 0, max: SPAN }), length: fc.integer({ min: 0, max: 20 * 86_400_000 }), open: fc.boolean() })
  .map(({ start, length, open }): Outage => ({ startMs: START + start, endMs: open ? null : START + start + length }));
const outagesArb = fc.array(outageArb, { maxLength: 12 });
const slaArb = fc.constantFrom(
  percentSla(),
  percentSla({ measurement: 'error-rate-5min', commitmentPercent: '99.9', tiers: [
    { below: '99.9', atLeast: '99.0', creditPercent: 10 },
    { below: '99.0', atLeast: '95.0', creditPercent: 25 },
    { below: '95.0', atLeast: null, creditPercent: 100 },
  ] }),
);
const monthArb = fc.constantFrom('2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05');
const chargesArb = fc.integer({ min: 0, max: 10_000_000_000 });

describe('credit engine properties', () => {
  it('never credits more than the charges, never negative, never NaN', () => {
    fc.assert(
      fc.property(slaArb, monthArb, outagesArb, chargesArb, (sla, month, outages, charges) => {
        const r = computeCredit({ sla, month, outages, chargesCents: charges, nowMs: NOW });
        expect(Number.isSafeInteger(r.creditCents)).toBe(true);
        expect(r.creditCents).toBeGreaterThanOrEqual(0);
        expect(r.creditCents).toBeLessThanOrEqual(charges);
        expect(r.uptimePercent).toBeGreaterThanOrEqual(0);
        expect(r.uptimePercent).toBeLessThanOrEqual(100);
      }),
      { numRuns: 1000 },
    );
  });

  it('does not depend on the order or duplication of outages', () => {
    fc.assert(
      fc.property(slaArb, monthArb, outagesArb, chargesArb, fc.integer(), (sla, month, outages, charges, seed) => {
        const shuffled = [...outages, ...outages.slice(0, 3)];
        // deterministic shuffle from the seed (no Math.random inside a property)
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) & 0x7fffffff;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = computeCredit({ sla, month, outages, chargesCents: charges, nowMs: NOW });
        const b = computeCredit({ sla, month, outages: shuffled, chargesCents: charges, nowMs: NOW });
        expect(b).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('splits an outage across months into parts that add up to the whole', () => {
    fc.assert(
      fc.property(slaArb, outagesArb, (sla, outages) => {
        const closed = outages.map((o) => ({ startMs: o.startMs, endMs: o.endMs ?? NOW }));
        const minMs = Math.min(...closed.map((o) => o.startMs), START);
        const maxMs = Math.max(...closed.map((o) => o.endMs), START + 1);
        const months = monthsBetween(minMs, maxMs);
        const perMonth = months.reduce(
          (sum, month) => sum + computeCredit({ sla, month, outages: closed, nowMs: NOW }).downtimeMs,
          0,
        );
        const aligned = sla.measurement === 'error-rate-5min' ? closed : closed.map((o) => ({ startMs: Math.floor(o.startMs / 60_000) * 60_000, endMs: Math.ceil(o.endMs / 60_000) * 60_000 }));
        const sorted = aligned.filter((o) => o.endMs > o.startMs).sort((x, y) => x.startMs - y.startMs);
        let union = 0;
        let curS = -1;
        let curE = -1;
        for (const o of sorted) {
          if (o.startMs > curE) {
            union += curE - curS;
            curS = o.startMs;
            curE = o.endMs;
          } else if (o.endMs > curE) curE = o.endMs;
        }
        union += curE - curS;
        expect(perMonth).toBe(union);
      }),
      { numRuns: 500 },
    );
  });

  it('gives a larger (or equal) credit for more downtime', () => {
    fc.assert(
      fc.property(slaArb, monthArb, outagesArb, outageArb, chargesArb, (sla, month, outages, extra, charges) => {
        const a = computeCredit({ sla, month, outages, chargesCents: charges, nowMs: NOW });
        const b = computeCredit({ sla, month, outages: [...outages, extra], chargesCents: charges, nowMs: NOW });
        expect(b.creditCents!).toBeGreaterThanOrEqual(a.creditCents!);
        expect(b.downtimeMs).toBeGreaterThanOrEqual(a.downtimeMs);
      }),
      { numRuns: 500 },
    );
  });
});
