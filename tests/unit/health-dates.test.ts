import { describe, expect, it } from 'vitest';
import { parseHealthTimeDetailed, weekdayNote } from '../../src/health/dates.ts';
import { HealthEventParseError } from '../../src/health/types.ts';

const F = 'detail.startTime';

/** The instant alone (parseHealthTime, a test-only wrapper, was removed from src/health/dates.ts). */
const parseHealthTime = (value: unknown, field: string): string => parseHealthTimeDetailed(value, field).iso;

/** Asserts a HealthEventParseError naming `field`, with the message mentioning `fragment`. */
function expectParseError(value: unknown, fragment: RegExp, field = F): void {
  expect(() => parseHealthTime(value, field)).toThrow(HealthEventParseError);
  expect(() => parseHealthTime(value, field)).toThrow(new RegExp(`^${field.replace(/\./g, '\\.')}: `));
  expect(() => parseHealthTime(value, field)).toThrow(fragment);
  try {
    parseHealthTime(value, field);
  } catch (e) {
    expect(e).toBeInstanceOf(HealthEventParseError);
    expect((e as HealthEventParseError).field).toBe(field);
    expect((e as HealthEventParseError).value).toBe(value);
  }
}

describe('parseHealthTime: accepted forms', () => {
  it.each([
    // RFC 1123 as AWS sends it
    ['Fri, 27 Jan 2023 06:02:51 GMT', '2023-01-27T06:02:51.000Z'],
    // one-digit day
    ['Fri, 3 Jun 2022 05:01:10 GMT', '2022-06-03T05:01:10.000Z'],
    ['Tue, 7 Feb 2017 00:55:52 GMT', '2017-02-07T00:55:52.000Z'],
    // wrong weekday (5 Jun 2016 was a Sunday; 27 Jan 2026 is a Tuesday): the date wins
    ['Sat, 05 Jun 2016 15:10:09 GMT', '2016-06-05T15:10:09.000Z'],
    ['Thu, 27 Jan 2026 13:44:13 GMT', '2026-01-27T13:44:13.000Z'],
    // zone spellings
    ['Fri, 27 Jan 2023 06:02:51 UTC', '2023-01-27T06:02:51.000Z'],
    ['Fri, 27 Jan 2023 06:02:51 UT', '2023-01-27T06:02:51.000Z'],
    ['Fri, 27 Jan 2023 06:02:51 Z', '2023-01-27T06:02:51.000Z'],
    ['Fri, 27 Jan 2023 06:02:51 +0000', '2023-01-27T06:02:51.000Z'],
    ['Fri, 27 Jan 2023 08:02:51 +0200', '2023-01-27T06:02:51.000Z'],
    ['Thu, 26 Jan 2023 22:02:51 PST', '2023-01-27T06:02:51.000Z'],
    ['Fri, 27 Jan 2023 11:32:51 +05:30', '2023-01-27T06:02:51.000Z'],
    // no weekday, no seconds, lower-case month, surrounding whitespace
    ['27 Jan 2023 06:02:51 GMT', '2023-01-27T06:02:51.000Z'],
    ['Fri, 27 Jan 2023 06:02 GMT', '2023-01-27T06:02:00.000Z'],
    ['  fri, 27 jan 2023 06:02:51 gmt  ', '2023-01-27T06:02:51.000Z'],
    // ISO-8601 with explicit zone
    ['2025-10-20T06:48:00Z', '2025-10-20T06:48:00.000Z'],
    ['2023-01-27T09:01:22Z', '2023-01-27T09:01:22.000Z'],
    ['2022-07-02 12:33:26.951000+00:00', '2022-07-02T12:33:26.951Z'],
    ['2022-06-25 10:00:48.868000+00:00', '2022-06-25T10:00:48.868Z'],
    ['2025-10-20T02:48:00-04:00', '2025-10-20T06:48:00.000Z'],
    ['2025-10-20T12:18:00+0530', '2025-10-20T06:48:00.000Z'],
    ['2025-10-20T06:48:00.123456789Z', '2025-10-20T06:48:00.123Z'],
    ['2025-10-20 06:48:00 UTC', '2025-10-20T06:48:00.000Z'],
    // epoch seconds as a string
    ['1587462325.096', '2020-04-21T09:45:25.096Z'],
  ])('%j → %s', (input, expected) => {
    expect(parseHealthTime(input, F)).toBe(expected);
  });

  it('accepts epoch seconds with fractions (Health API JSON)', () => {
    expect(parseHealthTime(1587462325.096, 'event.startTime')).toBe('2020-04-21T09:45:25.096Z');
    expect(parseHealthTime(1587464204.774, 'event.endTime')).toBe('2020-04-21T10:16:44.774Z');
    expect(parseHealthTime(1587464204.865, 'event.lastUpdatedTime')).toBe('2020-04-21T10:16:44.865Z');
    expect(parseHealthTime(1760942880, F)).toBe('2025-10-20T06:48:00.000Z');
  });

  it('accepts Date objects (SDK v3)', () => {
    expect(parseHealthTime(new Date(Date.UTC(2025, 9, 20, 6, 48, 0, 5)), F)).toBe('2025-10-20T06:48:00.005Z');
  });

  it('output is UTC ISO with milliseconds', () => {
    expect(parseHealthTime('Fri, 3 Jun 2022 05:01:10 GMT', F)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('parseHealthTime: weekday reporting', () => {
  it('reports a wrong weekday without failing', () => {
    const p = parseHealthTimeDetailed('Sat, 05 Jun 2016 15:10:09 GMT', F);
    expect(p).toEqual({
      iso: '2016-06-05T15:10:09.000Z',
      weekdayMismatch: true,
      givenWeekday: 'Sat',
      actualWeekday: 'Sun',
    });
    expect(weekdayNote(F, p)).toContain('detail.startTime');
    expect(weekdayNote(F, p)).toContain('Sun');
  });

  it('does not report a correct weekday', () => {
    expect(parseHealthTimeDetailed('Fri, 3 Jun 2022 05:01:10 GMT', F).weekdayMismatch).toBe(false);
    expect(parseHealthTimeDetailed('2022-06-03T05:01:10Z', F).weekdayMismatch).toBe(false);
  });

  it('reports the weekday of each sample (weekdayDisagrees, test-only, was removed)', () => {
    expect(parseHealthTimeDetailed('Sat, 05 Jun 2016 15:10:09 GMT', F).weekdayMismatch).toBe(true);
    expect(parseHealthTimeDetailed('Thu, 27 Jan 2026 13:44:13 GMT', F).weekdayMismatch).toBe(true);
    expect(parseHealthTimeDetailed('Fri, 27 Jan 2023 06:02:51 GMT', F).weekdayMismatch).toBe(false);
  });
});

describe('parseHealthTime: rejected input', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['garbage', /unrecognised/],
    ['not a date at all, really', /unrecognised/],
    ['Unknown', /unrecognised/],
    ['NaN', /unrecognised/],
    // malformed fixture seen in a public repo: spaces inside the time → rejected, not guessed
    ['Thu 15 Dec 2022 23: 25: 00 GMT', /unrecognised/],
    // no time zone: never read as local time
    ['Wed, 16 Aug 2023 23:18:52', /no time zone/],
    ['16 Aug 2023 23:18:52', /no time zone/],
    ['2023-08-16T23:18:52', /no time zone/],
    ['2023-08-16 23:18:52.123', /no time zone/],
    ['2023-08-16', /no time zone/],
    // unknown zone / weekday / month
    ['Fri, 27 Jan 2023 06:02:51 XYZ', /time zone/],
    ['Fri, 27 Jan 2023 06:02:51 +2500', /time zone/],
    ['Xyz, 27 Jan 2023 06:02:51 GMT', /weekday/],
    ['Fri, 27 Foo 2023 06:02:51 GMT', /month/],
    // out of range calendar values
    ['Tue, 31 Feb 2023 06:02:51 GMT', /invalid date/],
    ['Fri, 27 Jan 2023 25:02:51 GMT', /invalid date/],
    ['Fri, 27 Jan 2023 06:60:51 GMT', /invalid date/],
    ['2023-13-01T00:00:00Z', /invalid date/],
    // out of the accepted era
    ['Fri, 27 Jan 1899 06:02:51 GMT', /out of range/],
    ['Fri, 27 Jan 2199 06:02:51 GMT', /out of range/],
    ['9999-12-31T23:59:59Z', /out of range/],
    ['x'.repeat(200), /too long/],
  ])('%j', (input, fragment) => {
    expectParseError(input, fragment);
  });

  it.each([
    [Number.NaN, /finite/],
    [Number.POSITIVE_INFINITY, /finite/],
    [1587462325096, /out of range/], // milliseconds passed as seconds
    [-1, /out of range/],
    [undefined, /missing/],
    [null, /missing/],
    [true, /boolean/],
    [{}, /object/],
    [['Fri, 27 Jan 2023 06:02:51 GMT'], /object/],
  ])('non-string %j', (input, fragment) => {
    expectParseError(input, fragment);
  });

  it('rejects an invalid Date', () => {
    expectParseError(new Date('nope'), /invalid Date/);
  });

  it('names the field it was given', () => {
    expect(() => parseHealthTime('', 'detail.affectedEntities[3].lastUpdatedTime')).toThrow(
      /^detail\.affectedEntities\[3\]\.lastUpdatedTime: empty/,
    );
  });
});

describe('parseHealthTime: independent of the process time zone', () => {
  // The suite is also run under TZ=America/New_York and TZ=Asia/Kolkata; these values must not move.
  const cases: [unknown, string][] = [
    ['Fri, 27 Jan 2023 06:02:51 GMT', '2023-01-27T06:02:51.000Z'],
    ['Sun, 12 Mar 2023 07:30:00 GMT', '2023-03-12T07:30:00.000Z'], // New York DST switch hour
    ['2022-07-02 12:33:26.951000+00:00', '2022-07-02T12:33:26.951Z'],
    [1587462325.096, '2020-04-21T09:45:25.096Z'],
    [new Date(Date.UTC(2023, 2, 12, 7, 30)), '2023-03-12T07:30:00.000Z'],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(parseHealthTime(input, F)).toBe(expected);
  });
});
