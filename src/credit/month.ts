/**
 * UTC calendar months (AWS bills per calendar month) and the claim deadline. Month windows and deadlines are plain
 * `Date.UTC` arithmetic (exact, independent of the process time zone) memoised per month, because the credit engine
 * needs them on every computation; the rest uses luxon in UTC.
 */
import { DateTime } from 'luxon';

export class InvalidMonthError extends Error {
  override readonly name = 'InvalidMonthError';
}

export interface MonthWindow {
  /** YYYY-MM */
  month: string;
  /** Inclusive start, epoch ms. */
  startMs: number;
  /** Exclusive end, epoch ms. */
  endMs: number;
  minutes: number;
  days: number;
}

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
const DAY_MS = 86_400_000;

interface MonthData {
  window: Readonly<MonthWindow>;
  deadline: string;
}

/** Memo per valid YYYY-MM; bounded so that a stream of distinct months cannot grow it without limit. */
const MONTHS = new Map<string, MonthData>();
const MONTHS_MAX = 2048;

function monthData(month: string): MonthData {
  const known = MONTHS.get(month);
  if (known) return known;
  const match = MONTH_PATTERN.exec(month);
  const year = Number(match?.[1]);
  const mon = Number(match?.[2]);
  if (!match || mon < 1 || mon > 12 || year < 1970) {
    throw new InvalidMonthError(`month: expected YYYY-MM, like 2025-10 (got ${JSON.stringify(month)})`);
  }
  // Date.UTC takes 0-based months and rolls over: (year, mon) is the 1st of the next month, and day 0 of the
  // third month after `month` is the last day of the second month after it.
  const startMs = Date.UTC(year, mon - 1, 1);
  const endMs = Date.UTC(year, mon, 1);
  const days = (endMs - startMs) / DAY_MS;
  const deadline = isoDate(Date.UTC(year, mon + 2, 0));
  const data: MonthData = { window: Object.freeze({ month, startMs, endMs, minutes: days * 24 * 60, days }), deadline };
  if (MONTHS.size >= MONTHS_MAX) MONTHS.clear();
  MONTHS.set(month, data);
  return data;
}

/** YYYY-MM-DD of a UTC instant, years 0–9999 as four digits; luxon's format (+YYYYYY) beyond. */
function isoDate(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year > 9999) return DateTime.fromMillis(ms, { zone: 'utc' }).toISODate() ?? '';
  return `${String(year).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** The month's window (shared and frozen: memoised per month). */
export function monthWindow(month: string): Readonly<MonthWindow> {
  return monthData(month).window;
}

/** The UTC month (YYYY-MM) containing the instant. */
export function monthOf(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat('yyyy-LL');
}

/** The month after `month`. */
function nextMonth(month: string): string {
  return DateTime.fromMillis(monthWindow(month).endMs, { zone: 'utc' }).toFormat('yyyy-LL');
}

/** Every month overlapped by [startMs, endMs). */
export function monthsBetween(startMs: number, endMs: number): string[] {
  if (endMs <= startMs) return [];
  const months: string[] = [];
  let month = monthOf(startMs);
  while (monthWindow(month).startMs < endMs) {
    months.push(month);
    month = nextMonth(month);
  }
  return months;
}

/**
 * Filing deadline: AWS must receive the claim "by the end of the second billing cycle after which the incident
 * occurred". An October incident must be claimed by 31 December. Returns YYYY-MM-DD.
 */
export function claimDeadline(month: string): string {
  return monthData(month).deadline;
}

/** Whole days from `today` (YYYY-MM-DD or epoch ms) to `deadline` (YYYY-MM-DD); negative once passed. */
export function daysUntil(deadline: string, nowMs: number): number {
  const end = DateTime.fromISO(deadline, { zone: 'utc' }).startOf('day');
  const today = DateTime.fromMillis(nowMs, { zone: 'utc' }).startOf('day');
  return Math.round(end.diff(today, 'days').days);
}
