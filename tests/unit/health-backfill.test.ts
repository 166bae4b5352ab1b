import {
  DescribeAffectedAccountsForOrganizationCommand,
  DescribeAffectedEntitiesCommand,
  DescribeAffectedEntitiesForOrganizationCommand,
  DescribeEventDetailsCommand,
  DescribeEventDetailsForOrganizationCommand,
  DescribeEventsCommand,
  DescribeEventsForOrganizationCommand,
  HealthClient,
  HealthServiceException,
  InvalidPaginationToken,
  type Event as SdkEvent,
} from '@aws-sdk/client-health';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DETAILS_BATCH_SIZE, isQuarantined, sweepHealthEvents, type SweepItem, type SweepOptions } from '../../src/health/backfill.ts';
import { HealthSubscriptionRequiredError, isThrottlingError, withThrottleRetry } from '../../src/health/throttle.ts';
import type { HealthEvent } from '../../src/health/types.ts';

const ACCOUNT = '123456789012';
const SINCE = new Date('2025-10-19T00:00:00Z');

function arn(i: number): string {
  return `arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_${String(i).padStart(4, '0')}`;
}

function sdkEvent(i: number): SdkEvent {
  return {
    arn: arn(i),
    service: 'EC2',
    eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
    eventTypeCategory: 'issue',
    region: 'us-east-1',
    startTime: new Date('2025-10-20T06:48:00Z'),
    endTime: new Date('2025-10-20T09:00:00Z'),
    lastUpdatedTime: new Date('2025-10-20T09:05:00Z'),
    statusCode: 'closed',
    eventScopeCode: 'PUBLIC',
  };
}

function throttling(): HealthServiceException {
  return new HealthServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
}

function subscriptionRequired(): HealthServiceException {
  return new HealthServiceException({
    name: 'SubscriptionRequiredException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'The AWS Premium Support Subscription is required to use this service.',
  });
}

/** Splits `items` into pages of `size`, served by nextToken "p1", "p2", … */
function paged<T>(items: T[], size: number, token: string | undefined): { page: T[]; nextToken?: string } {
  const index = token ? Number(token.slice(1)) : 0;
  const page = items.slice(index * size, (index + 1) * size);
  const more = (index + 1) * size < items.length;
  return more ? { page, nextToken: `p${index + 1}` } : { page };
}

async function collect(options: SweepOptions): Promise<SweepItem[]> {
  const out: SweepItem[] = [];
  for await (const item of sweepHealthEvents(options)) out.push(item);
  return out;
}

const noSleep = { sleep: async () => {}, random: () => 0 };

const healthMock = mockClient(HealthClient);
let client: HealthClient;

beforeEach(() => {
  healthMock.reset();
  client = new HealthClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
});
afterEach(() => healthMock.reset());

