import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION_CHARS, parseHealthArn } from '../../src/health/fields.ts';
import { parseEventBridgeHealthEvent, parseHealthApiEvent } from '../../src/health/parse.ts';
import { servicesFromDescription, servicesFromEntities } from '../../src/health/services.ts';
import { HealthEventParseError, type HealthEvent } from '../../src/health/types.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The event's identity in the incident store (one incident per account + eventArn). */
const dedupeKey = (e: Pick<HealthEvent, 'account' | 'eventArn'>) => `${e.account}#${e.eventArn}`;
/** One update of an event (the incident store orders and de-duplicates updates by lastUpdatedTime). */
const pageGroupKey = (e: Pick<HealthEvent, 'account' | 'eventArn' | 'lastUpdatedTime'>) => `${e.account}#${e.eventArn}#${e.lastUpdatedTime}`;

function load(name: string): Json {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../events/${name}`, import.meta.url)), 'utf8')) as Json;
}

const BACKUP = 'account-specific-instance-issue-backup-delivery.json';
const RETIREMENT = 'account-specific-scheduled-retirement.json';
const API_CLOSED = 'health-api-describe-event-details-closed.json';
const LEGACY = 'legacy-shape-with-entity-tags.json';
const AF_SOUTH = 'public-ec2-operational-issue-af-south-1.json';
const MULTI = 'health-synthetic-multiple-services-us-east-1.json';
const CLOSED_NO_END = 'health-synthetic-closed-without-endtime.json';

/** A fresh copy of the af-south-1 sample with `patch` applied to `detail`. */
function withDetail(patch: Json, base = AF_SOUTH): Json {
  const raw = load(base);
  raw.detail = { ...raw.detail, ...patch };
  return raw;
}

function without(obj: Json, ...keys: string[]): Json {
  const copy = { ...obj };
  for (const k of keys) delete copy[k];
  return copy;
}

function detailWithout(base: string, ...keys: string[]): Json {
  const raw = load(base);
  raw.detail = without(raw.detail, ...keys);
  return raw;
}

/** Runs `fn`, which must throw a HealthEventParseError on `field`; returns the error. */
function parseError(fn: () => unknown, field: string): HealthEventParseError {
  expect(fn).toThrow(HealthEventParseError);
  expect(fn).toThrow(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}: `));
  try {
    fn();
  } catch (e) {
    expect((e as HealthEventParseError).field).toBe(field);
    return e as HealthEventParseError;
  }
  throw new Error('unreachable');
}

