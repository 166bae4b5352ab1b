/**
 * handlers/health-backfill.ts `runBackfill` against DynamoDB Local, with a fake Health sweep.
 * ingestDeps() (handlers/wiring.ts) builds its deps from the environment once per module instance, so the
 * environment is set before the handler module is imported.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { SweepItem, SweepOptions } from '../../src/health/backfill.ts';
import { HealthSubscriptionRequiredError } from '../../src/health/throttle.ts';
import { parseEventBridgeHealthEvent } from '../../src/health/parse.ts';
import type { HealthEvent } from '../../src/health/types.ts';
import { ingestEvent } from '../../src/pipeline/ingest.ts';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { QuarantineStore } from '../../src/pipeline/quarantine.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { createLocalDb, type Db } from '../../src/store/clients.ts';
import { ensureTable } from '../../src/store/table.ts';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:sla-claims-dev-healthBackfill`;
const context: Pick<Context, 'invokedFunctionArn'> = { invokedFunctionArn: FUNCTION_ARN };

const ENV_KEYS = [
  'CONTRACT_FILE',
  'CONTRACT_PARAM',
  'SPEND_SOURCE',
  'TABLE_NAME',
  'DYNAMODB_ENDPOINT',
  'HEALTH_ACCOUNT_ID',
  'HEALTH_ORGANIZATION_VIEW',
  'BACKFILL_LOOKBACK_HOURS',
] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let db: Db;
let backfill: typeof import('../../handlers/health-backfill.ts');

beforeAll(async () => {
  const tableName = `backfill-${randomUUID().slice(0, 8)}`;
  const endpoint = inject('dynamoEndpoint');
  db = createLocalDb(tableName, endpoint);
  await ensureTable(db.client, tableName);
  process.env.CONTRACT_FILE = resolve(import.meta.dirname, '../../config/contract.example.yml');
  delete process.env.CONTRACT_PARAM;
  process.env.SPEND_SOURCE = 'none';
  process.env.TABLE_NAME = tableName;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  delete process.env.HEALTH_ACCOUNT_ID;
  delete process.env.HEALTH_ORGANIZATION_VIEW;
  delete process.env.BACKFILL_LOOKBACK_HOURS;
  backfill = await import('../../handlers/health-backfill.ts');
});

afterAll(() => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  db?.client.destroy();
});

beforeEach(() => {
  delete process.env.HEALTH_ACCOUNT_ID;
  delete process.env.HEALTH_ORGANIZATION_VIEW;
  delete process.env.BACKFILL_LOOKBACK_HOURS;
});
afterEach(() => {
  delete process.env.HEALTH_ACCOUNT_ID;
  delete process.env.HEALTH_ORGANIZATION_VIEW;
  delete process.env.BACKFILL_LOOKBACK_HOURS;
});

/** A fake sweep yielding `items` (then optionally throwing), recording the options it was called with. */
function fakeSweep(items: SweepItem[], thenThrow?: unknown) {
  const calls: SweepOptions[] = [];
  const sweep = async function* (options: SweepOptions): AsyncGenerator<SweepItem> {
    calls.push(options);
    for (const item of items) yield item;
    if (thenThrow !== undefined) throw thenThrow;
  };
  return { sweep, calls };
}

function healthEvent(spec: Partial<EnvelopeSpec> & { eventArn: string }): HealthEvent {
  return parseEventBridgeHealthEvent(
    healthEnvelope({
      account: ACCOUNT,
      service: 'DYNAMODB',
      eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
      region: 'us-east-1',
      start: '2025-10-20T06:48:00Z',
      end: '2025-10-20T09:40:00Z',
      lastUpdated: '2025-10-20T09:45:00Z',
      status: 'closed',
      description: 'Increased error rates for DynamoDB in US-EAST-1. Resolved.',
      ...spec,
    }),
  );
}

