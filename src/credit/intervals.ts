/** Outage intervals as half-open [startMs, endMs) in epoch milliseconds. */

export interface Interval {
  startMs: number;
  endMs: number;
}

/** A union of intervals and its total length. */
export interface IntervalUnion {
  /** Sorted, non-overlapping, touching intervals merged. */
  intervals: Interval[];
  totalMs: number;
}

/**
 * Collects intervals into typed arrays (starts, ends) and unions them with two numeric sorts and one sweep.
 * Sorting starts and ends separately is enough: the union is where the count of starts ≤ t exceeds the count of
 * ends ≤ t, so no interval objects are copied or compared (that sort was most of the engine's time).
 * While every bound is a whole millisecond within 2^32 ms (~49 days) after `originMs`, which holds for any set
 * clipped to a month starting at the origin, bounds are kept as Uint32 offsets (V8 sorts those several times
 * faster than Float64, and exactly); the first bound that is not moves the set to Float64 values.
 * The buffers are reused; `reset()` starts a new set.
 */
export class IntervalSweep {
  private startOffsets = new Uint32Array(1024);
  private endOffsets = new Uint32Array(1024);
  private starts = new Float64Array(1024);
  private ends = new Float64Array(1024);
  private length = 0;
  private originMs = 0;
  private offsets = true;

  /** Starts a new set; `originMs` (a whole millisecond) is where bounds are expected to start. */
  reset(originMs = 0): void {
    this.length = 0;
    this.originMs = originMs;
    this.offsets = Number.isSafeInteger(originMs);
  }

  /** Adds [startMs, endMs); empty (and NaN) intervals are ignored. */
  add(startMs: number, endMs: number): void {
    if (!(endMs > startMs)) return;
    if (this.length === this.starts.length) this.grow();
    if (this.offsets) {
      const s = startMs - this.originMs;
      const e = endMs - this.originMs;
      // Whole, in [0, 2^32), and exact (origin + offset gives the bound back).
      if (s >>> 0 === s && e >>> 0 === e && this.originMs + s === startMs && this.originMs + e === endMs) {
        this.startOffsets[this.length] = s;
        this.endOffsets[this.length] = e;
        this.length++;
        return;
      }
      this.toValues();
    }
    this.starts[this.length] = startMs;
    this.ends[this.length] = endMs;
    this.length++;
  }

  union(): IntervalUnion {
    const n = this.length;
    if (n === 0) return { intervals: [], totalMs: 0 };
    if (this.offsets) return sweep(this.startOffsets.subarray(0, n).sort(), this.endOffsets.subarray(0, n).sort(), this.originMs);
    return sweep(this.starts.subarray(0, n).sort(), this.ends.subarray(0, n).sort(), 0);
  }

  private toValues(): void {
    for (let i = 0; i < this.length; i++) {
      this.starts[i] = this.originMs + this.startOffsets[i]!;
      this.ends[i] = this.originMs + this.endOffsets[i]!;
    }
    this.offsets = false;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const grown = <T extends Uint32Array | Float64Array>(from: T, to: T): T => (to.set(from), to);
    this.startOffsets = grown(this.startOffsets, new Uint32Array(size));
    this.endOffsets = grown(this.endOffsets, new Uint32Array(size));
    this.starts = grown(this.starts, new Float64Array(size));
    this.ends = grown(this.ends, new Float64Array(size));
  }
}

/** One pass over sorted starts and ends (both non-empty, same length), adding `origin` back to each bound. */
function sweep(starts: Float64Array | Uint32Array, ends: Float64Array | Uint32Array, origin: number): IntervalUnion {
  const n = starts.length;
  const intervals: Interval[] = [];
  let totalMs = 0;
  let active = 0;
  let from = 0;
  let j = 0;
  for (let i = 0; i < n; ) {
    // On a tie the start goes first, so touching intervals merge.
    if (starts[i]! <= ends[j]!) {
      if (active === 0) from = starts[i]! + origin;
      active++;
      i++;
    } else {
      active--;
      if (active === 0) {
        const to = ends[j]! + origin;
        intervals.push({ startMs: from, endMs: to });
        totalMs += to - from;
      }
      j++;
    }
  }
  // Every start is consumed with at least one interval open; the largest end closes the last window.
  const to = ends[n - 1]! + origin;
  intervals.push({ startMs: from, endMs: to });
  totalMs += to - from;
  return { intervals, totalMs };
}

/** Union of intervals: sorted, non-overlapping, touching intervals merged. Overlaps and duplicates count once. */
export function unionIntervals(intervals: readonly Interval[]): Interval[] {
  let origin = Infinity;
  for (const i of intervals) if (i.endMs > i.startMs && i.startMs < origin) origin = i.startMs;
  const set = new IntervalSweep();
  set.reset(origin);
  for (const i of intervals) set.add(i.startMs, i.endMs);
  return set.union().intervals;
}