describe('real sample events', () => {
  it('backup-Region delivery with one-digit day and legacy ARN (S3)', () => {
    const e = parseEventBridgeHealthEvent(load(BACKUP));
    expect(e).toEqual<HealthEvent>({
      account: '123456789012',
      eventArn: 'arn:aws:health:us-east-1::event/AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED_90353408594353980',
      services: ['EC2'],
      rawService: 'EC2',
      eventTypeCode: 'AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED',
      eventTypeCategory: 'issue',
      eventScopeCode: 'ACCOUNT_SPECIFIC',
      region: 'us-east-1',
      deliveredRegion: 'us-west-2',
      statusCode: 'open',
      startTime: '2022-06-03T05:01:10.000Z',
      endTime: '2022-06-03T05:30:57.000Z',
      lastUpdatedTime: '2022-06-03T06:27:57.000Z', // the envelope time
      description: 'A description of the event will be provided here',
      communicationId: '01b0993207d81a09dcd552ebd1e633e36cf1f09a-1',
      page: 1,
      totalPages: 1,
      backupEvent: true,
      affectedEntities: [{ entityValue: 'i-abcd1111' }],
      resources: ['i-abcd1111'],
      parseNotes: [
        'detail.lastUpdatedTime missing; set to the envelope time (2022-06-03T06:27:57.000Z)',
        'statusCode open but endTime given (2022-06-03T05:30:57.000Z); both kept as given',
      ],
    });
  });

  it('scheduled retirement with future start and wrong weekdays', () => {
    const e = parseEventBridgeHealthEvent(load(RETIREMENT));
    expect(e).toMatchObject({
      account: '123456789012',
      services: ['EC2'],
      eventTypeCategory: 'scheduledChange',
      eventScopeCode: 'ACCOUNT_SPECIFIC',
      region: 'us-east-1',
      deliveredRegion: 'us-east-1',
      statusCode: 'open',
      startTime: '2026-08-27T13:19:03.000Z',
      endTime: null,
      lastUpdatedTime: '2026-01-27T13:44:13.000Z',
      backupEvent: false,
      resources: [],
      affectedEntities: [
        {
          entityValue: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0',
          status: 'PENDING',
          lastUpdatedTime: '2026-01-26T19:01:55.000Z',
        },
      ],
    });
    // "Thu, 27 Jan 2026" is a Tuesday, "Thu, 26 Jan 2026" a Monday: parsed, with notes.
    expect(e.parseNotes).toEqual([
      expect.stringMatching(/^weekday in detail\.affectedEntities\[0\]\.lastUpdatedTime disagreed.*actually Mon/),
      expect.stringMatching(/^weekday in detail\.lastUpdatedTime disagreed.*actually Tue/),
    ]);
  });

  it('legacy shape: no endTime/lastUpdatedTime/statusCode/scope/region/account, wrong weekday, tags (envelope time before start: not used)', () => {
    const e = parseEventBridgeHealthEvent(load(LEGACY));
    expect(e).toMatchObject({
      account: '123456789012',
      eventArn: 'arn:aws:health:us-west-2::event/AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED_90353408594353980',
      services: ['EC2'],
      eventScopeCode: 'UNKNOWN',
      region: 'us-west-2',
      statusCode: 'open',
      startTime: '2016-06-05T15:10:09.000Z',
      endTime: null,
      lastUpdatedTime: '2016-06-05T15:10:09.000Z',
      page: 1,
      totalPages: 1,
      backupEvent: false,
      affectedEntities: [{ entityValue: 'i-abcd1111', tags: { stage: 'prod', app: 'my-app' } }],
    });
    expect(e.communicationId).toBeUndefined();
    expect(e.parseNotes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('affectedAccount missing'),
        expect.stringContaining('eventScopeCode missing'),
        expect.stringContaining('eventArn Region'),
        expect.stringMatching(/weekday in detail\.startTime disagreed.*written Sat, actually Sun/),
        expect.stringContaining('lastUpdatedTime missing; set to startTime'),
        'detail.statusCode missing; derived "open"',
      ]),
    );
  });

  it('public af-south-1 event: open with endTime, services from description added', () => {
    const e = parseEventBridgeHealthEvent(load(AF_SOUTH));
    expect(e).toMatchObject({
      eventScopeCode: 'PUBLIC',
      region: 'af-south-1',
      services: ['EC2', 'APPSYNC', 'BACKUP', 'EVENTS'],
      rawService: 'EC2',
      statusCode: 'open',
      startTime: '2023-01-27T06:02:51.000Z',
      endTime: '2023-01-27T09:01:22.000Z',
      lastUpdatedTime: '2023-01-27T09:01:22.000Z',
      affectedEntities: [],
    });
    expect(e.description).toContain('[RESOLVED]');
    expect(e.parseNotes).toEqual(['statusCode open but endTime given (2023-01-27T09:01:22.000Z); both kept as given']);
  });

  it('Health API DescribeEventDetails sample (epoch seconds)', () => {
    const details = load(API_CLOSED).successfulSet[0];
    const e = parseHealthApiEvent({
      event: details.event,
      description: details.eventDescription.latestDescription,
      account: '123456789012',
    });
    expect(e).toMatchObject({
      account: '123456789012',
      eventArn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_VKTXI_EXAMPLE111',
      services: ['EC2'],
      eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
      eventTypeCategory: 'issue',
      eventScopeCode: 'UNKNOWN',
      region: 'us-east-1',
      statusCode: 'closed',
      startTime: '2020-04-21T09:45:25.096Z',
      endTime: '2020-04-21T10:16:44.774Z',
      lastUpdatedTime: '2020-04-21T10:16:44.865Z',
      page: 1,
      totalPages: 1,
      backupEvent: false,
      affectedEntities: [],
      resources: [],
    });
    expect(e.deliveredRegion).toBeUndefined();
    expect(e.description).toMatch(/^\[RESOLVED\] Increased API Error Rates/);
  });

  it('Health API shape with SDK Dates and entities', () => {
    const e = parseHealthApiEvent({
      event: {
        arn: 'arn:aws:health:eu-west-1::event/LAMBDA/AWS_LAMBDA_OPERATIONAL_ISSUE/X1',
        service: 'LAMBDA',
        eventTypeCode: 'AWS_LAMBDA_OPERATIONAL_ISSUE',
        eventTypeCategory: 'issue',
        region: 'eu-west-1',
        startTime: new Date('2024-03-01T10:00:00Z'),
        lastUpdatedTime: new Date('2024-03-01T10:30:00Z'),
        statusCode: 'open',
        eventScopeCode: 'ACCOUNT_SPECIFIC',
      },
      entities: [
        { entityValue: 'arn:aws:lambda:eu-west-1:111122223333:function:a', statusCode: 'IMPAIRED', lastUpdatedTime: new Date('2024-03-01T10:05:00Z'), tags: { team: 'x' } },
        null,
        { entityValue: 'arn:aws:lambda:eu-west-1:111122223333:function:a' },
      ],
      account: '111122223333',
    });
    expect(e.affectedEntities).toEqual([
      { entityValue: 'arn:aws:lambda:eu-west-1:111122223333:function:a', status: 'IMPAIRED', lastUpdatedTime: '2024-03-01T10:05:00.000Z', tags: { team: 'x' } },
    ]);
    expect(e.endTime).toBeNull();
    expect(e.statusCode).toBe('open');
    expect(e.parseNotes).toEqual(expect.arrayContaining([expect.stringContaining('skipped 1'), expect.stringContaining('1 duplicate')]));
  });

  it('synthetic MULTIPLE_SERVICES event: services from "are impacted: A, B and C"', () => {
    const e = parseEventBridgeHealthEvent(load(MULTI));
    expect(e.rawService).toBe('MULTIPLE_SERVICES');
    expect(e.services).toEqual(['DYNAMODB', 'EC2', 'LAMBDA', 'SQS', 'STS']);
    expect(e.startTime).toBe('2025-10-20T06:48:00.000Z');
    expect(e.endTime).toBeNull();
    expect(e.parseNotes).toEqual([]);
  });

  it('synthetic closed event without endTime: end = lastUpdatedTime, with a note', () => {
    const e = parseEventBridgeHealthEvent(load(CLOSED_NO_END));
    expect(e.statusCode).toBe('closed');
    expect(e.endTime).toBe('2023-08-17T01:04:10.000Z');
    expect(e.lastUpdatedTime).toBe('2023-08-17T01:04:10.000Z');
    expect(e.parseNotes).toEqual(['statusCode closed but endTime missing; endTime set to lastUpdatedTime (2023-08-17T01:04:10.000Z)']);
    expect(e.affectedEntities[0]?.status).toBe('RESOLVED');
  });
});