describe('single-account sweep', () => {
  const N = 23;
  const events = Array.from({ length: N }, (_, i) => sdkEvent(i));

  function setup(): void {
    healthMock.on(DescribeEventsCommand).callsFake((input: { nextToken?: string }) => {
      const { page, nextToken } = paged(events, 10, input.nextToken);
      return { events: page.map((e) => ({ ...e })), nextToken };
    });
    healthMock.on(DescribeEventDetailsCommand).callsFake((input: { eventArns: string[] }) => ({
      successfulSet: input.eventArns
        .filter((a) => !a.endsWith('0005'))
        .map((a) => ({
          event: events.find((e) => e.arn === a),
          eventDescription: { latestDescription: `details of ${a.slice(-4)}` },
        })),
      failedSet: input.eventArns
        .filter((a) => a.endsWith('0005'))
        .map((a) => ({ eventArn: a, errorName: 'UnsupportedEventType', errorMessage: 'not visible' })),
    }));
    healthMock.on(DescribeAffectedEntitiesCommand).callsFake((input: { filter: { eventArns: string[] }; nextToken?: string }) => {
      const a = input.filter.eventArns[0] ?? '';
      const entities = Array.from({ length: 25 }, (_, k) => ({
        eventArn: a,
        entityValue: `i-${a.slice(-4)}-${k}`,
        statusCode: 'IMPAIRED' as const,
        lastUpdatedTime: new Date('2025-10-20T07:00:00Z'),
      }));
      const { page, nextToken } = paged(entities, 10, input.nextToken);
      return { entities: page, nextToken };
    });
  }

  it('paginates DescribeEvents, batches details ≤10, paginates entities, quarantines failedSet', async () => {
    setup();
    const items = await collect({ client, since: SINCE, account: ACCOUNT, retry: noSleep });

    // DescribeEvents: 3 pages, filter from `since`, issue category
    const eventCalls = healthMock.commandCalls(DescribeEventsCommand);
    expect(eventCalls).toHaveLength(3);
    expect(eventCalls.map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'p1', 'p2']);
    expect(eventCalls[0]?.args[0].input.filter).toEqual({
      lastUpdatedTimes: [{ from: SINCE }],
      eventTypeCategories: ['issue'],
    });

    // DescribeEventDetails: 23 ARNs → 10 + 10 + 3
    const detailCalls = healthMock.commandCalls(DescribeEventDetailsCommand);
    const batchSizes = detailCalls.map((c) => c.args[0].input.eventArns?.length ?? 0);
    expect(batchSizes).toEqual([10, 10, 3]);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(DETAILS_BATCH_SIZE);
    expect(detailCalls.flatMap((c) => c.args[0].input.eventArns ?? [])).toEqual(events.map((e) => e.arn));

    // DescribeAffectedEntities: 3 pages for each of the 22 successful events
    expect(healthMock.commandCalls(DescribeAffectedEntitiesCommand)).toHaveLength(22 * 3);

    const parsed = items.filter((i): i is HealthEvent => !isQuarantined(i));
    const quarantined = items.filter(isQuarantined);
    expect(parsed).toHaveLength(22);
    expect(quarantined).toEqual([
      {
        quarantined: {
          source: 'DescribeEventDetails',
          reason: 'UnsupportedEventType: not visible',
          raw: { eventArn: arn(5), errorName: 'UnsupportedEventType', errorMessage: 'not visible' },
        },
      },
    ]);
    const first = parsed[0];
    expect(first).toMatchObject({
      account: ACCOUNT,
      eventArn: arn(0),
      services: ['EC2'],
      statusCode: 'closed',
      startTime: '2025-10-20T06:48:00.000Z',
      endTime: '2025-10-20T09:00:00.000Z',
      lastUpdatedTime: '2025-10-20T09:05:00.000Z',
      description: 'details of 0000',
      eventScopeCode: 'PUBLIC',
    });
    expect(first?.affectedEntities).toHaveLength(25);
    expect(first?.affectedEntities[24]).toEqual({
      entityValue: 'i-0000-24',
      status: 'IMPAIRED',
      lastUpdatedTime: '2025-10-20T07:00:00.000Z',
    });
  });

  it('passes the services filter', async () => {
    healthMock.on(DescribeEventsCommand).resolves({ events: [] });
    await collect({ client, since: SINCE, account: ACCOUNT, services: ['EC2', 'LAMBDA'] });
    expect(healthMock.commandCalls(DescribeEventsCommand)[0]?.args[0].input.filter?.services).toEqual(['EC2', 'LAMBDA']);
    expect(healthMock.commandCalls(DescribeEventDetailsCommand)).toHaveLength(0);
  });

  it('quarantines unparseable details and ARNs missing from both sets', async () => {
    healthMock.on(DescribeEventsCommand).resolves({ events: [sdkEvent(1), sdkEvent(2), { service: 'EC2' }] });
    healthMock.on(DescribeEventDetailsCommand).resolves({
      successfulSet: [{ event: { ...sdkEvent(1), startTime: new Date('invalid') } }],
      failedSet: [],
    });
    healthMock.on(DescribeAffectedEntitiesCommand).resolves({ entities: [] });
    const items = await collect({ client, since: SINCE, account: ACCOUNT });
    expect(items.every(isQuarantined)).toBe(true);
    const reasons = items.map((i) => (isQuarantined(i) ? `${i.quarantined.source}: ${i.quarantined.reason}` : ''));
    expect(reasons).toEqual([
      'DescribeEvents: event without arn',
      expect.stringMatching(/^DescribeEventDetails: event\.startTime: invalid Date/),
      'DescribeEventDetails: event missing from both successfulSet and failedSet',
    ]);
  });

  it('retries throttling with backoff, then succeeds', async () => {
    healthMock
      .on(DescribeEventsCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .resolves({ events: [sdkEvent(1)] });
    healthMock
      .on(DescribeEventDetailsCommand)
      .rejectsOnce(throttling())
      .resolves({ successfulSet: [{ event: sdkEvent(1) }], failedSet: [] });
    healthMock.on(DescribeAffectedEntitiesCommand).resolves({ entities: [] });
    const sleep = vi.fn(async (_ms: number) => {});
    const items = await collect({ client, since: SINCE, account: ACCOUNT, retry: { sleep, random: () => 1, baseDelayMs: 100 } });
    expect(items).toHaveLength(1);
    expect(isQuarantined(items[0] as SweepItem)).toBe(false);
    expect(healthMock.commandCalls(DescribeEventsCommand)).toHaveLength(3);
    expect(healthMock.commandCalls(DescribeEventDetailsCommand)).toHaveLength(2);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([100, 200, 100]);
  });

  it('gives up after maxRetries throttles', async () => {
    healthMock.on(DescribeEventsCommand).rejects(throttling());
    await expect(collect({ client, since: SINCE, account: ACCOUNT, retry: { ...noSleep, maxRetries: 2 } })).rejects.toThrow(
      'Rate exceeded',
    );
    expect(healthMock.commandCalls(DescribeEventsCommand)).toHaveLength(3);
  });

  it('SubscriptionRequiredException → HealthSubscriptionRequiredError, no retry', async () => {
    healthMock.on(DescribeEventsCommand).rejects(subscriptionRequired());
    const err = await collect({ client, since: SINCE, account: ACCOUNT, retry: noSleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HealthSubscriptionRequiredError);
    expect((err as Error).message).toMatch(/^AWS Health API needs a Business, Enterprise On-Ramp or Enterprise support plan/);
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).cause).toMatchObject({ name: 'SubscriptionRequiredException' });
    expect(healthMock.commandCalls(DescribeEventsCommand)).toHaveLength(1);
  });

  it('other errors propagate unchanged and are not retried', async () => {
    healthMock.on(DescribeEventsCommand).rejects(new InvalidPaginationToken({ message: 'bad token', $metadata: {} }));
    await expect(collect({ client, since: SINCE, account: ACCOUNT, retry: noSleep })).rejects.toBeInstanceOf(InvalidPaginationToken);
    expect(healthMock.commandCalls(DescribeEventsCommand)).toHaveLength(1);
  });

  it('an entity lookup failure of a PUBLIC event quarantines (ARN and error in the reason) and still yields the event with a note', async () => {
    healthMock.on(DescribeEventsCommand).resolves({ events: [sdkEvent(1)] });
    healthMock.on(DescribeEventDetailsCommand).resolves({ successfulSet: [{ event: sdkEvent(1) }] });
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    healthMock.on(DescribeAffectedEntitiesCommand).rejects(denied);
    const items = await collect({ client, since: SINCE, account: ACCOUNT, retry: noSleep });
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({
      quarantined: {
        source: 'DescribeAffectedEntities',
        reason: `affected entities of ${arn(1)} could not be read (AccessDeniedException: no)`,
        raw: { eventArn: arn(1) },
      },
    });
    expect((items[1] as HealthEvent).parseNotes).toContain('affected entities may be incomplete (entity lookup failed)');
  });

  it.each([['ACCOUNT_SPECIFIC' as const], ['NONE' as const], [undefined]])(
    'an entity lookup failure of a %s-scoped event yields only the quarantined entry (it would read as Region-wide)',
    async (scope) => {
      const accountSpecific = { ...sdkEvent(1), eventScopeCode: scope };
      healthMock.on(DescribeEventsCommand).resolves({ events: [accountSpecific, sdkEvent(2)] });
      healthMock.on(DescribeEventDetailsCommand).resolves({
        successfulSet: [{ event: accountSpecific }, { event: { ...sdkEvent(2), eventScopeCode: 'ACCOUNT_SPECIFIC' } }],
      });
      healthMock
        .on(DescribeAffectedEntitiesCommand, { filter: { eventArns: [arn(1)] } })
        .rejects(Object.assign(new Error('Internal failure'), { name: 'InternalFailure' }));
      healthMock
        .on(DescribeAffectedEntitiesCommand, { filter: { eventArns: [arn(2)] } })
        .resolves({ entities: [{ eventArn: arn(2), entityValue: 'i-2', statusCode: 'IMPAIRED' }] });
      const warn = vi.fn();
      const items = await collect({ client, since: SINCE, account: ACCOUNT, retry: noSleep, logger: { warn } });
      expect(items).toHaveLength(2);
      expect(items[0]).toEqual({
        quarantined: {
          source: 'DescribeAffectedEntities',
          reason: `affected entities of ${arn(1)} could not be read (InternalFailure: Internal failure)`,
          raw: { eventArn: arn(1) },
        },
      });
      // The other account-specific event, whose entities were read, goes on as usual.
      expect(isQuarantined(items[1]!)).toBe(false);
      expect((items[1] as HealthEvent).eventArn).toBe(arn(2));
      expect((items[1] as HealthEvent).affectedEntities.map((e) => e.entityValue)).toEqual(['i-2']);
      expect(warn).toHaveBeenCalledWith('DescribeAffectedEntities failed', { eventArn: arn(1), error: 'InternalFailure: Internal failure' });
    },
  );
});