const uniqueArn = (service = 'DYNAMODB') =>
  `arn:aws:health:us-east-1::event/${service}/AWS_${service}_OPERATIONAL_ISSUE/AWS_${service}_OPERATIONAL_ISSUE_${randomUUID().slice(0, 8)}`;

describe('runBackfill', () => {
  it('ingests swept events: claims are created in the table', async () => {
    const eventArn = uniqueArn();
    const { sweep } = fakeSweep([healthEvent({ eventArn })]);
    const result = await backfill.runBackfill(context, sweep);
    expect(result).toEqual({ events: 1, quarantined: 0, claimsTouched: 1 });
    const claims = await new DynamoClaimStore(db).listClaimsByMonth('2025-10');
    const claim = claims.find((c) => c.account === ACCOUNT && c.slaId === 'dynamodb' && c.region === 'us-east-1');
    expect(claim).toBeDefined();
    expect(claim).toMatchObject({ resource: null, month: '2025-10', downtimeMinutes: 172, chargesCents: null });
    expect(claim!.evidence.map((e) => e.eventArn)).toContain(eventArn);
  });

  it('re-running over the same event changes nothing (duplicate update, no claims touched)', async () => {
    const event = healthEvent({ eventArn: uniqueArn(), account: OTHER_ACCOUNT });
    const first = await backfill.runBackfill(context, fakeSweep([event]).sweep);
    expect(first).toEqual({ events: 1, quarantined: 0, claimsTouched: 1 });
    const again = await backfill.runBackfill(context, fakeSweep([event]).sweep);
    expect(again).toEqual({ events: 1, quarantined: 0, claimsTouched: 0 });
  });

  it('counts uncovered events without touching claims', async () => {
    const uncovered = healthEvent({ eventArn: uniqueArn('SQS'), service: 'SQS', eventTypeCode: 'AWS_SQS_OPERATIONAL_ISSUE', description: 'SQS errors.' });
    const result = await backfill.runBackfill(context, fakeSweep([uncovered]).sweep);
    expect(result).toEqual({ events: 1, quarantined: 0, claimsTouched: 0 });
  });

  it('stores quarantined items with their source and reason', async () => {
    const reason = `detail.startTime: not a date (got "yesterday") ${randomUUID()}`;
    const raw = { arn: 'arn:aws:health:us-east-1::event/BROKEN', startTime: 'yesterday', marker: randomUUID() };
    const { sweep } = fakeSweep([{ quarantined: { source: 'DescribeEventDetails', reason, raw } }, healthEvent({ eventArn: uniqueArn() })]);
    const result = await backfill.runBackfill(context, sweep);
    expect(result).toEqual({ events: 1, quarantined: 1, claimsTouched: 1 });
    const store = new QuarantineStore(db);
    const record = (await store.list()).find((r) => r.reason === reason);
    expect(record).toMatchObject({ source: 'health-api:DescribeEventDetails', reason });
    expect(JSON.parse(await store.raw(record!.id))).toEqual(raw);
  });

  it('passes the account from the function ARN, the lookback window and the organization flag to the sweep', async () => {
    const { sweep, calls } = fakeSweep([]);
    const before = Date.now();
    const result = await backfill.runBackfill(context, sweep);
    const after = Date.now();
    expect(result).toEqual({ events: 0, quarantined: 0, claimsTouched: 0 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.account).toBe(ACCOUNT);
    expect(calls[0]!.organization).toBe(false);
    // Default lookback: 26 hours.
    expect(calls[0]!.since.getTime()).toBeGreaterThanOrEqual(before - 26 * 3_600_000);
    expect(calls[0]!.since.getTime()).toBeLessThanOrEqual(after - 26 * 3_600_000);
    expect(typeof calls[0]!.logger?.info).toBe('function');
  });

  it('honours BACKFILL_LOOKBACK_HOURS, HEALTH_ACCOUNT_ID and HEALTH_ORGANIZATION_VIEW', async () => {
    process.env.BACKFILL_LOOKBACK_HOURS = '2';
    process.env.HEALTH_ACCOUNT_ID = OTHER_ACCOUNT;
    process.env.HEALTH_ORGANIZATION_VIEW = 'true';
    const { sweep, calls } = fakeSweep([]);
    const before = Date.now();
    await backfill.runBackfill(context, sweep);
    const after = Date.now();
    expect(calls[0]!.account).toBe(OTHER_ACCOUNT);
    expect(calls[0]!.organization).toBe(true);
    expect(calls[0]!.since.getTime()).toBeGreaterThanOrEqual(before - 2 * 3_600_000);
    expect(calls[0]!.since.getTime()).toBeLessThanOrEqual(after - 2 * 3_600_000);
  });

  it('accountFromContext reads the fifth ARN field', () => {
    expect(backfill.accountFromContext(context)).toBe(ACCOUNT);
    expect(backfill.accountFromContext(undefined)).toBeUndefined();
    expect(backfill.accountFromContext({ invokedFunctionArn: 'not-an-arn' })).toBeUndefined();
  });

  it('fails when no account can be found, before sweeping', async () => {
    const { sweep, calls } = fakeSweep([]);
    await expect(backfill.runBackfill({ invokedFunctionArn: 'not-an-arn' }, sweep)).rejects.toThrow(
      'HEALTH_ACCOUNT_ID is not set and the account could not be read from the function ARN',
    );
    await expect(backfill.runBackfill(undefined, sweep)).rejects.toThrow('HEALTH_ACCOUNT_ID is not set');
    expect(calls).toHaveLength(0);
  });

  it.each(['0', '-1', '0.5', 'abc', '', '2161', 'Infinity'])('rejects BACKFILL_LOOKBACK_HOURS=%j naming the variable', async (value) => {
    process.env.BACKFILL_LOOKBACK_HOURS = value;
    const { sweep, calls } = fakeSweep([]);
    await expect(backfill.runBackfill(context, sweep)).rejects.toThrow(
      `BACKFILL_LOOKBACK_HOURS: expected hours between 1 and 2160 (got ${JSON.stringify(value)})`,
    );
    expect(calls).toHaveLength(0);
  });

  it.each(['1', '2160'])('accepts BACKFILL_LOOKBACK_HOURS=%s', async (value) => {
    process.env.BACKFILL_LOOKBACK_HOURS = value;
    const { sweep, calls } = fakeSweep([]);
    await expect(backfill.runBackfill(context, sweep)).resolves.toEqual({ events: 0, quarantined: 0, claimsTouched: 0 });
    expect(calls).toHaveLength(1);
  });

  it('a missing Health subscription skips the backfill without throwing, keeping what was done', async () => {
    const { sweep } = fakeSweep([healthEvent({ eventArn: uniqueArn() })], new HealthSubscriptionRequiredError());
    await expect(backfill.runBackfill(context, sweep)).resolves.toEqual({ events: 1, quarantined: 0, claimsTouched: 1, skipped: 'subscription-required' });
  });

  it('a subscription error before any event returns an empty skipped result', async () => {
    const { sweep } = fakeSweep([], new HealthSubscriptionRequiredError({ cause: new Error('SubscriptionRequiredException') }));
    await expect(backfill.runBackfill(context, sweep)).resolves.toEqual({ events: 0, quarantined: 0, claimsTouched: 0, skipped: 'subscription-required' });
  });

  it('other sweep errors propagate', async () => {
    const boom = Object.assign(new Error('Health is down'), { name: 'InternalFailure' });
    const { sweep } = fakeSweep([], boom);
    await expect(backfill.runBackfill(context, sweep)).rejects.toBe(boom);
  });

  it('one event whose ingest fails does not stop the sweep; the run then fails naming it, and the next run retries it', async () => {
    // August, so these claims are apart from the other tests' October ones.
    const august = { start: '2025-08-12T06:00:00Z', end: '2025-08-12T07:00:00Z', lastUpdated: '2025-08-12T07:05:00Z' };
    const before = healthEvent({ eventArn: uniqueArn(), ...august });
    const failing = healthEvent({ eventArn: uniqueArn(), account: OTHER_ACCOUNT, ...august });
    const after = healthEvent({ eventArn: uniqueArn(), region: 'eu-west-1', ...august });
    const boom = Object.assign(new Error('ConditionalCheckFailed storm'), { name: 'TransactionCanceledException' });
    const attempted: string[] = [];
    const flaky: typeof ingestEvent = async (event, source, deps, raw) => {
      attempted.push(event.eventArn);
      if (event.eventArn === failing.eventArn) throw boom;
      return ingestEvent(event, source, deps, raw);
    };
    const error = await backfill.runBackfill(context, fakeSweep([before, failing, after]).sweep, flaky).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(backfill.BackfillEventsFailedError);
    expect((error as Error).message).toBe(
      `Health API backfill: 1 event(s) failed to ingest and will be retried by the next run: ${failing.eventArn} (account ${OTHER_ACCOUNT})`,
    );
    expect((error as InstanceType<typeof backfill.BackfillEventsFailedError>).failed).toEqual([{ eventArn: failing.eventArn, account: OTHER_ACCOUNT }]);
    // The events before and after the failing one were ingested.
    expect(attempted).toEqual([before.eventArn, failing.eventArn, after.eventArn]);
    const claims = await new DynamoClaimStore(db).listClaimsByMonth('2025-08');
    const evidenceArns = claims.flatMap((c) => c.evidence.map((e) => e.eventArn));
    expect(evidenceArns).toContain(before.eventArn);
    expect(evidenceArns).toContain(after.eventArn);
    expect(evidenceArns).not.toContain(failing.eventArn);

    // The next (overlapping) run sees the same events: the two done ones change nothing, the failed one is ingested now.
    const retry = await backfill.runBackfill(context, fakeSweep([before, failing, after]).sweep);
    expect(retry).toEqual({ events: 3, quarantined: 0, claimsTouched: 1 });
    const claimsAfter = await new DynamoClaimStore(db).listClaimsByMonth('2025-08');
    expect(claimsAfter.flatMap((c) => c.evidence.map((e) => e.eventArn))).toContain(failing.eventArn);
  });

  it('lists every failed event; quarantined items and good events are still counted', async () => {
    const a = healthEvent({ eventArn: uniqueArn() });
    const b = healthEvent({ eventArn: uniqueArn(), account: OTHER_ACCOUNT });
    const reason = `bad ${randomUUID()}`;
    const failAll: typeof ingestEvent = async () => {
      throw new Error('DynamoDB said no');
    };
    const { sweep } = fakeSweep([a, { quarantined: { source: 'DescribeEventDetails', reason, raw: { reason } } }, b]);
    const error = await backfill.runBackfill(context, sweep, failAll).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(backfill.BackfillEventsFailedError);
    expect((error as Error).message).toContain('2 event(s) failed');
    expect((error as Error).message).toContain(a.eventArn);
    expect((error as Error).message).toContain(b.eventArn);
    expect((await new QuarantineStore(db).list()).some((r) => r.reason === reason)).toBe(true);
  });

  it('a sweep error still propagates as is after some events failed', async () => {
    const boom = Object.assign(new Error('Health is down'), { name: 'InternalFailure' });
    const failAll: typeof ingestEvent = async () => {
      throw new Error('nope');
    };
    const { sweep } = fakeSweep([healthEvent({ eventArn: uniqueArn() })], boom);
    await expect(backfill.runBackfill(context, sweep, failAll)).rejects.toBe(boom);
  });

  it('an error named like the subscription error but not of its class still propagates', async () => {
    const impostor = Object.assign(new Error('no plan'), { name: 'SubscriptionRequiredException' });
    const { sweep } = fakeSweep([], impostor);
    await expect(backfill.runBackfill(context, sweep)).rejects.toThrow('no plan');
  });
});