describe('fallbacks for missing "required" fields', () => {
  it('no endTime: null, status as given', () => {
    const e = parseEventBridgeHealthEvent(detailWithout(AF_SOUTH, 'endTime'));
    expect(e.endTime).toBeNull();
    expect(e.statusCode).toBe('open');
    expect(e.lastUpdatedTime).toBe('2023-01-27T09:01:22.000Z');
  });

  it('closed without endTime and without lastUpdatedTime: envelope time', () => {
    const raw = detailWithout(AF_SOUTH, 'endTime', 'lastUpdatedTime');
    raw.detail.statusCode = 'closed';
    const e = parseEventBridgeHealthEvent(raw);
    expect(e.endTime).toBe('2023-01-27T09:01:22.000Z'); // envelope time
    expect(e.lastUpdatedTime).toBe('2023-01-27T09:01:22.000Z');
    expect(e.parseNotes).toEqual(expect.arrayContaining([expect.stringContaining('endTime set to the envelope time')]));
  });

  it('closed without endTime, lastUpdatedTime or usable envelope time: startTime (zero length, noted)', () => {
    const raw = detailWithout(AF_SOUTH, 'endTime', 'lastUpdatedTime');
    raw.detail.statusCode = 'CLOSED';
    delete raw.time;
    const e = parseEventBridgeHealthEvent(raw);
    expect(e.statusCode).toBe('closed');
    expect(e.endTime).toBe(e.startTime);
    expect(e.parseNotes).toEqual(expect.arrayContaining([expect.stringContaining('endTime set to startTime')]));
  });

  it('closed without endTime whose lastUpdatedTime precedes the start is rejected', () => {
    const raw = detailWithout(AF_SOUTH, 'endTime');
    raw.detail.statusCode = 'closed';
    raw.detail.lastUpdatedTime = 'Fri, 27 Jan 2023 01:00:00 GMT';
    parseError(() => parseEventBridgeHealthEvent(raw), 'detail.lastUpdatedTime');
  });

  it('missing lastUpdatedTime: envelope time (when not before the start), else endTime, else startTime — with a note', () => {
    const at = (raw: Json) => {
      const e = parseEventBridgeHealthEvent(raw);
      return [e.lastUpdatedTime, e.parseNotes.find((n) => n.startsWith('detail.lastUpdatedTime missing'))];
    };
    const open = detailWithout(AF_SOUTH, 'lastUpdatedTime', 'endTime');
    open.time = '2023-01-27T08:00:00Z';
    expect(at(open)).toEqual(['2023-01-27T08:00:00.000Z', 'detail.lastUpdatedTime missing; set to the envelope time (2023-01-27T08:00:00.000Z)']);
    // the envelope time wins over endTime too
    const ended = detailWithout(AF_SOUTH, 'lastUpdatedTime');
    ended.time = '2023-01-27T10:00:00Z';
    expect(at(ended)[0]).toBe('2023-01-27T10:00:00.000Z');
    // no envelope time, or one before the start: endTime, else startTime
    delete ended.time;
    expect(at(ended)).toEqual(['2023-01-27T09:01:22.000Z', 'detail.lastUpdatedTime missing; set to endTime (2023-01-27T09:01:22.000Z)']);
    open.time = '2023-01-27T06:02:50Z';
    expect(at(open)).toEqual(['2023-01-27T06:02:51.000Z', 'detail.lastUpdatedTime missing; set to startTime (2023-01-27T06:02:51.000Z)']);
    // deterministic: the same input gives the same value
    expect(at(structuredClone(open))).toEqual(at(open));
  });

  it('missing lastUpdatedTime: two open updates of one event stay distinct, backup copies of one update stay duplicates', () => {
    const update = (time: string, region: string, backupEvent: boolean) => {
      const raw = detailWithout(AF_SOUTH, 'lastUpdatedTime', 'endTime');
      raw.time = time;
      raw.region = region;
      raw.detail.backupEvent = backupEvent;
      return parseEventBridgeHealthEvent(raw);
    };
    const first = update('2023-01-27T07:00:00Z', 'af-south-1', false);
    const firstBackup = update('2023-01-27T07:00:00Z', 'us-east-1', true);
    const second = update('2023-01-27T08:30:00Z', 'af-south-1', false);
    expect(first.lastUpdatedTime).toBe('2023-01-27T07:00:00.000Z');
    expect(second.lastUpdatedTime).toBe('2023-01-27T08:30:00.000Z');
    expect(pageGroupKey(second)).not.toBe(pageGroupKey(first));
    expect(firstBackup.lastUpdatedTime).toBe(first.lastUpdatedTime);
    expect(pageGroupKey(firstBackup)).toBe(pageGroupKey(first));
    expect(dedupeKey(second)).toBe(dedupeKey(first));
  });

  it('missing statusCode: closed when endTime ≤ lastUpdatedTime, else open', () => {
    expect(parseEventBridgeHealthEvent(detailWithout(AF_SOUTH, 'statusCode')).statusCode).toBe('closed');
    expect(parseEventBridgeHealthEvent(detailWithout(AF_SOUTH, 'statusCode', 'endTime')).statusCode).toBe('open');
    const later = withDetail({ endTime: 'Fri, 27 Jan 2023 10:00:00 GMT' });
    delete later.detail.statusCode;
    expect(parseEventBridgeHealthEvent(later).statusCode).toBe('open');
  });

  it('empty-string endTime/lastUpdatedTime are treated as missing', () => {
    const e = parseEventBridgeHealthEvent(withDetail({ endTime: '', lastUpdatedTime: '' }));
    expect(e.endTime).toBeNull();
    expect(e.lastUpdatedTime).toBe('2023-01-27T09:01:22.000Z'); // the envelope time
    expect(e.parseNotes).toEqual(expect.arrayContaining([expect.stringContaining('detail.endTime was an empty string')]));
  });

  it('missing eventScopeCode, eventRegion, communicationId, page/totalPages, backupEvent, affectedAccount', () => {
    const raw = detailWithout(
      AF_SOUTH,
      'eventScopeCode',
      'eventRegion',
      'communicationId',
      'page',
      'totalPages',
      'backupEvent',
      'affectedAccount',
    );
    raw.account = '210987654321';
    const e = parseEventBridgeHealthEvent(raw);
    expect(e).toMatchObject({
      account: '210987654321',
      eventScopeCode: 'UNKNOWN',
      region: 'af-south-1',
      page: 1,
      totalPages: 1,
      backupEvent: false,
    });
    expect(e.communicationId).toBeUndefined();
  });

  it('affectedAccount wins over the envelope account (org view)', () => {
    const raw = withDetail({ affectedAccount: '111122223333' });
    raw.account = '999988887777';
    expect(parseEventBridgeHealthEvent(raw).account).toBe('111122223333');
  });

  it('region: eventRegion, else ARN Region, else envelope Region', () => {
    const raw = withDetail({ eventRegion: 'global' });
    expect(parseEventBridgeHealthEvent(raw).region).toBe('global');
    expect(parseEventBridgeHealthEvent(detailWithout(BACKUP, 'eventRegion')).region).toBe('us-east-1'); // ARN, not us-west-2
    const noArnRegion = detailWithout(AF_SOUTH, 'eventRegion');
    noArnRegion.detail.eventArn = 'arn:aws:health:::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/ID1';
    expect(parseEventBridgeHealthEvent(noArnRegion).region).toBe('af-south-1');
    delete noArnRegion.region;
    parseError(() => parseEventBridgeHealthEvent(noArnRegion), 'detail.eventRegion');
  });

  it('missing service/eventTypeCode: taken from a current-format ARN, error for legacy ARNs', () => {
    const e = parseEventBridgeHealthEvent(detailWithout(AF_SOUTH, 'service', 'eventTypeCode'));
    expect(e.rawService).toBe('EC2');
    expect(e.eventTypeCode).toBe('AWS_EC2_OPERATIONAL_ISSUE');
    parseError(() => parseEventBridgeHealthEvent(detailWithout(LEGACY, 'service')), 'detail.service');
    parseError(() => parseEventBridgeHealthEvent(detailWithout(LEGACY, 'eventTypeCode')), 'detail.eventTypeCode');
  });

  it('missing eventTypeCategory becomes "unknown", never "issue"', () => {
    expect(parseEventBridgeHealthEvent(detailWithout(AF_SOUTH, 'eventTypeCategory')).eventTypeCategory).toBe('unknown');
  });

  it('numeric page numbers and boolean backupEvent are accepted', () => {
    const e = parseEventBridgeHealthEvent(withDetail({ page: 2, totalPages: 3, backupEvent: true }));
    expect(e).toMatchObject({ page: 2, totalPages: 3, backupEvent: true });
  });

  it('the Abuse detail-type is accepted', () => {
    const raw = load(AF_SOUTH);
    raw['detail-type'] = 'AWS Health Abuse Event';
    expect(parseEventBridgeHealthEvent(raw).eventArn).toContain('af-south-1');
  });

  it('legacy ARN (no /SERVICE/CODE/ segments) is valid', () => {
    expect(parseHealthArn('arn:aws:health:us-west-2::event/AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED_1', 'a').parts).toEqual({
      region: 'us-west-2',
      legacy: true,
    });
    expect(parseHealthArn('arn:aws-us-gov:health:us-gov-west-1::event/EC2/AWS_EC2_X/ID', 'a').parts).toEqual({
      region: 'us-gov-west-1',
      service: 'EC2',
      eventTypeCode: 'AWS_EC2_X',
      legacy: false,
    });
    // the doc-sample ARN without the ID segment is treated as legacy (still valid)
    expect(parseHealthArn('arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE', 'a').parts.legacy).toBe(true);
  });
});

