/** UTC calendar months (AWS bills per calendar month) and the claim deadline. All math with luxon in UTC. */
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

export function monthWindow(month: string): MonthWindow {
  const match = MONTH_PATTERN.exec(month);
  const year = Number(match?.[1]);
  const mon = Number(match?.[2]);
  if (!match || mon < 1 || mon > 12 || year < 1970) {
    throw new InvalidMonthError(`month: expected YYYY-MM, like 2025-10 (got ${JSON.stringify(month)})`);
  }
  const start = DateTime.utc(year, mon, 1);
  const end = start.plus({ months: 1 });
  const days = start.daysInMonth ?? 0;
  return { month, startMs: start.toMillis(), endMs: end.toMillis(), minutes: days * 24 * 60, days };
}

/** The UTC month (YYYY-MM) containing the instant. */
export function monthOf(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat('yyyy-LL');
}

/** The month after `month`. */
export function nextMonth(month: string): string {
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
  const { startMs } = monthWindow(month);
  return DateTime.fromMillis(startMs, { zone: 'utc' }).plus({ months: 2 }).endOf('month').toISODate() ?? '';
}

/** Whole days from `today` (YYYY-MM-DD or epoch ms) to `deadline` (YYYY-MM-DD); negative once passed. */
export function daysUntil(deadline: string, nowMs: number): number {
  const end = DateTime.fromISO(deadline, { zone: 'utc' }).startOf('day');
  const today = DateTime.fromMillis(nowMs, { zone: 'utc' }).startOf('day');
  return Math.round(end.diff(today, 'days').days);
}
