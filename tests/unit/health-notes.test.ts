/**
 * Parse notes stay bounded however many entities needed a repair (issue 11: 3 300 wrong-weekday or 5 600 empty
 * entity times gave one note each, so the stored update item passed DynamoDB's 400 KB), and raw values quoted in
 * errors and notes are bounded and safe against deep nesting.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEventBridgeHealthEvent, parseHealthApiEvent } from '../../src/health/parse.ts';
import { HealthEventParseError } from '../../src/health/types.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function afSouth(patch: Json, envelope: Json = {}): Json {
  const raw = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../events/public-ec2-operational-issue-af-south-1.json', import.meta.url)), 'utf8'),
  ) as Json;
  raw.detail = { ...raw.detail, ...patch };
  return { ...raw, ...envelope };
}

const entities = (n: number, lastUpdatedTime: string) =>
  Array.from({ length: n }, (_, i) => ({ entityValue: `i-${i.toString(16).padStart(17, '0')}`, lastUpdatedTime }));

/** Notes about entity times (the sample itself also has an "open but endTime given" note). */
const entityNotes = (notes: string[]) => notes.filter((n) => n.includes('affectedEntities['));
const bytes = (notes: string[]) => Buffer.byteLength(JSON.stringify(notes), 'utf8');

// 27 Jan 2023 was a Friday.
const WRONG_WEEKDAY = 'Sat, 27 Jan 2023 09:01:22 GMT';

describe('parse notes are aggregated per kind', () => {
  it('3 300 entities with a wrong weekday give one note with the count and a few examples', () => {
    const e = parseEventBridgeHealthEvent(afSouth({ affectedEntities: entities(3300, WRONG_WEEKDAY) }));
    expect(e.affectedEntities).toHaveLength(3300);
    expect(e.affectedEntities[3299]?.lastUpdatedTime).toBe('2023-01-27T09:01:22.000Z');
    expect(entityNotes(e.parseNotes)).toEqual([
      'weekday in detail.affectedEntities[].lastUpdatedTime disagreed with the date; the date was used: 3300 times ' +
        '(e.g. detail.affectedEntities[0].lastUpdatedTime written Sat, actually Fri; ' +
        'detail.affectedEntities[1].lastUpdatedTime written Sat, actually Fri; ' +
        'detail.affectedEntities[2].lastUpdatedTime written Sat, actually Fri; …)',
    ]);
    expect(e.parseNotes.length).toBeLessThanOrEqual(3);
    expect(bytes(e.parseNotes)).toBeLessThan(2048);
  });

  it('5 600 entities with "" as lastUpdatedTime give one note', () => {
    const e = parseEventBridgeHealthEvent(afSouth({ affectedEntities: entities(5600, '') }));
    expect(e.affectedEntities).toHaveLength(5600);
    expect(e.affectedEntities[0]?.lastUpdatedTime).toBeUndefined();
    expect(entityNotes(e.parseNotes)).toEqual([
      'detail.affectedEntities[].lastUpdatedTime was an empty string; treated as missing: 5600 times ' +
        '(e.g. detail.affectedEntities[0].lastUpdatedTime; detail.affectedEntities[1].lastUpdatedTime; ' +
        'detail.affectedEntities[2].lastUpdatedTime; …)',
    ]);
    expect(bytes(e.parseNotes)).toBeLessThan(2048);
  });

  it('the Health API shape aggregates the same way', () => {
    const e = parseHealthApiEvent({
      event: {
        arn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_1',
        service: 'EC2',
        eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
        eventTypeCategory: 'issue',
        eventScopeCode: 'ACCOUNT_SPECIFIC',
        region: 'us-east-1',
        statusCode: 'closed',
        startTime: new Date('2023-01-27T06:00:00Z'),
        endTime: new Date('2023-01-27T09:00:00Z'),
        lastUpdatedTime: new Date('2023-01-27T09:05:00Z'),
      },
      description: 'EC2 errors.',
      entities: [...entities(3300, WRONG_WEEKDAY), ...entities(5600, '').map((x, i) => ({ ...x, entityValue: `e-${i}` }))],
      account: '123456789012',
    });
    expect(e.parseNotes).toHaveLength(2);
    expect(e.parseNotes[0]).toMatch(/^weekday in entities\[\]\.lastUpdatedTime disagreed with the date; the date was used: 3300 times/);
    expect(e.parseNotes[1]).toMatch(/^entities\[\]\.lastUpdatedTime was an empty string; treated as missing: 5600 times/);
    expect(bytes(e.parseNotes)).toBeLessThan(2048);
  });

  it('notes grow with the number of kinds, not with the number of entities', () => {
    const few = parseEventBridgeHealthEvent(afSouth({ affectedEntities: entities(4, WRONG_WEEKDAY) }));
    const many = parseEventBridgeHealthEvent(afSouth({ affectedEntities: entities(20_000, WRONG_WEEKDAY) }));
    expect(many.parseNotes).toHaveLength(few.parseNotes.length);
    expect(bytes(many.parseNotes) - bytes(few.parseNotes)).toBeLessThanOrEqual(4); // "4 times" → "20000 times"
  });

  it('a kind seen once keeps its single-field wording', () => {
    const e = parseEventBridgeHealthEvent(afSouth({ affectedEntities: entities(1, '') }));
    expect(entityNotes(e.parseNotes)).toEqual(['detail.affectedEntities[0].lastUpdatedTime was an empty string; treated as missing']);
  });
});

describe('raw values in errors and notes are bounded', () => {
  function deep(depth: number): unknown {
    let v: unknown = [];
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  }

  it('an error about a 5 000-deep array is raised (not a RangeError) and its message is short', () => {
    let error: unknown;
    try {
      parseEventBridgeHealthEvent(afSouth({ startTime: deep(5000) }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HealthEventParseError);
    expect((error as Error).message).toMatch(/^detail\.startTime: expected a date\/time string, got object \(got \[\[\[/);
    expect((error as Error).message.length).toBeLessThan(250);
  });

  it('a huge or deep backupEvent value gives a short note', () => {
    const huge = parseEventBridgeHealthEvent(afSouth({ backupEvent: 'x'.repeat(1_000_000) }));
    const deepNote = parseEventBridgeHealthEvent(afSouth({ backupEvent: deep(5000) }));
    for (const e of [huge, deepNote]) {
      const note = e.parseNotes.find((n) => n.startsWith('detail.backupEvent had an unexpected value'));
      expect(note).toBeDefined();
      expect(note!.length).toBeLessThanOrEqual(300);
    }
    expect(huge.parseNotes.find((n) => n.startsWith('detail.backupEvent'))).toMatch(/^detail\.backupEvent had an unexpected value "xxx+…; treated as false$/);
  });

  it('an unparseable 100 KB envelope time gives a short note', () => {
    const e = parseEventBridgeHealthEvent(afSouth({}, { time: `2023-01-27T${'9'.repeat(100_000)}` }));
    const note = e.parseNotes.find((n) => n.startsWith('envelope time'));
    expect(note).toMatch(/^envelope time "2023-01-27T9+….*unparseable; ignored$/);
    expect(note!.length).toBeLessThanOrEqual(300);
  });
});
