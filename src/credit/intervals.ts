/** Outage intervals as half-open [startMs, endMs) in epoch milliseconds. Pure functions. */

export interface Interval {
  startMs: number;
  endMs: number;
}

/** Union of intervals: sorted, non-overlapping, touching intervals merged. Overlaps and duplicates count once. */
export function unionIntervals(intervals: readonly Interval[]): Interval[] {
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

/** Intersects (already unioned or not) intervals with [fromMs, toMs). */
export function clipIntervals(intervals: readonly Interval[], fromMs: number, toMs: number): Interval[] {
  const out: Interval[] = [];
  for (const i of intervals) {
    const startMs = Math.max(i.startMs, fromMs);
    const endMs = Math.min(i.endMs, toMs);
    if (endMs > startMs) out.push({ startMs, endMs });
  }
  return out;
}

/** Widens each interval to whole units (floor start, ceil end), for SLAs that count whole minutes. */
export function alignIntervals(intervals: readonly Interval[], unitMs: number): Interval[] {
  return intervals.map((i) => ({
    startMs: Math.floor(i.startMs / unitMs) * unitMs,
    endMs: Math.ceil(i.endMs / unitMs) * unitMs,
  }));
}

export function totalMs(intervals: readonly Interval[]): number {
  let sum = 0;
  for (const i of intervals) sum += i.endMs - i.startMs;
  return sum;
}
