/** `--metrics FILE`: the CSV of datapoints, checked row by row, grouped into series per claim scope by the recipes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { withFleetSeries } from '../../src/cli/process-fleet-metrics.ts';
import { listRef } from '../../src/claims/fleet.ts';
import { fleetSeriesOf, MetricsCsvError, parseMetricsCsv, seriesFromRows } from '../../src/metrics/csv.ts';
import type { StoredClaim } from '../../src/pipeline/ports.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { memoryResourceLists } from '../helpers/resource-lists.ts';

const HEADER = 'account,region,namespace,metric,dimensions,timestamp,value';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');
const SLAS = new Map([
  ['dynamodb', { scope: 'region' as const }],
  ['ec2-instance', { scope: 'resource' as const }],
  ['lambda', { scope: 'region' as const }],
]);

describe('parseMetricsCsv', () => {
  it('reads rows, skipping blank and # lines', () => {
    const rows = parseMetricsCsv(['# synthetic', HEADER, '', '123456789012,us-east-1,AWS/DynamoDB,SystemErrors,TableName=orders;Operation=GetItem,2025-10-20T07:00:00Z,42'].join('\n'));
    expect(rows).toEqual([
      { line: 4, account: '123456789012', region: 'us-east-1', namespace: 'AWS/DynamoDB', metric: 'SystemErrors', dimensions: { TableName: 'orders', Operation: 'GetItem' }, timestampMs: Date.parse('2025-10-20T07:00:00Z'), value: 42 },
    ]);
  });

  it.each([
    ['account,region,metric', 'f.csv line 1: header: expected the header account,region,namespace,metric,dimensions,timestamp,value (got "account,region,metric")'],
    [csv('12,us-east-1,AWS/DynamoDB,SystemErrors,TableName=t,2025-10-20T07:00:00Z,1'), 'f.csv line 2: account: expected a 12-digit AWS account id (got "12")'],
    [csv('123456789012,mars,AWS/DynamoDB,SystemErrors,TableName=t,2025-10-20T07:00:00Z,1'), 'f.csv line 2: region: expected an AWS Region such as us-east-1 (got "mars")'],
    [csv('123456789012,us-east-1,AWS/DynamoDB,SystemErrors,TableName,2025-10-20T07:00:00Z,1'), 'f.csv line 2: dimensions: expected Name=Value pairs separated by ";", like TableName=orders;Operation=GetItem (got "TableName")'],
    [csv('123456789012,us-east-1,AWS/DynamoDB,SystemErrors,TableName=t,20 Oct 2025,1'), 'f.csv line 2: timestamp: expected an ISO-8601 instant with a time zone, like 2025-10-20T07:00:00Z (got "20 Oct 2025")'],
    [csv('123456789012,us-east-1,AWS/DynamoDB,SystemErrors,TableName=t,2025-10-20T07:00:00Z,-3'), 'f.csv line 2: value: expected a non-negative number, like 42 or 0.5 (got "-3")'],
    [csv('123456789012,us-east-1,AWS/DynamoDB,SystemErrors,2025-10-20T07:00:00Z,1'), 'f.csv line 2: row: expected 7 comma-separated fields (account,region,namespace,metric,dimensions,timestamp,value), found 6 (got "123456789012,us-east-1,AWS/DynamoDB,SystemErrors,2025-10-20T07:00:00Z,1")'],
    ['', 'f.csv: empty; expected the header account,region,namespace,metric,dimensions,timestamp,value'],
  ])('refuses a bad file naming line, field and value: %j', (text, message) => {
    expect(() => parseMetricsCsv(text, 'f.csv')).toThrow(new MetricsCsvError(message));
  });
});

describe('seriesFromRows', () => {
  it('sums a DynamoDB region scope: requests = successful + SystemErrors, failed = SystemErrors, per minute, over its tables', () => {
    const rows = parseMetricsCsv(
      csv(
        '123456789012,us-east-1,AWS/DynamoDB,SuccessfulRequestLatency,TableName=a;Operation=GetItem,2025-10-20T07:00:00Z,90',
        '123456789012,us-east-1,AWS/DynamoDB,SystemErrors,TableName=a;Operation=GetItem,2025-10-20T07:00:00Z,10',
        '123456789012,us-east-1,AWS/DynamoDB,SuccessfulRequestLatency,TableName=b;Operation=PutItem,2025-10-20T07:00:30Z,100',
        '123456789012,us-east-1,AWS/DynamoDB,SuccessfulRequestLatency,TableName=a;Operation=GetItem,2025-10-20T07:01:00Z,50',
        '123456789012,us-east-1,AWS/Lambda,Errors,FunctionName=f,2025-10-20T07:00:00Z,3',
      ),
    );
    const { series, unmatched } = seriesFromRows(rows, SLAS);
    expect(unmatched).toBe(1); // lambda has no recipe that reads Errors
    expect(series).toEqual([
      {
        account: '123456789012', region: 'us-east-1', slaId: 'dynamodb', resource: null, kind: 'error-rate', periodSeconds: 60,
        metrics: ['AWS/DynamoDB SuccessfulRequestLatency (SampleCount)', 'AWS/DynamoDB SystemErrors (Sum)'],
        resourceCount: 2,
        fromMs: Date.parse('2025-10-20T07:00:00Z'),
        toMs: Date.parse('2025-10-20T07:02:00Z'),
        points: [
          { startMs: Date.parse('2025-10-20T07:00:00Z'), total: 200, failed: 10 },
          { startMs: Date.parse('2025-10-20T07:01:00Z'), total: 50, failed: 0 },
        ],
      },
    ]);
  });

  it('gives a resource-level scope per instance, counting a minute Unavailable when StatusCheckFailed_System > 0', () => {
    const rows = parseMetricsCsv(
      csv(
        '123456789012,us-east-1,AWS/EC2,StatusCheckFailed_System,InstanceId=i-1,2025-10-20T07:00:00Z,1',
        '123456789012,us-east-1,AWS/EC2,StatusCheckFailed_System,InstanceId=i-1,2025-10-20T07:01:00Z,0',
        '123456789012,us-east-1,AWS/EC2,StatusCheckFailed_System,InstanceId=i-2,2025-10-20T07:00:00Z,0',
      ),
    );
    const { series } = seriesFromRows(rows, SLAS);
    expect(series.map((s) => [s.resource, s.kind, s.points.map((p) => [p.total, p.failed])])).toEqual([
      ['i-1', 'unavailable', [[1, 1], [1, 0]]],
      ['i-2', 'unavailable', [[1, 0]]],
    ]);
  });
});

describe('fleet claims from per-resource CSV series', () => {
  const rows = (instance: string, down: number[]) =>
    [0, 1, 2].map((m) => `123456789012,us-east-1,AWS/EC2,StatusCheckFailed_System,InstanceId=${instance},2025-10-20T07:0${m}:00Z,${down.includes(m) ? 1 : 0}`);
  const perResource = () =>
    seriesFromRows(parseMetricsCsv(csv(...rows('i-1', [0, 1]), ...rows('i-2', [0]), ...rows('i-9', []))), SLAS).series;

  it("sums the fleet's resources per minute (reporting, Unavailable), leaving out the others", () => {
    const fleet = fleetSeriesOf(perResource(), ['arn:aws:ec2:us-east-1:123456789012:instance/i-1', 'i-2'])!;
    expect(fleet).toMatchObject({ resource: null, slaId: 'ec2-instance', kind: 'unavailable', resourceCount: 2, fromMs: Date.parse('2025-10-20T07:00:00Z'), toMs: Date.parse('2025-10-20T07:03:00Z') });
    expect(fleet.points.map((p) => [p.total, p.failed])).toEqual([[2, 2], [2, 1], [2, 0]]);
    expect(fleetSeriesOf(perResource(), ['i-7'])).toBeNull();
  });

  it("process --metrics: the series of a fleet claim's resources become the fleet's one series; others stay as they are", async () => {
    const lists = memoryResourceLists();
    const many = ['i-1', 'i-2', ...Array.from({ length: 20 }, (_, i) => `i-0${i}`)];
    const ref = listRef([...many].sort());
    await lists.putResourceLists(ref.chunks!);
    const part = { incidents: ['k'], resourceCount: ref.resourceCount, resources: ref.resources, chunks: ref.chunks!.map((c) => c.id), downtimeMinutes: 3, uptimePercent: 99.99, creditPercent: 0, tierText: null, chargesCents: null, creditCents: null };
    const claim: StoredClaim = { claim: sampleClaim({ claimId: '123456789012#ec2-instance#us-east-1#2025-10', slaId: 'ec2-instance', fleet: { resourceCount: ref.resourceCount, parts: [part] } }), windows: {}, audit: [] };
    const store = { ...lists, getForRecompute: async (ids: readonly string[]) => new Map(ids.filter((id) => id === claim.claim.claimId).map((id) => [id, claim])) };
    expect(ref.resources).not.toContain('i-1');
    const out = await withFleetSeries(perResource(), store);
    // i-1 and i-2 are the fleet's (only in its resource-list item: they sort past the inline sample); i-9 is no fleet's.
    expect(out.map((s) => [s.resource, s.resourceCount])).toEqual([['i-9', 1], [null, 2]]);
    expect(out[1]!.points.map((p) => [p.total, p.failed])).toEqual([[2, 2], [2, 1], [2, 0]]);
    // No fleet claim for the scope: the per-resource series as they were.
    expect(await withFleetSeries(perResource(), { ...lists, getForRecompute: async () => new Map() })).toEqual(perResource());
  });
});

describe('sla-claims process --metrics', () => {
  it('rejects a bad row in one line with exit 2, before starting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-metrics-'));
    const file = join(dir, 'm.csv');
    writeFileSync(file, csv('123456789012,us-east-1,AWS/DynamoDB,SystemErrors,TableName=t,2025-10-20T07:00:00Z,many'));
    const err: string[] = [];
    const code = await main(['process', 'events', '--contract', 'config/contract.example.yml', '--metrics', file], { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err).toEqual([`sla-claims process: metrics file ${file} line 2: value: expected a non-negative number, like 42 or 0.5 (got "many")`]);
  });
});
