/**
 * The SDK retry strategy of every client (src/config/retry.ts): a DynamoDB client against a request handler that
 * fails half of the requests with HTTP 500 still completes every operation, where the SDK's default strategy (its
 * non-refilling retry quota) gives up on many; plus the budget's rules on a fake clock.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_RETRY, BudgetedRetryStrategy, INTERACTIVE_RETRY, type RetryBudget } from '../../src/config/retry.ts';
import { createDb, createLocalDb, dbFromEnv } from '../../src/store/clients.ts';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** An HTTP handler in front of nothing: answers GetItem with `{}`, or a 500 with probability `faultRate`. */
function faultyHandler(faultRate: number, seed = 1) {
  const rand = lcg(seed);
  const counts = { requests: 0, faults: 0 };
  const handler = {
    async handle() {
      counts.requests++;
      const fault = rand() < faultRate;
      if (fault) counts.faults++;
      const body = fault ? '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected"}' : '{}';
      return {
        response: {
          statusCode: fault ? 500 : 200,
          reason: fault ? 'Internal Server Error' : 'OK',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length) },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  return { handler, counts };
}

async function run(client: DynamoDBClient, operations: number) {
  let failed = 0;
  for (let i = 0; i < operations; i++) {
    try {
      await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: `k${i}` } } }));
    } catch {
      failed++;
    }
  }
  return failed;
}

const LOCAL = { region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
// Same budget as in production, with millisecond delays so the test is fast.
const FAST: RetryBudget = { ...BACKGROUND_RETRY, baseDelayMs: 1, throttlingBaseDelayMs: 1, maxDelayMs: 2 };

describe('the clients’ retry strategy', () => {
  it('is the budgeted strategy by default, for createDb, createLocalDb and dbFromEnv', async () => {
    for (const db of [createDb('t', { region: 'us-east-1' }), createLocalDb('t', 'http://127.0.0.1:1'), dbFromEnv({ TABLE_NAME: 't', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' })]) {
      const strategy = await (db.client.config.retryStrategy as () => Promise<unknown>)();
      expect(strategy).toBeInstanceOf(BudgetedRetryStrategy);
      expect((strategy as BudgetedRetryStrategy).budget).toEqual(BACKGROUND_RETRY);
      db.client.destroy();
    }
    expect(INTERACTIVE_RETRY.budgetMs).toBeLessThanOrEqual(1_000); // Slack's 3 s, with room for the work itself
  });

  it('completes every operation under 50 % injected faults, where the SDK default gives up on many', async () => {
    const ours = faultyHandler(0.5, 7);
    const budgeted = createDb('t', { ...LOCAL, requestHandler: ours.handler as never, retryStrategy: new BudgetedRetryStrategy(FAST) });
    const oursFailed = await run(budgeted.client, 400);

    const theirs = faultyHandler(0.5, 7);
    const sdkDefault = new DynamoDBClient({ ...LOCAL, requestHandler: theirs.handler as never });
    const defaultFailed = await run(sdkDefault, 400);

    expect(oursFailed).toBe(0);
    expect(ours.counts.faults).toBeGreaterThan(300); // the faults did happen, and were retried
    expect(defaultFailed).toBeGreaterThan(40); // the default quota ran dry
  }, 60_000);

  it('stops at maxAttempts, retries only throttling and transient errors, and never past its time budget', async () => {
    const clock = { now: 0 };
    const s = new BudgetedRetryStrategy({ ...BACKGROUND_RETRY, maxAttempts: 3, budgetMs: 1_000 }, () => clock.now, () => 0.999);
    const error = new Error('x') as never;
    let token = await s.acquireInitialRetryToken('dynamodb');
    token = await s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error });
    expect(token.getRetryCount()).toBe(1);
    expect(token.getRetryDelay()).toBe(49); // full jitter over 50 ms
    token = await s.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING', error });
    expect(token.getRetryDelay()).toBe(999); // throttling starts at 500 ms: 500 · 2
    await expect(s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error })).rejects.toThrow('attempts exhausted');

    const first = await s.acquireInitialRetryToken('dynamodb');
    await expect(s.refreshRetryTokenForRetry(first, { errorType: 'CLIENT_ERROR', error })).rejects.toThrow('not retryable');
    await expect(s.refreshRetryTokenForRetry(first, { errorType: 'SERVER_ERROR', error })).rejects.toThrow('not retryable');
    clock.now = 990;
    await expect(s.refreshRetryTokenForRetry(first, { errorType: 'TRANSIENT', error })).rejects.toThrow('time budget exhausted');
  });

  it('spends its bucket during a storm, refunds a retry that succeeded, and refills with time', async () => {
    const clock = { now: 0 };
    const s = new BudgetedRetryStrategy({ ...BACKGROUND_RETRY, capacity: 10, retryCost: 5, refillPerSecond: 5 }, () => clock.now, () => 0);
    const error = new Error('x') as never;
    const retry = async () => s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken('x'), { errorType: 'TRANSIENT', error });
    const spent = await retry();
    await retry();
    expect(s.capacityLeft()).toBe(0);
    await expect(retry()).rejects.toThrow('retry capacity exhausted');
    s.recordSuccess(spent);
    expect(s.capacityLeft()).toBe(5);
    await retry();
    clock.now += 1_000;
    expect(s.capacityLeft()).toBe(5); // not locked out for the rest of the instance's life
    clock.now += 1_000;
    // An operation that needed two retries and then succeeded gives both back.
    let token = await s.acquireInitialRetryToken('x');
    token = await s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error });
    token = await s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error });
    expect(s.capacityLeft()).toBe(0);
    s.recordSuccess(token);
    expect(s.capacityLeft()).toBe(10);
  });

  it('gives back the retries of an operation the service then answered with a non-retryable error', async () => {
    // A conditional write applied on its first try but unanswered: the retry meets ConditionalCheckFailed. The
    // service is up, so the retries are refunded; without that, such answers drain the bucket (seen at 50 % faults).
    const s = new BudgetedRetryStrategy({ ...BACKGROUND_RETRY, capacity: 10, retryCost: 5, refillPerSecond: 0 }, () => 0, () => 0);
    const error = new Error('x') as never;
    for (let i = 0; i < 5; i++) {
      let token = await s.acquireInitialRetryToken('x');
      token = await s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error });
      token = await s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT', error });
      expect(s.capacityLeft()).toBe(0);
      await expect(s.refreshRetryTokenForRetry(token, { errorType: 'CLIENT_ERROR', error })).rejects.toThrow('not retryable');
      expect(s.capacityLeft()).toBe(10);
    }
  });
});