describe('organization sweep', () => {
  it('uses the ForOrganization calls with {eventArn, awsAccountId} batches ≤10', async () => {
    const orgEvents = [sdkEvent(1), sdkEvent(2), { ...sdkEvent(3), eventScopeCode: 'PUBLIC' as const }];
    const accountsByEvent: Record<string, string[]> = {
      [arn(1)]: Array.from({ length: 12 }, (_, k) => String(100000000000 + k)),
      [arn(2)]: ['222222222222'],
      [arn(3)]: [],
    };
    healthMock.on(DescribeEventsForOrganizationCommand).callsFake((input: { nextToken?: string }) => {
      const { page, nextToken } = paged(orgEvents, 2, input.nextToken);
      return { events: page, nextToken };
    });
    healthMock
      .on(DescribeAffectedAccountsForOrganizationCommand)
      .callsFake((input: { eventArn: string; nextToken?: string }) => {
        const { page, nextToken } = paged(accountsByEvent[input.eventArn] ?? [], 5, input.nextToken);
        return { affectedAccounts: page, nextToken };
      });
    healthMock
      .on(DescribeEventDetailsForOrganizationCommand)
      .callsFake((input: { organizationEventDetailFilters: { eventArn: string; awsAccountId?: string }[] }) => ({
        successfulSet: input.organizationEventDetailFilters
          .filter((f) => f.awsAccountId !== '100000000003')
          .map((f) => ({
            awsAccountId: f.awsAccountId,
            event: orgEvents.find((e) => e.arn === f.eventArn),
            eventDescription: { latestDescription: 'org' },
          })),
        // AHA issue #106: failedSet items may lack awsAccountId
        failedSet: input.organizationEventDetailFilters
          .filter((f) => f.awsAccountId === '100000000003')
          .map((f) => ({ eventArn: f.eventArn, errorName: 'AccessDenied', errorMessage: 'account left the org' })),
      }));
    healthMock
      .on(DescribeAffectedEntitiesForOrganizationCommand)
      .callsFake((input: { organizationEntityAccountFilters: { eventArn: string; awsAccountId?: string }[]; nextToken?: string }) => {
        const f = input.organizationEntityAccountFilters[0];
        const entities = [1, 2, 3].map((k) => ({ entityValue: `i-${f?.awsAccountId ?? 'public'}-${k}`, awsAccountId: f?.awsAccountId }));
        const { page, nextToken } = paged(entities, 2, input.nextToken);
        return { entities: page, nextToken };
      });

    const items = await collect({ client, since: SINCE, account: ACCOUNT, organization: true, retry: noSleep });

    expect(healthMock.commandCalls(DescribeEventsCommand)).toHaveLength(0);
    const eventCalls = healthMock.commandCalls(DescribeEventsForOrganizationCommand);
    expect(eventCalls).toHaveLength(2);
    expect(eventCalls[0]?.args[0].input.filter).toEqual({ lastUpdatedTime: { from: SINCE }, eventTypeCategories: ['issue'] });

    // accounts: event 1 has 12 accounts → 3 pages; events 2 and 3 → 1 page each
    expect(healthMock.commandCalls(DescribeAffectedAccountsForOrganizationCommand)).toHaveLength(5);

    // 12 + 1 + 1 filters → batches of 10 and 4
    const detailCalls = healthMock.commandCalls(DescribeEventDetailsForOrganizationCommand);
    const filters = detailCalls.map((c) => c.args[0].input.organizationEventDetailFilters ?? []);
    expect(filters.map((f) => f.length)).toEqual([10, 4]);
    expect(filters.flat()).toContainEqual({ eventArn: arn(2), awsAccountId: '222222222222' });
    expect(filters.flat()).toContainEqual({ eventArn: arn(3) }); // public event: no account list

    const parsed = items.filter((i): i is HealthEvent => !isQuarantined(i));
    const quarantined = items.filter(isQuarantined);
    expect(parsed).toHaveLength(13);
    expect(quarantined).toEqual([
      {
        quarantined: {
          source: 'DescribeEventDetailsForOrganization',
          reason: 'AccessDenied: account left the org',
          raw: { eventArn: arn(1), errorName: 'AccessDenied', errorMessage: 'account left the org' },
        },
      },
    ]);
    const forAccount2 = parsed.find((e) => e.account === '222222222222');
    expect(forAccount2?.affectedEntities.map((e) => e.entityValue)).toEqual(['i-222222222222-1', 'i-222222222222-2', 'i-222222222222-3']);
    const publicEvent = parsed.find((e) => e.eventArn === arn(3));
    expect(publicEvent?.account).toBe(ACCOUNT);
    // entities: 13 successful (event, account) pairs × 2 pages
    const entityCalls = healthMock.commandCalls(DescribeAffectedEntitiesForOrganizationCommand);
    expect(entityCalls).toHaveLength(13 * 2);
    expect(entityCalls[0]?.args[0].input.organizationEntityAccountFilters).toEqual([
      { eventArn: arn(1), awsAccountId: '100000000000' },
    ]);
  });

  it('retries throttled DescribeAffectedAccountsForOrganization (AHA issue #9)', async () => {
    healthMock.on(DescribeEventsForOrganizationCommand).resolves({ events: [sdkEvent(1)] });
    healthMock
      .on(DescribeAffectedAccountsForOrganizationCommand)
      .rejectsOnce(throttling())
      .resolves({ affectedAccounts: ['222222222222'] });
    healthMock.on(DescribeEventDetailsForOrganizationCommand).resolves({
      successfulSet: [{ awsAccountId: '222222222222', event: sdkEvent(1) }],
    });
    healthMock.on(DescribeAffectedEntitiesForOrganizationCommand).resolves({ entities: [] });
    const items = await collect({ client, since: SINCE, account: ACCOUNT, organization: true, retry: noSleep });
    expect(items).toHaveLength(1);
    expect((items[0] as HealthEvent).account).toBe('222222222222');
    expect(healthMock.commandCalls(DescribeAffectedAccountsForOrganizationCommand)).toHaveLength(2);
  });

  it('SubscriptionRequiredException in org mode', async () => {
    healthMock.on(DescribeEventsForOrganizationCommand).rejects(subscriptionRequired());
    await expect(collect({ client, since: SINCE, account: ACCOUNT, organization: true })).rejects.toBeInstanceOf(
      HealthSubscriptionRequiredError,
    );
  });

  it('entity failedSet is quarantined, the event is still yielded', async () => {
    healthMock.on(DescribeEventsForOrganizationCommand).resolves({ events: [sdkEvent(1)] });
    healthMock.on(DescribeAffectedAccountsForOrganizationCommand).resolves({ affectedAccounts: ['222222222222'] });
    healthMock.on(DescribeEventDetailsForOrganizationCommand).resolves({
      successfulSet: [{ awsAccountId: '222222222222', event: sdkEvent(1) }],
    });
    healthMock.on(DescribeAffectedEntitiesForOrganizationCommand).resolves({
      entities: [],
      failedSet: [{ eventArn: arn(1), awsAccountId: '222222222222', errorName: 'InternalError', errorMessage: 'x' }],
    });
    const items = await collect({ client, since: SINCE, account: ACCOUNT, organization: true, retry: noSleep });
    expect(items.map((i) => (isQuarantined(i) ? i.quarantined.reason : 'event'))).toEqual(['InternalError: x', 'event']);
    expect((items[1] as HealthEvent).parseNotes).toContain('affected entities may be incomplete (entity lookup failed)');
  });
});

