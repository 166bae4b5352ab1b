import { describe, expect, it } from 'vitest';
import { computeCredit, findTier, InvalidOutageError } from '../../src/credit/engine.ts';
import { unionIntervals } from '../../src/credit/intervals.ts';
import { divideRoundHalfUp, formatUsd, InvalidAmountError, parseUsdToCents } from '../../src/credit/money.ts';
import { claimDeadline, daysUntil, InvalidMonthError, monthsBetween, monthWindow } from '../../src/credit/month.ts';
import { compareUptime, parsePercent } from '../../src/util/percent.ts';
import { daySla, percentSla } from '../helpers/slas.ts';

const t = (iso: string) => Date.parse(iso);
const NOW = t('2026-01-01T00:00:00Z');

describe('months', () => {
  it.each([
    ['2025-10', 31 * 1440, 31],
    ['2025-11', 30 * 1440, 30],
    ['2025-02', 28 * 1440, 28],
    ['2024-02', 29 * 1440, 29],
    ['2000-02', 29 * 1440, 29],
    ['2100-02', 28 * 1440, 28],
  ])('%s has %i minutes', (month, minutes, days) => {
    const w = monthWindow(month);
    expect(w.minutes).toBe(minutes);
    expect(w.days).toBe(days);
    expect(w.endMs - w.startMs).toBe(minutes * 60_000);
    expect(new Date(w.startMs).toISOString()).toBe(`${month}-01T00:00:00.000Z`);
  });

  it.each(['2025-13', '2025-00', '25-10', '2025-1', '', 'October'])('rejects month %j', (month) => {
    expect(() => monthWindow(month)).toThrow(InvalidMonthError);
  });

  it.each([
    ['2025-10', '2025-12-31'],
    ['2025-11', '2026-01-31'],
    ['2025-12', '2026-02-28'],
    ['2023-12', '2024-02-29'],
    ['2026-01', '2026-03-31'],
  ])('an incident in %s must be claimed by %s', (month, deadline) => {
    expect(claimDeadline(month)).toBe(deadline);
  });

  it('counts days left to a deadline in UTC', () => {
    expect(daysUntil('2025-12-31', t('2025-12-01T23:59:00Z'))).toBe(30);
    expect(daysUntil('2025-12-31', t('2025-12-31T12:00:00Z'))).toBe(0);
    expect(daysUntil('2025-12-31', t('2026-01-02T00:00:00Z'))).toBe(-2);
  });

  it('lists the months an interval touches', () => {
    expect(monthsBetween(t('2025-10-31T23:00:00Z'), t('2025-12-01T00:00:01Z'))).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(monthsBetween(t('2025-10-31T23:00:00Z'), t('2025-11-01T00:00:00Z'))).toEqual(['2025-10']);
    expect(monthsBetween(5, 5)).toEqual([]);
  });
});

describe('money', () => {
  it.each([
    ['5000', 500000],
    ['5000.5', 500050],
    ['0.01', 1],
    ['1,234.56', 123456],
    ['1,234,567', 123456700],
    ['$12', 1200],
    ['0', 0],
  ])('parses %j as %i cents', (text, cents) => {
    expect(parseUsdToCents(text)).toBe(cents);
  });

  it.each(['-5', '1e3', '12.345', 'abc', '', '.5', 'NaN', '1.2.3', '1234,56', '1,00', '12,34.5', '1,2345'])('rejects %j with the value in the message', (text) => {
    expect(() => parseUsdToCents(text, '--charges')).toThrow(InvalidAmountError);
    expect(() => parseUsdToCents(text, '--charges')).toThrow(`--charges`);
  });

  it('rounds half up exactly', () => {
    expect(divideRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divideRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divideRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divideRoundHalfUp(25n, 10n)).toBe(3n);
    expect(formatUsd(123456789)).toBe('$1,234,567.89');
    expect(formatUsd(5)).toBe('$0.05');
  });
});

