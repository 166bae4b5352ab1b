import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentState, UpdateRecord } from '../../src/pipeline/incidents.ts';
import { effectiveOutage, recoveredServices, serviceWindow, STALE_OPEN_MS } from '../../src/pipeline/windows.ts';

const ms = (iso: string) => Date.parse(iso);
const START = '2025-10-20T06:48:00.000Z';
const END = '2025-10-20T20:00:00.000Z';
const DAY = 86_400_000;

function state(over: Partial<IncidentState> = {}): IncidentState {
  return {
    account: '123456789012',
    eventArn: 'arn:aws:health:us-east-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/X',
    lastUpdatedMs: ms(END),
    services: ['DYNAMODB', 'LAMBDA', 'SQS'],
    rawService: 'MULTIPLE_SERVICES',
    eventTypeCode: 'AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE',
    eventTypeCategory: 'issue',
    eventScopeCode: 'PUBLIC',
    region: 'us-east-1',
    statusCode: 'closed',
    startTime: START,
    endTime: END,
    lastUpdatedTime: END,
    description: 'Resolved.',
    ...over,
  };
}

function update(iso: string, recovered: string[], statusCode = 'open', page = 1): UpdateRecord {
  return { lastUpdatedMs: ms(iso), page, statusCode, recovered };
}

describe('recoveredServices', () => {
  it.each([
    ['The following services are now operating normally: EC2, Lambda and DynamoDB. We continue to work on SQS.', ['EC2', 'LAMBDA', 'DYNAMODB']],
    ['Services that have recovered: Amazon SQS, AWS Lambda & STS.', ['SQS', 'LAMBDA', 'STS']],
    ['We have fully recovered: SNS', ['SNS']],
    ['Recovered services: ECS, EKS', ['ECS', 'EKS']],
    ['Recovered service: ECS\nStill impaired: EKS', ['ECS']],
    ['These services is now operating normally : cloudwatch', ['CLOUDWATCH']],
    ['ARE NOW OPERATING NORMALLY: EC2', ['EC2']],
  ])('%j → %j', (description, expected) => {
    expect(recoveredServices(description)).toEqual(expected);
  });

  it('reads several sentences and de-duplicates', () => {
    const d = 'Update 1: these are now operating normally: EC2, SQS. Update 2: these have recovered: SQS, Lambda.';
    expect(recoveredServices(d)).toEqual(['EC2', 'SQS', 'LAMBDA']);
  });

  it('stops the list at the end of the sentence, but not at a dot inside a word', () => {
    expect(recoveredServices('Recovered services: EC2, S3. DynamoDB is still impaired.')).toEqual(['EC2', 'S3']);
    expect(recoveredServices('Recovered services: EC2, S3.')).toEqual(['EC2', 'S3']);
  });

  it('drops pieces that are not service codes (spaces, too short)', () => {
    expect(recoveredServices('Recovered services: EC2, Elastic Load Balancing, a, ROUTE53')).toEqual(['EC2', 'ROUTE53']);
  });

  it.each([
    'EC2 is now operating normally.',
    'We are working to recover DynamoDB.',
    'The following services were impacted: EC2, LAMBDA.',
    'Services are operating normally: EC2',
    '',
  ])('finds nothing in %j', (description) => {
    expect(recoveredServices(description)).toEqual([]);
  });
});