describe('organization sweep: entity lookup failures of account-specific events', () => {
  const ORG_ACCOUNT = '222222222222';
  const accountSpecific = { ...sdkEvent(1), eventScopeCode: 'ACCOUNT_SPECIFIC' as const };

  function setupOrg(): void {
    healthMock.on(DescribeEventsForOrganizationCommand).resolves({ events: [accountSpecific] });
    healthMock.on(DescribeAffectedAccountsForOrganizationCommand).resolves({ affectedAccounts: [ORG_ACCOUNT] });
    healthMock.on(DescribeEventDetailsForOrganizationCommand).resolves({
      successfulSet: [{ awsAccountId: ORG_ACCOUNT, event: accountSpecific }],
    });
  }

  it('a thrown lookup failure yields only the quarantined entry, naming the event ARN and the error', async () => {
    setupOrg();
    healthMock
      .on(DescribeAffectedEntitiesForOrganizationCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const items = await collect({ client, since: SINCE, account: ACCOUNT, organization: true, retry: noSleep });
    expect(items).toEqual([
      {
        quarantined: {
          source: 'DescribeAffectedEntitiesForOrganization',
          reason: `affected entities of ${arn(1)} could not be read (AccessDeniedException: denied)`,
          raw: { eventArn: arn(1), awsAccountId: ORG_ACCOUNT },
        },
      },
    ]);
  });

  it('an entity failedSet yields only the quarantined entry', async () => {
    setupOrg();
    healthMock.on(DescribeAffectedEntitiesForOrganizationCommand).resolves({
      entities: [],
      failedSet: [{ eventArn: arn(1), awsAccountId: ORG_ACCOUNT, errorName: 'InternalError', errorMessage: 'x' }],
    });
    const items = await collect({ client, since: SINCE, account: ACCOUNT, organization: true, retry: noSleep });
    expect(items.map((i) => (isQuarantined(i) ? i.quarantined.reason : 'event'))).toEqual(['InternalError: x']);
  });
});

describe('withThrottleRetry / helpers', () => {
  it('backs off exponentially with a cap and jitter', async () => {
    const sleep = vi.fn(async (_ms: number) => {});
    let n = 0;
    const result = await withThrottleRetry(
      async () => {
        if (n++ < 5) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
        return 'ok';
      },
      { sleep, random: () => 0, baseDelayMs: 100, maxDelayMs: 1000, maxRetries: 6 },
    );
    expect(result).toBe('ok');
    // delay = min(cap, base·2^attempt) · (0.5 + 0.5·random) with random = 0
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([50, 100, 200, 400, 500]);
  });

  it('recognises throttling by name or HTTP 429', () => {
    expect(isThrottlingError(throttling())).toBe(true);
    expect(isThrottlingError(Object.assign(new Error('x'), { name: 'TooManyRequestsException' }))).toBe(true);
    expect(isThrottlingError(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isThrottlingError(new Error('ThrottlingException'))).toBe(false);
    expect(isThrottlingError(null)).toBe(false);
  });

  it("the wiring's Health client is created once, in us-east-1 (the Health API's endpoint), with 10 attempts", async () => {
    const { clients } = await import('../../handlers/wiring.ts');
    const a = await clients.health();
    expect(await clients.health()).toBe(a);
    expect(await a.config.region()).toBe('us-east-1');
    // The budgeted strategy decides the attempts (config.maxAttempts keeps the SDK's unused default).
    const strategy = (await a.config.retryStrategy()) as unknown as { maxAttempts(): Promise<number> };
    expect(await strategy.maxAttempts()).toBe(10);
  });

  it('refuses to sweep without a client (no hidden default client)', async () => {
    await expect(collect({ since: SINCE, account: ACCOUNT })).rejects.toThrow('options.client is required');
  });
});