describe('rejected input (HealthEventParseError with the field)', () => {
  it.each([
    [null, 'event'],
    ['a string', 'event'],
    [[], 'event'],
    [42, 'event'],
  ])('not an object: %j', (raw, field) => {
    parseError(() => parseEventBridgeHealthEvent(raw), field);
  });

  it('wrong source / detail-type / detail', () => {
    const raw = load(AF_SOUTH);
    parseError(() => parseEventBridgeHealthEvent({ ...raw, source: 'aws.ec2' }), 'source');
    parseError(() => parseEventBridgeHealthEvent({ ...raw, source: 'aha' }), 'source');
    parseError(() => parseEventBridgeHealthEvent(without(raw, 'source')), 'source');
    parseError(() => parseEventBridgeHealthEvent({ ...raw, 'detail-type': 'AHA Event' }), 'detail-type');
    parseError(() => parseEventBridgeHealthEvent({ ...raw, detail: null }), 'detail');
    parseError(() => parseEventBridgeHealthEvent({ ...raw, detail: 'x' }), 'detail');
  });

  it('missing, empty, non-ARN or over-long eventArn', () => {
    parseError(() => parseEventBridgeHealthEvent(detailWithout(AF_SOUTH, 'eventArn')), 'detail.eventArn');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ eventArn: '' })), 'detail.eventArn');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ eventArn: '   ' })), 'detail.eventArn');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ eventArn: 'arn:aws:ec2:us-east-1::instance/i-1' })), 'detail.eventArn');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ eventArn: 12 })), 'detail.eventArn');
    const longArn = `arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/${'X'.repeat(1600)}`;
    const err = parseError(() => parseEventBridgeHealthEvent(withDetail({ eventArn: longArn })), 'detail.eventArn');
    expect(err.message).toMatch(/longer than 1600/);
    expect(err.message.length).toBeLessThan(300); // value is truncated for display
  });

  it('missing, empty or invalid startTime', () => {
    parseError(() => parseEventBridgeHealthEvent(detailWithout(AF_SOUTH, 'startTime')), 'detail.startTime');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ startTime: '' })), 'detail.startTime');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ startTime: 'garbage' })), 'detail.startTime');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ startTime: 'Fri, 27 Jan 2023 06:02:51' })), 'detail.startTime');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ startTime: 'Thu 15 Dec 2022 23: 25: 00 GMT' })), 'detail.startTime');
  });

  it('invalid endTime / lastUpdatedTime / entity time', () => {
    parseError(() => parseEventBridgeHealthEvent(withDetail({ endTime: 'soon' })), 'detail.endTime');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ lastUpdatedTime: '2023-01-27T09:01:22' })), 'detail.lastUpdatedTime');
    parseError(
      () => parseEventBridgeHealthEvent(withDetail({ affectedEntities: [{ entityValue: 'i-1' }, { entityValue: 'i-2', lastUpdatedTime: 'x' }] })),
      'detail.affectedEntities[1].lastUpdatedTime',
    );
  });

  it('endTime before startTime', () => {
    const err = parseError(() => parseEventBridgeHealthEvent(withDetail({ endTime: 'Fri, 27 Jan 2023 06:02:50 GMT' })), 'detail.endTime');
    expect(err.message).toContain('before startTime');
  });

  it('missing or malformed account', () => {
    const raw = detailWithout(AF_SOUTH, 'affectedAccount');
    delete raw.account;
    parseError(() => parseEventBridgeHealthEvent(raw), 'detail.affectedAccount');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ affectedAccount: '1234' })), 'detail.affectedAccount');
    parseError(() => parseEventBridgeHealthEvent({ ...load(AF_SOUTH), account: 'abc' }), 'account');
  });

  it('unknown statusCode, bad pages', () => {
    parseError(() => parseEventBridgeHealthEvent(withDetail({ statusCode: 'resolved' })), 'detail.statusCode');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ page: 'one' })), 'detail.page');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ page: '0' })), 'detail.page');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ page: '3', totalPages: '2' })), 'detail.page');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ totalPages: '-1' })), 'detail.totalPages');
  });

  it('non-string typed fields and non-array lists', () => {
    parseError(() => parseEventBridgeHealthEvent(withDetail({ service: ['EC2'] })), 'detail.service');
    parseError(() => parseEventBridgeHealthEvent(withDetail({ affectedEntities: 'i-1' })), 'detail.affectedEntities');
    parseError(() => parseEventBridgeHealthEvent({ ...load(AF_SOUTH), resources: 'i-1' }), 'resources');
  });

  it('entityValue longer than 1600 characters', () => {
    const err = parseError(
      () => parseEventBridgeHealthEvent(withDetail({ affectedEntities: [{ entityValue: 'i-1' }, { entityValue: 'a'.repeat(1601) }] })),
      'detail.affectedEntities[1].entityValue',
    );
    expect(err.message).toContain('1601');
    // exactly 1600 is fine
    expect(parseEventBridgeHealthEvent(withDetail({ affectedEntities: [{ entityValue: 'a'.repeat(1600) }] })).affectedEntities).toHaveLength(1);
  });

  it('Health API shape errors', () => {
    const details = load(API_CLOSED).successfulSet[0];
    parseError(() => parseHealthApiEvent({ event: details.event, account: '' }), 'account');
    parseError(() => parseHealthApiEvent({ event: null, account: '123456789012' }), 'event');
    parseError(() => parseHealthApiEvent({ event: without(details.event, 'arn'), account: '123456789012' }), 'event.arn');
    parseError(() => parseHealthApiEvent({ event: { ...details.event, startTime: Number.NaN }, account: '123456789012' }), 'event.startTime');
    parseError(() => parseHealthApiEvent({ event: { ...details.event, startTime: new Date('x') }, account: '123456789012' }), 'event.startTime');
    parseError(() => parseHealthApiEvent({ event: { ...details.event, endTime: 1587462325 }, account: '123456789012' }), 'event.endTime');
    parseError(() => parseHealthApiEvent({ event: without(details.event, 'region', 'arn'), account: '123456789012' }), 'event.arn');
  });
});

