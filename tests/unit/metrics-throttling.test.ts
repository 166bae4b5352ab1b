/** Throttling goes through the real client stack (protocol, retry strategy): no aws-sdk-client-mock here. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_RETRY, BudgetedRetryStrategy } from '../../src/config/retry.ts';
import { CloudWatchSeriesReader } from '../../src/metrics/cloudwatch.ts';
import { cloudWatchApi, type MeasuredRecipe } from '../../src/metrics/ports.ts';

const ERROR_RATE: MeasuredRecipe = {
  kind: 'error-rate',
  requests: [{ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: ['FunctionName'], stat: 'Sum' }],
  errors: [{ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: ['FunctionName'], stat: 'Sum' }],
  periodSeconds: 60,
  discovery: { kind: 'list-metrics', namespace: 'AWS/Lambda', metricName: 'Invocations' },
  caveats: [],
  sources: [],
};
const T0 = Date.parse('2025-10-20T06:00:00Z');
const MIN = 60_000;

function response(statusCode: number, json: unknown, headers: Record<string, string> = {}) {
  const body = JSON.stringify(json);
  return {
    response: {
      statusCode,
      reason: statusCode === 200 ? 'OK' : 'Bad Request',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length), ...headers },
      body: Readable.from([Buffer.from(body)]),
    },
  };
}

describe('throttling', () => {
  it('is retried by the budgeted retry strategy over the real JSON protocol, and the series is read', async () => {
    let attempts = 0;
    const client = new CloudWatchClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      retryStrategy: new BudgetedRetryStrategy({ ...BACKGROUND_RETRY, throttlingBaseDelayMs: 1, baseDelayMs: 1 }),
      requestHandler: {
        handle: async () => {
          attempts++;
          if (attempts <= 2) {
            return response(400, { __type: 'com.amazonaws.cloudwatch#ThrottlingException', message: 'Rate exceeded' }, { 'x-amzn-query-error': 'Throttling;Sender' });
          }
          const body = { MetricDataResults: [{ Id: 'q0', Timestamps: [T0 / 1000], Values: [7], StatusCode: 'Complete' }, { Id: 'q1', Timestamps: [], Values: [], StatusCode: 'Complete' }] };
          return response(200, body);
        },
        updateHttpClientConfig() {},
        httpHandlerConfigs: () => ({}),
      } as never,
    });
    const read = await new CloudWatchSeriesReader(cloudWatchApi(client)).read({ recipe: ERROR_RATE, resources: [{ FunctionName: 'f1' }], fromMs: T0, toMs: T0 + MIN, periodSeconds: 60 });
    expect(attempts).toBe(3);
    expect(read.points).toEqual([{ startMs: T0, total: 7, failed: 0 }]);
  });
});
