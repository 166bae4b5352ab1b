import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { alignSpan, CloudWatchSeriesReader, MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL, minimumCalls, planCalls } from '../../src/metrics/cloudwatch.ts';
import { cloudWatchApi, type MeasuredRecipe } from '../../src/metrics/ports.ts';

const cw = mockClient(CloudWatchClient);
afterEach(() => cw.reset());

const ERROR_RATE: MeasuredRecipe = {
  kind: 'error-rate',
  requests: [{ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: ['FunctionName'], stat: 'Sum' }],
  errors: [{ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: ['FunctionName'], stat: 'Sum' }],
  periodSeconds: 60,
  discovery: { kind: 'list-metrics', namespace: 'AWS/Lambda', metricName: 'Invocations' },
  caveats: [],
  sources: [],
};
const UNAVAILABLE: MeasuredRecipe = {
  kind: 'unavailable',
  metric: { namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_System', dimensions: ['InstanceId'], stat: 'Maximum' },
  threshold: 0,
  periodSeconds: 60,
  discovery: { kind: 'contract' },
  caveats: [],
  sources: [],
};

const T0 = Date.parse('2025-10-20T06:00:00Z');
const MIN = 60_000;
const reader = () => new CloudWatchSeriesReader(cloudWatchApi(new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } })));
const inputs = () => cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input as GetMetricDataCommandInput);

/** What CloudWatch answers for each query of a call: `values(query index, interval start)` or undefined for none. */
function answer(input: GetMetricDataCommandInput, value: (metric: string, dim: string, t: number) => number | undefined): MetricDataResult[] {
  const from = input.StartTime!.getTime();
  const to = input.EndTime!.getTime();
  const period = input.MetricDataQueries![0]!.MetricStat!.Period! * 1000;
  return input.MetricDataQueries!.map((q) => {
    const metric = q.MetricStat!.Metric!;
    const Timestamps: Date[] = [];
    const Values: number[] = [];
    for (let t = from; t < to; t += period) {
      const v = value(metric.MetricName!, metric.Dimensions![0]!.Value!, t);
      if (v !== undefined) {
        Timestamps.push(new Date(t));
        Values.push(v);
      }
    }
    return { Id: q.Id, Label: metric.MetricName, Timestamps, Values, StatusCode: 'Complete' };
  });
}

describe('GetMetricData plan: 500 queries and 100 800 datapoints a call', () => {
  it('packs 1 000 resources × 2 metrics × 1 day at 60 s into the 29 calls the datapoint limit forces', () => {
    const plans = planCalls(2000, T0, T0 + 1440 * MIN, 60);
    expect(plans).toHaveLength(29);
    expect(minimumCalls(2000, 1440)).toBe(29);
    for (const p of plans) expect(p.count * 1440).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_CALL);
    expect(plans.reduce((n, p) => n + p.count, 0)).toBe(2000);
  });

  it('stops at 500 queries a call when the span is short', () => {
    const plans = planCalls(1200, T0, T0 + 60 * MIN, 60);
    expect(plans.map((p) => p.count)).toEqual([500, 500, 200]);
    expect(minimumCalls(1200, 60)).toBe(3);
    expect(MAX_QUERIES_PER_CALL).toBe(500);
  });

  it('splits a span of more than 100 800 intervals', () => {
    const intervals = MAX_DATAPOINTS_PER_CALL + 10;
    const plans = planCalls(1, T0, T0 + intervals * MIN, 60);
    expect(plans.map((p) => [p.fromMs, p.toMs])).toEqual([
      [T0, T0 + MAX_DATAPOINTS_PER_CALL * MIN],
      [T0 + MAX_DATAPOINTS_PER_CALL * MIN, T0 + intervals * MIN],
    ]);
  });

  it('aligns the span on the period', () => {
    expect(alignSpan(T0 + 61_000, T0 + 299_000, 300)).toEqual({ fromMs: T0, toMs: T0 + 300_000 });
  });
});

