/**
 * The credit engine as it was before the typed-array rewrite (object copies sorted with a comparator, luxon per
 * call, percentages parsed per comparison), kept only so that `bench/credit-engine.bench.ts` can measure the
 * speed-up in the same run and check that both give identical results. Not used by the application.
 */
import { DateTime } from 'luxon';
import { describeTier, type CreditInput, type CreditResult } from '../src/credit/engine.ts';
import type { Interval } from '../src/credit/intervals.ts';
import { divideRoundHalfUp } from '../src/credit/money.ts';
import type { PercentTier, SlaDefinition } from '../src/sla/types.ts';

const MINUTE_MS = 60_000;

function unionIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .filter((i) => i.endMs > i.startMs)
    .map((i) => ({ startMs: i.startMs, endMs: i.endMs }))
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.startMs <= last.endMs) {
      if (next.endMs > last.endMs) last.endMs = next.endMs;
    } else {
      merged.push(next);
    }
  }
  return merged;
}

function clipIntervals(intervals: readonly Interval[], fromMs: number, toMs: number): Interval[] {
  const out: Interval[] = [];
  for (const i of intervals) {
    const startMs = Math.max(i.startMs, fromMs);
    const endMs = Math.min(i.endMs, toMs);
    if (endMs > startMs) out.push({ startMs, endMs });
  }
  return out;
}

function alignIntervals(intervals: readonly Interval[], unitMs: number): Interval[] {
  return intervals.map((i) => ({ startMs: Math.floor(i.startMs / unitMs) * unitMs, endMs: Math.ceil(i.endMs / unitMs) * unitMs }));
}

function monthWindow(month: string) {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const start = DateTime.utc(year, mon, 1);
  const end = start.plus({ months: 1 });
  const days = start.daysInMonth ?? 0;
  return { month, startMs: start.toMillis(), endMs: end.toMillis(), minutes: days * 24 * 60, days };
}

function claimDeadline(month: string): string {
  return DateTime.fromMillis(monthWindow(month).startMs, { zone: 'utc' }).plus({ months: 2 }).endOf('month').toISODate() ?? '';
}

function compareUptime(upMs: bigint, totalMs: bigint, percent: string): -1 | 0 | 1 {
  const match = /^(\d{1,3})(?:\.(\d{1,6}))?$/.exec(percent)!;
  const fraction = match[2] ?? '';
  const units = BigInt(`${match[1]}${fraction}`);
  const left = upMs * 100n * 10n ** BigInt(fraction.length);
  const right = units * totalMs;
  return left < right ? -1 : left > right ? 1 : 0;
}

function uptimeForDisplay(upMs: bigint, totalMs: bigint, decimals = 4): number {
  const factor = 10n ** BigInt(decimals);
  return Number((upMs * 100n * factor * 2n + totalMs) / (totalMs * 2n)) / Number(factor);
}

function findTier(sla: SlaDefinition, upMs: bigint, total: bigint): PercentTier | null {
  if (compareUptime(upMs, total, sla.commitmentPercent) >= 0) return null;
  for (const tier of sla.tiers) {
    const belowUpper = compareUptime(upMs, total, tier.below) < 0;
    const aboveLower = tier.atLeast === null || compareUptime(upMs, total, tier.atLeast) >= 0;
    if (belowUpper && aboveLower) return tier;
  }
  return null;
}

/** Percent-tier SLAs only (what the benchmark runs); input validation as before, minus the error messages. */
export function previousComputeCredit(input: CreditInput): CreditResult {
  const { sla, month, nowMs } = input;
  const chargesCents = input.chargesCents ?? null;
  const window = monthWindow(month);
  let provisional = false;
  const intervals: Interval[] = [];
  for (const outage of input.outages) {
    if (!Number.isFinite(outage.startMs) || (outage.endMs !== null && !(outage.endMs >= outage.startMs))) throw new RangeError('outage');
    const endMs = outage.endMs ?? Math.max(nowMs, outage.startMs);
    if (outage.endMs === null && endMs > window.startMs && outage.startMs < window.endMs) provisional = true;
    intervals.push({ startMs: outage.startMs, endMs });
  }
  const measured = sla.measurement === 'error-rate-5min' ? intervals : alignIntervals(intervals, MINUTE_MS);
  const windows = clipIntervals(unionIntervals(measured), window.startMs, window.endMs);
  let downMs = 0;
  for (const w of windows) downMs += w.endMs - w.startMs;
  const monthMs = window.endMs - window.startMs;
  const upMs = BigInt(monthMs - downMs);
  const total = BigInt(monthMs);
  const tier = findTier(sla, upMs, total);
  const creditPercent = tier ? tier.creditPercent : 0;
  const creditCents = chargesCents === null ? null : Number(divideRoundHalfUp(BigInt(chargesCents) * BigInt(creditPercent), 100n));
  return {
    sla: sla.id,
    month,
    minutesInMonth: window.minutes,
    downtimeMinutes: Math.round((downMs / MINUTE_MS) * 1000) / 1000,
    downtimeMs: downMs,
    uptimePercent: uptimeForDisplay(upMs, total),
    commitmentPercent: sla.commitmentPercent,
    creditPercent,
    creditDays: null,
    tierText: tier ? describeTier(tier) : null,
    chargesCents,
    creditCents,
    claimable: creditCents !== null && creditCents > 100,
    provisional,
    deadline: claimDeadline(month),
    windows,
  };
}