describe('robustness', () => {
  it('nulls and junk in arrays are skipped with notes', () => {
    const raw = withDetail({
      affectedEntities: [null, { entityValue: 'i-1' }, 'i-2', {}, { entityValue: '' }, { entityValue: 'i-1' }, { entityValue: 'i-3', tags: { a: 'b', n: 1 } }],
      eventDescription: [null, { language: 'en_US' }, { language: 'en_US', latestDescription: 'hello' }],
    });
    raw.resources = [null, 'i-1', 7, 'i-1', 'i-3'];
    const e = parseEventBridgeHealthEvent(raw);
    expect(e.affectedEntities).toEqual([{ entityValue: 'i-1' }, { entityValue: 'i-3', tags: { a: 'b' } }]);
    expect(e.resources).toEqual(['i-1', 'i-3']);
    expect(e.description).toBe('hello');
    expect(e.parseNotes).toEqual(
      expect.arrayContaining([
        'detail.affectedEntities: skipped 4 item(s) that were null or had no entityValue',
        'detail.affectedEntities: dropped 1 duplicate entityValue(s)',
        'resources: skipped 2 null/non-string item(s)',
      ]),
    );
  });

  it('missing or empty description list gives "" with a note', () => {
    const e = parseEventBridgeHealthEvent(detailWithout(AF_SOUTH, 'eventDescription'));
    expect(e.description).toBe('');
    expect(e.parseNotes).toEqual(expect.arrayContaining([expect.stringContaining('eventDescription missing')]));
    expect(parseEventBridgeHealthEvent(withDetail({ eventDescription: [] })).description).toBe('');
  });

  it('prefers the en_US description', () => {
    const e = parseEventBridgeHealthEvent(
      withDetail({ eventDescription: [{ language: 'ja_JP', latestDescription: 'こんにちは' }, { language: 'en_US', latestDescription: 'hi' }] }),
    );
    expect(e.description).toBe('hi');
  });

  it('descriptions over 32 KB are truncated with a note', () => {
    const long = 'x'.repeat(MAX_DESCRIPTION_CHARS + 500);
    const e = parseEventBridgeHealthEvent(withDetail({ eventDescription: [{ language: 'en_US', latestDescription: long }] }));
    expect(e.description).toHaveLength(MAX_DESCRIPTION_CHARS);
    expect(e.parseNotes).toEqual(expect.arrayContaining([expect.stringMatching(/description truncated from 33268 to 32768/)]));
  });

  it('10 000 affected entities parse quickly', () => {
    const entities = Array.from({ length: 10_000 }, (_, i) => ({
      entityValue: `arn:aws:ec2:us-east-1:123456789012:instance/i-${i.toString(16).padStart(17, '0')}`,
      lastUpdatedTime: 'Fri, 27 Jan 2023 09:01:22 GMT',
      status: 'IMPAIRED',
    }));
    const raw = withDetail({ affectedEntities: entities });
    const t0 = performance.now();
    const e = parseEventBridgeHealthEvent(raw);
    const ms = performance.now() - t0;
    expect(e.affectedEntities).toHaveLength(10_000);
    expect(e.affectedEntities[9_999]?.lastUpdatedTime).toBe('2023-01-27T09:01:22.000Z');
    expect(ms).toBeLessThan(2_000);
  });

  it('does not mutate its input', () => {
    const raw = load(LEGACY);
    const copy = structuredClone(raw);
    parseEventBridgeHealthEvent(raw);
    expect(raw).toEqual(copy);
  });
});