describe('CloudWatchSeriesReader', () => {
  it('sends real GetMetricData requests and sums requests and errors over resources per interval', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: answer(input, (m, fn, t) => {
        if (t >= T0 + 3 * MIN) return undefined; // no requests after 3 minutes: no datapoint
        return m === 'Invocations' ? 100 : fn === 'f1' ? 5 : 1;
      }),
    }));
    const read = await reader().read({ recipe: ERROR_RATE, resources: [{ FunctionName: 'f1' }, { FunctionName: 'f2' }], fromMs: T0, toMs: T0 + 5 * MIN, periodSeconds: 60 });
    expect(read.points).toEqual([0, 1, 2].map((i) => ({ startMs: T0 + i * MIN, total: 200, failed: 6 })));
    expect(read.unmeasured).toEqual([]);
    expect(read.calls).toBe(1);
    const [input] = inputs();
    expect(input!.ScanBy).toBe('TimestampAscending');
    expect(input!.StartTime).toEqual(new Date(T0));
    expect(input!.EndTime).toEqual(new Date(T0 + 5 * MIN));
    expect(input!.MetricDataQueries![0]).toEqual({
      Id: 'q0',
      MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'f1' }] }, Period: 60, Stat: 'Sum' },
      ReturnData: true,
    });
    expect(input!.MetricDataQueries!.map((q) => q.Id)).toEqual(['q0', 'q1', 'q2', 'q3']);
  });

  it('follows NextToken while results are PartialData, and resends the same queries with the token', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'q0', Timestamps: [new Date(T0)], Values: [10], StatusCode: 'PartialData' },
          { Id: 'q1', Timestamps: [new Date(T0)], Values: [1], StatusCode: 'PartialData' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'q0', Timestamps: [new Date(T0 + MIN)], Values: [20], StatusCode: 'Complete' },
          { Id: 'q1', Timestamps: [new Date(T0 + MIN)], Values: [2], StatusCode: 'Complete' },
        ],
      });
    const read = await reader().read({ recipe: ERROR_RATE, resources: [{ FunctionName: 'f1' }], fromMs: T0, toMs: T0 + 3 * MIN, periodSeconds: 60 });
    expect(read.points).toEqual([
      { startMs: T0, total: 10, failed: 1 },
      { startMs: T0 + MIN, total: 20, failed: 2 },
    ]);
    expect(read.unmeasured).toEqual([]);
    expect(read.calls).toBe(2);
    const [first, second] = inputs();
    expect(first!.NextToken).toBeUndefined();
    expect(second!.NextToken).toBe('page-2');
    expect(second!.MetricDataQueries).toEqual(first!.MetricDataQueries);
  });

  it('leaves the intervals an InternalError or PartialData query did not answer unmeasured, never 0', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q0', Timestamps: [new Date(T0), new Date(T0 + MIN), new Date(T0 + 2 * MIN)], Values: [10, 10, 10], StatusCode: 'Complete' },
        // errors: only the first interval came back, then an error without a token
        { Id: 'q1', Timestamps: [new Date(T0)], Values: [4], StatusCode: 'InternalError' },
      ],
    });
    const read = await reader().read({ recipe: ERROR_RATE, resources: [{ FunctionName: 'f1' }], fromMs: T0, toMs: T0 + 3 * MIN, periodSeconds: 60 });
    expect(read.points).toEqual([{ startMs: T0, total: 10, failed: 4 }]);
    expect(read.unmeasured).toEqual([T0 + MIN, T0 + 2 * MIN]);
    expect(read.incompleteQueries).toBe(1);
  });

  it('a query still PartialData after the last page leaves its gaps unmeasured', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q0', Timestamps: [], Values: [], StatusCode: 'PartialData' },
        { Id: 'q1', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
    });
    const read = await reader().read({ recipe: ERROR_RATE, resources: [{ FunctionName: 'f1' }], fromMs: T0, toMs: T0 + 2 * MIN, periodSeconds: 60 });
    expect(read.points).toEqual([]);
    expect(read.unmeasured).toEqual([T0, T0 + MIN]);
  });

  it('counts resources reporting and resources over the threshold for unavailable recipes', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: answer(input, (_m, id, t) => (id === 'i-1' ? (t === T0 + MIN ? 1 : 0) : t === T0 ? 0 : undefined)),
    }));
    const read = await reader().read({ recipe: UNAVAILABLE, resources: [{ InstanceId: 'i-1' }, { InstanceId: 'i-2' }], fromMs: T0, toMs: T0 + 2 * MIN, periodSeconds: 60 });
    expect(read.points).toEqual([
      { startMs: T0, total: 2, failed: 0 },
      { startMs: T0 + MIN, total: 1, failed: 1 },
    ]);
  });

  it('makes no call for a resource list without the metric’s dimensions', async () => {
    const read = await reader().read({ recipe: ERROR_RATE, resources: [{ TableName: 'orders' }], fromMs: T0, toMs: T0 + MIN, periodSeconds: 60 });
    expect(read).toMatchObject({ calls: 0, queries: 0, points: [] });
    expect(inputs()).toHaveLength(0);
  });

  it('keeps every call of a 1 000-resource day within both limits, and makes only the forced number of calls', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({ MetricDataResults: answer(input, (m) => (m === 'Errors' ? 1 : 10)) }));
    const resources = Array.from({ length: 1000 }, (_, i) => ({ FunctionName: `f${i}` }));
    const read = await reader().read({ recipe: ERROR_RATE, resources, fromMs: T0, toMs: T0 + 1440 * MIN, periodSeconds: 60 });
    expect(read.calls).toBe(minimumCalls(2000, 1440));
    for (const input of inputs()) {
      expect(input.MetricDataQueries!.length).toBeLessThanOrEqual(500);
      expect(input.MetricDataQueries!.length * 1440).toBeLessThanOrEqual(100_800);
    }
    expect(read.points).toHaveLength(1440);
    expect(read.points[0]).toEqual({ startMs: T0, total: 10_000, failed: 1000 });
  });
});


describe('queries', () => {
  it('leaves out a resource that lacks a dimension one of the metrics names (its errors would read as 0)', async () => {
    const { queriesOf } = await import('../../src/metrics/cloudwatch.ts');
    const mixed: MeasuredRecipe = { ...ERROR_RATE, kind: 'error-rate', requests: ERROR_RATE.kind === 'error-rate' ? ERROR_RATE.requests : [], errors: [{ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: ['FunctionName', 'Resource'], stat: 'Sum' }] } as MeasuredRecipe;
    expect(queriesOf(mixed, [{ FunctionName: 'f1' }])).toEqual([]);
    expect(queriesOf(mixed, [{ FunctionName: 'f1', Resource: 'f1' }])).toHaveLength(2);
  });
});