describe('percentages are compared exactly', () => {
  it('parses decimal percentages', () => {
    expect(parsePercent('99.99')).toEqual({ units: 9999n, scale: 2 });
    expect(parsePercent('100')).toEqual({ units: 100n, scale: 0 });
    expect(() => parsePercent('100.5')).toThrow(/at most 100/);
    expect(() => parsePercent('99,9')).toThrow(/99,9/);
  });

  it('treats exactly 99.0 % as "equal to or greater than 99.0 %"', () => {
    // 30-day month: 1 % of 43,200 minutes = 432 minutes down → exactly 99.0 %.
    const total = 43_200n * 60_000n;
    const up = (43_200n - 432n) * 60_000n;
    expect(compareUptime(up, total, '99.0')).toBe(0);
    expect(compareUptime(up, total, '99')).toBe(0);
    expect(compareUptime(up - 1n, total, '99.0')).toBe(-1);
    expect(findTier(percentSla(), up, total)?.creditPercent).toBe(10);
    expect(findTier(percentSla(), up - 1n, total)?.creditPercent).toBe(25);
  });

  it('picks no tier when the commitment is met exactly', () => {
    const total = 1_000_000n;
    expect(findTier(percentSla(), 999_900n, total)).toBeNull();
    expect(findTier(percentSla(), 999_899n, total)?.creditPercent).toBe(10);
  });
});