describe('services', () => {
  it.each([
    ['The following AWS services were previously impacted but are now operating normally: APPSYNC, BACKUP, EVENTS.', ['APPSYNC', 'BACKUP', 'EVENTS']],
    ['The following AWS services are impacted: EC2, LAMBDA and DYNAMODB', ['EC2', 'LAMBDA', 'DYNAMODB']],
    ['Affected services: S3, EC2\nMore text: not, services', ['S3', 'EC2']],
    ['Impacted AWS services: Amazon EC2, AWS Lambda, AppSync.', ['EC2', 'LAMBDA', 'APPSYNC']],
    ['The following services are affected: ELASTICLOADBALANCING & CLOUDFRONT. Next update soon.', ['ELASTICLOADBALANCING', 'CLOUDFRONT']],
    ['Services impacted: EC2.\n\nLater: services affected: EC2, RDS', ['EC2', 'RDS']],
    ['We are investigating increased error rates in US-EAST-1.', []],
    ['[02:45 AM PDT] We are investigating. Root cause: a DNS issue.', []],
    ['Some services are impacted: we are working on it.', []],
    ['Other AWS services are not affected: S3, DYNAMODB.', []],
    ["These services aren't currently impacted: S3, SQS", []],
    ['Unaffected services: S3, SQS', []],
    ['The following services remain unimpacted: S3 and SQS.', []],
    ['No other services are impacted: S3, SQS and DYNAMODB are operating normally.', []],
    ['Other services are not affected. The following AWS services are impacted: EC2, EBS', ['EC2', 'EBS']],
    ['Affected services: EC2.\nServices that are not impacted: S3, DYNAMODB', ['EC2']],
    ['', []],
  ])('servicesFromDescription(%j)', (text, expected) => {
    expect(servicesFromDescription(text)).toEqual(expected);
  });

  it('servicesFromEntities: codes and ARN namespaces, placeholders ignored', () => {
    expect(
      servicesFromEntities([
        { entityValue: 'EC2' },
        { entityValue: 'AWS_ACCOUNT' },
        { entityValue: 'UNKNOWN' },
        { entityValue: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
        { entityValue: 'i-123' },
        { entityValue: 'EC2' },
      ]),
    ).toEqual(['EC2', 'LAMBDA']);
  });

  it('MULTIPLE_SERVICES: from the description and entities', () => {
    const e = parseEventBridgeHealthEvent(
      withDetail({
        service: 'MULTIPLE_SERVICES',
        affectedEntities: [{ entityValue: 'DYNAMODB' }, { entityValue: 'EVENTS' }],
      }),
    );
    expect(e.services).toEqual(['APPSYNC', 'BACKUP', 'EVENTS', 'DYNAMODB']);
    expect(e.rawService).toBe('MULTIPLE_SERVICES');
  });

  it('MULTIPLE_SERVICES without a derivable list is rejected on detail.service', () => {
    const raw = withDetail({
      service: 'MULTIPLE_SERVICES',
      eventDescription: [{ language: 'en_US', latestDescription: 'We are investigating increased error rates.' }],
      affectedEntities: [{ entityValue: 'AWS_ACCOUNT' }],
    });
    const err = parseError(() => parseEventBridgeHealthEvent(raw), 'detail.service');
    expect(err.value).toBe('MULTIPLE_SERVICES');
    expect(err.message).toContain('MULTIPLE_SERVICES');
  });

  it('a negated list adds no services to the event', () => {
    const e = parseEventBridgeHealthEvent(
      withDetail({
        eventDescription: [
          { language: 'en_US', latestDescription: 'We are investigating increased EC2 API error rates. Other AWS services are not affected: S3, DYNAMODB.' },
        ],
      }),
    );
    expect(e.services).toEqual(['EC2']);
  });

  it('normal service: [service] plus listed services, de-duplicated', () => {
    const e = parseEventBridgeHealthEvent(
      withDetail({ eventDescription: [{ language: 'en_US', latestDescription: 'The following AWS services are impacted: EC2, EBS' }] }),
    );
    expect(e.services).toEqual(['EC2', 'EBS']);
  });
});

describe('dedupe', () => {
  it('backup copy and exact duplicate share the dedupe key; page suffix ignored', () => {
    const primary = load(BACKUP);
    primary.region = 'us-east-1';
    primary.detail.backupEvent = 'false';
    const backup = load(BACKUP);
    const page2 = load(BACKUP);
    page2.detail.communicationId = '01b0993207d81a09dcd552ebd1e633e36cf1f09a-2';
    page2.detail.page = '2';
    page2.detail.totalPages = '2';
    const keys = [primary, backup, load(BACKUP), page2].map((r) => dedupeKey(parseEventBridgeHealthEvent(r)));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(
      '123456789012#arn:aws:health:us-east-1::event/AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED_90353408594353980',
    );
    const otherAccount = load(BACKUP);
    otherAccount.detail.affectedAccount = '210987654321';
    expect(dedupeKey(parseEventBridgeHealthEvent(otherAccount))).not.toBe(keys[0]);
  });
});
