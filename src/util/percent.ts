/**
 * Exact comparison of an uptime ratio with a decimal percentage such as "99.99".
 * uptime = upMs / totalMs; "uptime < p %" ⇔ upMs · 100 · 10^k < a · totalMs where p = a / 10^k.
 * Integer (BigInt) arithmetic only, so floating-point drift can never move a tier boundary.
 */

const DECIMAL = /^(\d{1,3})(?:\.(\d{1,6}))?$/;

export interface DecimalPercent {
  /** Scaled integer: a in p = a / 10^scale. */
  units: bigint;
  scale: number;
}

/** A decimal string with up to 3 integer and 6 fraction digits, as an exact scaled integer (no range check). */
function parseDecimal(text: string): DecimalPercent {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`percentage: expected a decimal like 99.99 (got ${JSON.stringify(text)})`);
  const fraction = match[2] ?? '';
  return { units: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

interface ScaledPercent extends DecimalPercent {
  /** 10^scale */
  factor: bigint;
}

/** Parsed percentages by text: an SLA has a handful, and the engine compares them on every computation. */
const PARSED = new Map<string, ScaledPercent>();
const PARSED_MAX = 1024;

function scaledPercent(text: string): ScaledPercent {
  const known = PARSED.get(text);
  if (known) return known;
  const parsed = parseDecimal(text);
  const factor = 10n ** BigInt(parsed.scale);
  if (parsed.units > 100n * factor) {
    throw new RangeError(`percentage: must be at most 100 (got ${JSON.stringify(text)})`);
  }
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  const scaled = { ...parsed, factor };
  PARSED.set(text, scaled);
  return scaled;
}

/** A percentage between 0 and 100, as an exact scaled integer. */
export function parsePercent(text: string): DecimalPercent {
  const { units, scale } = scaledPercent(text);
  return { units, scale };
}

/** -1, 0 or 1 as decimal percentage `a` is below, equal to or above `b` ("99.0" equals "99"). */
export function compareDecimalPercent(a: string, b: string): -1 | 0 | 1 {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const left = x.units * 10n ** BigInt(y.scale);
  const right = y.units * 10n ** BigInt(x.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** -1, 0 or 1 as (upMs / totalMs · 100) is below, equal to or above `percent`. */
export function compareUptime(upMs: bigint, totalMs: bigint, percent: string): -1 | 0 | 1 {
  const { units, factor } = scaledPercent(percent);
  const left = upMs * 100n * factor;
  const right = units * totalMs;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Uptime percentage rounded half up to `decimals` places, for display only. */
export function uptimeForDisplay(upMs: bigint, totalMs: bigint, decimals = 4): number {
  const factor = 10n ** BigInt(decimals);
  const scaled = (upMs * 100n * factor * 2n + totalMs) / (totalMs * 2n);
  return Number(scaled) / Number(factor);
}