describe('computeCredit', () => {
  const base = { sla: percentSla(), month: '2025-11', nowMs: NOW };

  it('unions overlapping and duplicate outages', () => {
    const r = computeCredit({
      ...base,
      outages: [
        { startMs: t('2025-11-03T10:00:00Z'), endMs: t('2025-11-03T11:00:00Z') },
        { startMs: t('2025-11-03T10:30:00Z'), endMs: t('2025-11-03T11:30:00Z') },
        { startMs: t('2025-11-03T10:00:00Z'), endMs: t('2025-11-03T11:00:00Z') },
      ],
    });
    expect(r.downtimeMinutes).toBe(90);
    expect(r.windows).toHaveLength(1);
  });

  it('clips an outage to the month and marks open outages provisional', () => {
    const r = computeCredit({
      ...base,
      month: '2025-12',
      nowMs: t('2025-12-01T02:00:00Z'),
      outages: [{ startMs: t('2025-11-30T23:00:00Z'), endMs: null }],
    });
    expect(r.downtimeMinutes).toBe(120);
    expect(r.provisional).toBe(true);
    const november = computeCredit({ ...base, nowMs: t('2025-12-01T02:00:00Z'), outages: [{ startMs: t('2025-11-30T23:00:00Z'), endMs: null }] });
    expect(november.downtimeMinutes).toBe(60);
    expect(november.provisional).toBe(true);
  });

  it('counts whole minutes for minute-based SLAs and exact time for error-rate SLAs', () => {
    const outage = [{ startMs: t('2025-11-03T10:00:30Z'), endMs: t('2025-11-03T10:01:10Z') }];
    expect(computeCredit({ ...base, outages: outage }).downtimeMinutes).toBe(2);
    expect(computeCredit({ ...base, sla: percentSla({ measurement: 'error-rate-5min' }), outages: outage }).downtimeMinutes).toBeCloseTo(40 / 60, 3);
  });

  it('computes credit cents rounded half up, claimable only above $1.00', () => {
    const outages = [{ startMs: t('2025-11-03T00:00:00Z'), endMs: t('2025-11-03T01:00:00Z') }];
    expect(computeCredit({ ...base, outages, chargesCents: 1005 }).creditCents).toBe(101); // 10 % of $10.05 = 100.5 → 101
    expect(computeCredit({ ...base, outages, chargesCents: 1005 }).claimable).toBe(true);
    expect(computeCredit({ ...base, outages, chargesCents: 1000 }).creditCents).toBe(100);
    expect(computeCredit({ ...base, outages, chargesCents: 1000 }).claimable).toBe(false);
    const unknown = computeCredit({ ...base, outages });
    expect(unknown.creditCents).toBeNull();
    expect(unknown.creditPercent).toBe(10);
    expect(unknown.claimable).toBe(false);
  });

  it('gives no credit when nothing happened', () => {
    const r = computeCredit({ ...base, outages: [], chargesCents: 100_000 });
    expect(r).toMatchObject({ downtimeMinutes: 0, uptimePercent: 100, creditPercent: 0, creditCents: 0, claimable: false, tierText: null });
  });

  it('credits days of average daily charges for day-based SLAs, capped at the month', () => {
    const sla = daySla();
    const minutes = (m: number) => [{ startMs: t('2025-11-03T00:00:00Z'), endMs: t('2025-11-03T00:00:00Z') + m * 60_000 }];
    expect(computeCredit({ ...base, sla, outages: minutes(4), chargesCents: 30_000 }).creditCents).toBe(0);
    expect(computeCredit({ ...base, sla, outages: minutes(5), chargesCents: 30_000 })).toMatchObject({ creditDays: 1, creditCents: 1_000 });
    expect(computeCredit({ ...base, sla, outages: minutes(31), chargesCents: 30_000 })).toMatchObject({ creditDays: 7, creditCents: 7_000 });
    expect(computeCredit({ ...base, sla, outages: minutes(241), chargesCents: 30_000 })).toMatchObject({ creditDays: 30, creditCents: 30_000 });
    const feb = computeCredit({ ...base, sla, month: '2026-02', outages: [{ startMs: t('2026-02-03T00:00:00Z'), endMs: t('2026-02-03T05:00:00Z') }], chargesCents: 28_000 });
    expect(feb.creditCents).toBe(28_000);
  });

  it('credits day-based SLAs per period of Unavailability, not on the month\'s total', () => {
    const sla = daySla();
    const at = (iso: string, m: number) => ({ startMs: t(iso), endMs: t(iso) + m * 60_000 });
    const twenty = computeCredit({ ...base, sla, outages: [at('2025-11-03T00:00:00Z', 20), at('2025-11-04T00:00:00Z', 20)], chargesCents: 30_000 });
    expect(twenty).toMatchObject({ creditDays: 2, creditCents: 2_000, windows: [expect.anything(), expect.anything()] });
    const four = computeCredit({ ...base, sla, outages: [at('2025-11-03T00:00:00Z', 4), at('2025-11-04T00:00:00Z', 4)], chargesCents: 30_000 });
    expect(four).toMatchObject({ creditDays: null, creditCents: 0, tierText: null });
    // Seconds widen to whole minutes per period: 10:00:30–10:04:10 is 10:00–10:05, 5 minutes → 1 day.
    const widened = computeCredit({ ...base, sla, outages: [{ startMs: t('2025-11-03T10:00:30Z'), endMs: t('2025-11-03T10:04:10Z') }], chargesCents: 30_000 });
    expect(widened).toMatchObject({ creditDays: 1, creditCents: 1_000 });
  });

  it('rejects an outage that ends before it starts, naming it', () => {
    expect(() =>
      computeCredit({ ...base, outages: [{ startMs: t('2025-11-03T01:00:00Z'), endMs: t('2025-11-03T00:00:00Z') }] }),
    ).toThrow(InvalidOutageError);
    expect(() => computeCredit({ ...base, outages: [{ startMs: Number.NaN, endMs: null }] })).toThrow(/outage\[0\]\.start/);
    expect(() => computeCredit({ ...base, outages: [], chargesCents: -1 })).toThrow(/charges/);
  });

  it('merges touching intervals', () => {
    expect(unionIntervals([{ startMs: 0, endMs: 10 }, { startMs: 10, endMs: 20 }, { startMs: 30, endMs: 30 }])).toEqual([{ startMs: 0, endMs: 20 }]);
  });
});
