/**
 * Time parsing for AWS Health payloads.
 *
 * Inputs seen in the wild (AWS's own samples, several kept under events/):
 * - EventBridge `detail.*Time`: RFC-1123/2822-style strings, e.g. `"Fri, 27 Jan 2023 06:02:51 GMT"`, with a
 *   one-digit day (`"Fri, 3 Jun 2022 05:01:10 GMT"`) and, in AWS's own samples, a WRONG weekday
 *   (`"Sat, 05 Jun 2016"` was a Sunday). The weekday is informational only: we ignore it for the instant
 *   and report the disagreement so the caller can add a parse note.
 * - ISO-8601 with an explicit zone: envelope `time` (`2025-10-20T06:48:00Z`) and AHA's re-published
 *   `"2022-07-02 12:33:26.951000+00:00"`.
 * - Health API JSON: epoch SECONDS with fractions (`1587462325.096`); SDK v3: `Date` objects.
 *
 * Rules:
 * - A string without an explicit zone is rejected: it is never interpreted in the process time zone.
 *   The result never depends on `process.env.TZ`.
 * - Empty strings, garbage, impossible calendar values (31 Feb, 25:00), NaN/Infinity, invalid `Date`s and
 *   instants outside [{@link MIN_HEALTH_TIME}, {@link MAX_HEALTH_TIME}) are rejected with a
 *   {@link HealthEventParseError} naming the field and the value.
 * - Malformed times such as `"Thu 15 Dec 2022 23: 25: 00 GMT"` (spaces inside the time) are rejected,
 *   not repaired: V8's `Date.parse` guesses, we quarantine for review instead.
 */
import { DateTime, FixedOffsetZone } from 'luxon';
import { HealthEventParseError } from './types.ts';

/** Earliest accepted instant (AWS Health launched in 2016; margin for old samples). */
const MIN_HEALTH_TIME = '2000-01-01T00:00:00.000Z';
/** Latest accepted instant (exclusive). Scheduled changes can be months ahead, not decades. */
const MAX_HEALTH_TIME = '2100-01-01T00:00:00.000Z';