describe('serviceWindow', () => {
  it('without a recovery update the window is the event window', () => {
    expect(serviceWindow(state(), [], 'DYNAMODB')).toEqual({ startMs: ms(START), endMs: ms(END) });
  });

  it('an open event without recovery stays open', () => {
    expect(serviceWindow(state({ statusCode: 'open', endTime: null }), [update('2025-10-20T08:00:00Z', [])], 'LAMBDA')).toEqual({
      startMs: ms(START),
      endMs: null,
    });
  });

  it('a recovery before the end closes that service early (case-insensitive service name)', () => {
    const updates = [update('2025-10-20T09:40:00Z', ['DYNAMODB']), update('2025-10-20T12:00:00Z', ['LAMBDA'])];
    expect(serviceWindow(state(), updates, 'dynamodb')).toEqual({ startMs: ms(START), endMs: ms('2025-10-20T09:40:00Z') });
    expect(serviceWindow(state(), updates, 'LAMBDA')).toEqual({ startMs: ms(START), endMs: ms('2025-10-20T12:00:00Z') });
    // Services never listed as recovered run to the event's end.
    expect(serviceWindow(state(), updates, 'SQS')).toEqual({ startMs: ms(START), endMs: ms(END) });
  });

  it('uses the earliest recovery whatever the order of the history', () => {
    const updates = [update('2025-10-20T15:00:00Z', ['DYNAMODB']), update('2025-10-20T09:40:00Z', ['DYNAMODB']), update('2025-10-20T11:00:00Z', ['DYNAMODB'])];
    expect(serviceWindow(state(), updates, 'DYNAMODB').endMs).toBe(ms('2025-10-20T09:40:00Z'));
    expect(serviceWindow(state(), [...updates].reverse(), 'DYNAMODB').endMs).toBe(ms('2025-10-20T09:40:00Z'));
  });

  it('a recovery reported after the event end does not extend the window', () => {
    expect(serviceWindow(state(), [update('2025-10-21T10:00:00Z', ['DYNAMODB'], 'closed')], 'DYNAMODB')).toEqual({ startMs: ms(START), endMs: ms(END) });
  });

  it('an open event with a recovery closes that service at the recovery', () => {
    const s = state({ statusCode: 'open', endTime: null, lastUpdatedMs: ms('2025-10-20T10:00:00Z') });
    expect(serviceWindow(s, [update('2025-10-20T10:00:00Z', ['DYNAMODB'])], 'DYNAMODB')).toEqual({ startMs: ms(START), endMs: ms('2025-10-20T10:00:00Z') });
    expect(serviceWindow(s, [update('2025-10-20T10:00:00Z', ['DYNAMODB'])], 'LAMBDA')).toEqual({ startMs: ms(START), endMs: null });
  });

  it('ignores recoveries of unrelated services', () => {
    expect(serviceWindow(state(), [update('2025-10-20T07:00:00Z', ['SQS', 'SNS'])], 'DYNAMODB')).toEqual({ startMs: ms(START), endMs: ms(END) });
  });

  it('ignores an update from before the (revised) start', () => {
    const updates = [update('2025-10-20T06:00:00Z', ['DYNAMODB']), update('2025-10-20T09:00:00Z', ['DYNAMODB'])];
    expect(serviceWindow(state(), updates, 'DYNAMODB').endMs).toBe(ms('2025-10-20T09:00:00Z'));
    expect(serviceWindow(state(), [update('2025-10-20T06:00:00Z', ['DYNAMODB'])], 'DYNAMODB').endMs).toBe(ms(END));
  });

  it('an update exactly at the start counts (zero-length window)', () => {
    expect(serviceWindow(state(), [update(START, ['DYNAMODB'])], 'DYNAMODB')).toEqual({ startMs: ms(START), endMs: ms(START) });
  });

  it('never ends before it starts or after the event end (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: -DAY, max: 3 * DAY }), recovered: fc.subarray(['DYNAMODB', 'LAMBDA', 'SQS']) }), { maxLength: 8 }),
        fc.option(fc.integer({ min: 0, max: 2 * DAY }), { nil: null }),
        (raw, endOffset) => {
          const startMs = ms(START);
          const s = state({ endTime: endOffset === null ? null : new Date(startMs + endOffset).toISOString(), statusCode: endOffset === null ? 'open' : 'closed' });
          const updates = raw.map((u) => ({ lastUpdatedMs: startMs + u.offset, page: 1, statusCode: 'open', recovered: u.recovered }));
          const w = serviceWindow(s, updates, 'DYNAMODB');
          expect(w.startMs).toBe(startMs);
          const recoveries = updates.filter((u) => u.recovered.includes('DYNAMODB') && u.lastUpdatedMs >= startMs).map((u) => u.lastUpdatedMs);
          const candidates = [...recoveries, ...(endOffset === null ? [] : [startMs + endOffset])];
          expect(w.endMs).toBe(candidates.length ? Math.min(...candidates) : null);
        },
      ),
    );
  });
});

describe('effectiveOutage', () => {
  const start = ms('2025-10-01T00:00:00Z');

  it('STALE_OPEN_MS is a week', () => {
    expect(STALE_OPEN_MS).toBe(7 * DAY);
  });

  it('a closed window is returned as is, however old', () => {
    expect(effectiveOutage({ startMs: start, endMs: start + 3_600_000, lastUpdatedMs: start }, start + 365 * DAY)).toEqual({
      startMs: start,
      endMs: start + 3_600_000,
      stale: false,
    });
  });

  it('a fresh open event stays open', () => {
    const lastUpdatedMs = start + 2 * DAY;
    expect(effectiveOutage({ startMs: start, endMs: null, lastUpdatedMs }, lastUpdatedMs + DAY)).toEqual({ startMs: start, endMs: null, stale: false });
  });

  it('an open event exactly at the allowance is not yet stale; one millisecond later it is', () => {
    const lastUpdatedMs = start + 2 * DAY;
    const cap = lastUpdatedMs + STALE_OPEN_MS;
    expect(effectiveOutage({ startMs: start, endMs: null, lastUpdatedMs }, cap)).toEqual({ startMs: start, endMs: null, stale: false });
    expect(effectiveOutage({ startMs: start, endMs: null, lastUpdatedMs }, cap + 1)).toEqual({ startMs: start, endMs: cap, stale: true });
  });

  it('a stale open event counts until its last update plus the allowance', () => {
    const lastUpdatedMs = start + DAY;
    expect(effectiveOutage({ startMs: start, endMs: null, lastUpdatedMs }, start + 60 * DAY)).toEqual({
      startMs: start,
      endMs: lastUpdatedMs + STALE_OPEN_MS,
      stale: true,
    });
  });

  it('measures staleness from the start when the last update is older than the start', () => {
    const lastUpdatedMs = start - 30 * DAY;
    expect(effectiveOutage({ startMs: start, endMs: null, lastUpdatedMs }, start + 3 * DAY)).toEqual({ startMs: start, endMs: null, stale: false });
    expect(effectiveOutage({ startMs: start, endMs: null, lastUpdatedMs }, start + 8 * DAY)).toEqual({ startMs: start, endMs: start + STALE_OPEN_MS, stale: true });
  });
});
