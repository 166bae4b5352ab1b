import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverResources, resourceIdOf } from '../../src/metrics/discovery.ts';
import { cloudWatchApi, type MeasuredRecipe } from '../../src/metrics/ports.ts';

const cw = mockClient(CloudWatchClient);
afterEach(() => cw.reset());
const api = () => cloudWatchApi(new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));

const recipe = (dimensions: string[], discovery: MeasuredRecipe['discovery'] = { kind: 'list-metrics', namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency' }): MeasuredRecipe => ({
  kind: 'error-rate',
  requests: [{ namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency', dimensions, stat: 'SampleCount' }],
  errors: [{ namespace: 'AWS/DynamoDB', metricName: 'SystemErrors', dimensions, stat: 'Sum' }],
  periodSeconds: 300,
  discovery,
  caveats: [],
  sources: [],
});

const metric = (dims: Record<string, string>) => ({ Namespace: 'AWS/DynamoDB', MetricName: 'SuccessfulRequestLatency', Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) });

describe('resource discovery (CloudWatch ListMetrics)', () => {
  it('follows NextToken over every page and keeps only the dimension sets the recipe names', async () => {
    cw.on(ListMetricsCommand)
      .resolvesOnce({ Metrics: [metric({ TableName: 'orders', Operation: 'GetItem' }), metric({ TableName: 'orders', Operation: 'PutItem' }), metric({ Operation: 'GetItem' })], NextToken: 'p2' })
      .resolvesOnce({ Metrics: [metric({ TableName: 'users', Operation: 'Query' }), metric({ TableName: 'orders', Operation: 'GetItem' }), metric({ TableName: 'users' })] });
    const found = await discoverResources(api(), recipe(['TableName', 'Operation']), null);
    expect(found.calls).toBe(2);
    expect(found.resources).toEqual([
      { TableName: 'orders', Operation: 'GetItem' },
      { TableName: 'orders', Operation: 'PutItem' },
      { TableName: 'users', Operation: 'Query' },
    ]);
    expect(found.resourceCount).toBe(2); // two tables
    const calls = cw.commandCalls(ListMetricsCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({ Namespace: 'AWS/DynamoDB', MetricName: 'SuccessfulRequestLatency' });
    expect(calls[1]).toEqual({ Namespace: 'AWS/DynamoDB', MetricName: 'SuccessfulRequestLatency', NextToken: 'p2' });
  });

  it('names a resource-level claim’s resource directly when one dimension identifies it (no call)', async () => {
    const found = await discoverResources(api(), recipe(['TableName']), 'arn:aws:dynamodb:us-east-1:123456789012:table/orders');
    expect(found).toEqual({ resources: [{ TableName: 'orders' }], resourceCount: 1, calls: 0 });
    expect(cw.commandCalls(ListMetricsCommand)).toHaveLength(0);
  });

  it('lists a resource’s dimension sets filtered on it when the metric has more dimensions', async () => {
    cw.on(ListMetricsCommand).resolves({ Metrics: [metric({ TableName: 'orders', Operation: 'GetItem' })] });
    const found = await discoverResources(api(), recipe(['TableName', 'Operation']), 'orders');
    expect(found.resources).toEqual([{ TableName: 'orders', Operation: 'GetItem' }]);
    expect(cw.commandCalls(ListMetricsCommand)[0]!.args[0].input).toMatchObject({ Dimensions: [{ Name: 'TableName', Value: 'orders' }] });
  });

  it('reads an `api` discovery through ListMetrics and says so; a Region-level `contract` discovery finds nothing', async () => {
    cw.on(ListMetricsCommand).resolves({ Metrics: [metric({ TableName: 'orders' })] });
    const viaApi = await discoverResources(api(), recipe(['TableName'], { kind: 'api', call: 'dynamodb:ListTables' }), null);
    expect(viaApi.resources).toEqual([{ TableName: 'orders' }]);
    expect(viaApi.note).toMatch(/ListMetrics .* rather than dynamodb:ListTables/);
    const none = await discoverResources(api(), recipe(['TableName'], { kind: 'contract' }), null);
    expect(none.resources).toEqual([]);
    expect(none.note).toMatch(/names none/);
  });

  it.each([
    ['i-0abc', 'i-0abc'],
    ['arn:aws:ec2:us-east-1:123456789012:instance/i-0abc', 'i-0abc'],
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/checkout/50dc6c495c0c9188', 'net/checkout/50dc6c495c0c9188'],
    ['arn:aws:lambda:us-east-1:123456789012:function:checkout:3', 'checkout'],
    ['arn:aws:rds:us-east-1:123456789012:db:orders', 'orders'],
    ['arn:aws:s3:::my-bucket', 'my-bucket'],
  ])('dimension value of %s is %s', (resource, id) => {
    expect(resourceIdOf(resource)).toBe(id);
  });
});