const MIN_MS = Date.parse(MIN_HEALTH_TIME);
const MAX_MS = Date.parse(MAX_HEALTH_TIME);

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
/** Luxon weekday numbering: 1 = Monday … 7 = Sunday. */
const WEEKDAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** RFC 2822 named zones (offset in minutes). Military single letters other than Z are not accepted. */
const NAMED_ZONES: Record<string, number> = {
  GMT: 0, UTC: 0, UT: 0, Z: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

/**
 * `[Ddd[,] ]D[D] Mon YYYY HH:MM[:SS] ZONE` — the weekday is optional, the comma after it is optional,
 * the day has one or two digits, the zone is a name from {@link NAMED_ZONES} or `±hhmm`/`±hh:mm`.
 */
const RFC_RE =
  /^(?:([A-Za-z]{3})[a-z]*,?\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([A-Za-z]{1,3}|[+-]\d{2}:?\d{2})$/;

/** ISO-8601 date-time with a mandatory zone; `T` or a single space between date and time. */
const ISO_RE =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*(Z|z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)$/;

/** Epoch seconds written as a string (e.g. from a JSON dump of the Health API). */
const EPOCH_STRING_RE = /^\d{9,10}(?:\.\d{1,9})?$/;

export interface ParsedHealthTime {
  /** UTC ISO-8601 with milliseconds, e.g. `2022-06-03T05:01:10.000Z`. */
  iso: string;
  /** True when the input named a weekday that disagrees with its date (the date wins). */
  weekdayMismatch: boolean;
  /** The weekday as written, when one was written. */
  givenWeekday?: string;
  /** The real weekday of the date (`Mon`…`Sun`), when a weekday was written. */
  actualWeekday?: string;
}

function fail(field: string, value: unknown, message: string): never {
  throw new HealthEventParseError(field, value, message);
}

function finish(dt: DateTime, field: string, value: unknown): string {
  if (!dt.isValid) fail(field, value, `invalid date/time (${dt.invalidReason ?? 'unknown reason'})`);
  const ms = dt.toMillis();
  if (!Number.isFinite(ms) || ms < MIN_MS || ms >= MAX_MS) {
    fail(field, value, `date/time out of range [${MIN_HEALTH_TIME}, ${MAX_HEALTH_TIME})`);
  }
  const iso = dt.toUTC().toISO();
  if (iso === null) fail(field, value, 'date/time cannot be formatted');
  return iso;
}

function zoneOffsetMinutes(zone: string): number | undefined {
  const named = NAMED_ZONES[zone.toUpperCase()];
  if (named !== undefined) return named;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function parseRfc(text: string, field: string, value: unknown): ParsedHealthTime | undefined {
  const m = RFC_RE.exec(text);
  if (!m) return undefined;
  const [, weekdayRaw, dayS, monS, yearS, hourS, minS, secS, zoneS] = m;
  const month = MONTHS[(monS ?? '').toLowerCase()];
  if (month === undefined) fail(field, value, `unknown month "${monS}"`);
  const offset = zoneOffsetMinutes(zoneS ?? '');
  if (offset === undefined) fail(field, value, `unknown or missing time zone "${zoneS}"`);
  let givenWeekday: number | undefined;
  if (weekdayRaw !== undefined) {
    givenWeekday = WEEKDAYS[weekdayRaw.toLowerCase()];
    if (givenWeekday === undefined) fail(field, value, `unknown weekday "${weekdayRaw}"`);
  }
  // Build from parts in a fixed-offset zone: the weekday is deliberately NOT passed to luxon,
  // which would otherwise reject the date with "mismatched weekday".
  const dt = DateTime.fromObject(
    {
      year: Number(yearS),
      month,
      day: Number(dayS),
      hour: Number(hourS),
      minute: Number(minS),
      second: secS === undefined ? 0 : Number(secS),
    },
    { zone: FixedOffsetZone.instance(offset) },
  );
  const iso = finish(dt, field, value);
  if (givenWeekday === undefined) return { iso, weekdayMismatch: false };
  return {
    iso,
    weekdayMismatch: dt.weekday !== givenWeekday,
    givenWeekday: weekdayRaw,
    actualWeekday: WEEKDAY_NAMES[dt.weekday],
  };
}

function parseIso(text: string, field: string, value: unknown): ParsedHealthTime | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const [, date, time, zoneRaw] = m;
  let zone = zoneRaw ?? '';
  if (/^(z|UTC|GMT)$/i.test(zone)) zone = 'Z';
  else if (/^[+-]\d{2}$/.test(zone)) zone = `${zone}:00`;
  const dt = DateTime.fromISO(`${date}T${time}${zone}`, { setZone: true });
  return { iso: finish(dt, field, value), weekdayMismatch: false };
}

function parseEpochSeconds(seconds: number, field: string, value: unknown): ParsedHealthTime {
  if (!Number.isFinite(seconds)) fail(field, value, 'not a finite number of epoch seconds');
  // Round to whole milliseconds: 1587462325.096 * 1000 is 1587462325095.9998 in binary floating point.
  const dt = DateTime.fromMillis(Math.round(seconds * 1000), { zone: 'utc' });
  return { iso: finish(dt, field, value), weekdayMismatch: false };
}

/**
 * Parses a Health time and reports whether a written weekday disagreed with the date.
 * Throws {@link HealthEventParseError} (with `field`) when the value cannot be parsed safely.
 */
export function parseHealthTimeDetailed(value: unknown, field: string): ParsedHealthTime {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) fail(field, value, 'invalid Date object');
    return { iso: finish(DateTime.fromMillis(ms, { zone: 'utc' }), field, value), weekdayMismatch: false };
  }
  if (typeof value === 'number') return parseEpochSeconds(value, field, value);
  if (typeof value !== 'string') {
    fail(field, value, value === undefined || value === null ? 'missing date/time' : `expected a date/time string, got ${typeof value}`);
  }
  const text = value.trim();
  if (text === '') fail(field, value, 'empty date/time string');
  if (text.length > 64) fail(field, value, 'date/time string too long');
  if (EPOCH_STRING_RE.test(text)) return parseEpochSeconds(Number(text), field, value);
  const parsed = parseRfc(text, field, value) ?? parseIso(text, field, value);
  if (parsed) return parsed;
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$/.test(text)) {
    fail(field, value, 'date/time has no time zone (refusing to interpret it as local time)');
  }
  if (/^(?:[A-Za-z]{3}[a-z]*,?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?$/.test(text)) {
    fail(field, value, 'date/time has no time zone (refusing to interpret it as local time)');
  }
  fail(field, value, 'unrecognised date/time format (expected RFC 1123/2822 with zone, ISO-8601 with zone, or epoch seconds)');
}

/** The parse note text used when a weekday disagreed. */
export function weekdayNote(field: string, parsed: ParsedHealthTime): string {
  return `weekday in ${field} disagreed with the date (written ${parsed.givenWeekday ?? '?'}, actually ${parsed.actualWeekday ?? '?'}); the date was used`;
}
