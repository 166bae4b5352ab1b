import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Claim, IncidentWindow, WindowMap } from '../../src/claims/types.ts';
import { AssumedRoleMetricsAccess } from '../../src/metrics/assume-role.ts';
import { cloudWatchApi, type MeasuredRecipe } from '../../src/metrics/ports.ts';
import type { MetricRecipe, ScopeSeries } from '../../src/metrics/types.ts';
import { collectMetrics, planRead, windowsKeyOf, type CollectDeps } from '../../src/pipeline/collect-metrics.ts';
import type { StoredClaim } from '../../src/pipeline/ports.ts';
import type { SeriesEvidenceStore, SeriesHead, SeriesMeta } from '../../src/store/series-store.ts';
import type { Log } from '../../src/util/log.ts';
import { listRef } from '../../src/claims/fleet.ts';
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL, minimumCalls } from '../../src/metrics/cloudwatch.ts';
import { recipeFor } from '../../src/sla/recipes.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { memoryResourceLists } from '../helpers/resource-lists.ts';

const cw = mockClient(CloudWatchClient);
const sts = mockClient(STSClient);
afterEach(() => {
  cw.reset();
  sts.reset();
});

const H = 3_600_000;
const NOW = Date.parse('2025-10-20T12:00:00Z');
const START = Date.parse('2025-10-20T06:48:00Z');
const END = Date.parse('2025-10-20T09:40:00Z');

const DYNAMODB: MeasuredRecipe = {
  kind: 'error-rate',
  requests: [{ namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency', dimensions: ['TableName'], stat: 'SampleCount' }],
  errors: [{ namespace: 'AWS/DynamoDB', metricName: 'SystemErrors', dimensions: ['TableName'], stat: 'Sum' }],
  periodSeconds: 60,
  discovery: { kind: 'list-metrics', namespace: 'AWS/DynamoDB', metricName: 'SuccessfulRequestLatency' },
  caveats: [],
  sources: [],
};
const RECIPES: Record<string, MetricRecipe> = { dynamodb: DYNAMODB, route53: { kind: 'none', reason: 'no metric', sources: [] }, 'ec2-instance': recipeFor('ec2-instance')! };

function window(startMs: number, endMs: number | null): IncidentWindow {
  return { eventArn: `arn:aws:health:us-east-1::event/DYNAMODB/X/${startMs}`, service: 'DYNAMODB', eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE', region: 'us-east-1', statusCode: endMs ? 'closed' : 'open', startMs, endMs, lastUpdatedMs: startMs, description: '', affectedResources: [], affectedResourceCount: 0 };
}

function stored(claim: Partial<Claim>, windows: WindowMap): StoredClaim {
  return { claim: sampleClaim(claim), windows, audit: [] };
}

class MemorySeries implements SeriesEvidenceStore {
  readonly items = new Map<string, { series: ScopeSeries; meta: SeriesMeta }>();
  async heads(ids: readonly string[]) {
    const out = new Map<string, SeriesHead>();
    for (const id of ids) {
      const item = this.items.get(id);
      if (item) out.set(id, { claimId: id, ...item.meta } as SeriesHead);
    }
    return out;
  }
  async put(claimId: string, series: ScopeSeries, meta: SeriesMeta) {
    this.items.set(claimId, { series, meta: { ...meta } });
    return { claimId, generation: meta.collectedAt, ...meta } as SeriesHead;
  }
  async markFinal(claimId: string, generation: string) {
    const item = this.items.get(claimId);
    if (item && item.meta.collectedAt === generation) item.meta.final = true;
  }
}

function recordingLog() {
  const lines: string[] = [];
  const infos: string[] = [];
  const log: Log = { debug: () => {}, info: (m) => infos.push(m), warn: (m) => lines.push(`warn ${m}`), error: (m, e) => lines.push(`error ${m} ${JSON.stringify(e)}`) };
  return { log, lines, infos };
}

let claims: StoredClaim[];
let series: MemorySeries;
let applied: ScopeSeries[];
let logged: ReturnType<typeof recordingLog>;
let now: number;
let lists: ReturnType<typeof memoryResourceLists>;

function deps(overrides: Partial<CollectDeps> = {}): CollectDeps {
  return {
    claims: { listStoredByMonth: async (month) => claims.filter((c) => c.claim.month === month) },
    lists,
    series,
    access: new AssumedRoleMetricsAccess(new STSClient({ region: 'us-east-1' }), {
      roleName: 'sla-claims-metrics-reader',
      log: logged.log,
      now: () => now,
      cloudWatchFor: (region) => cloudWatchApi(new CloudWatchClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })),
    }),
    recipeOf: (id) => RECIPES[id],
    applySeries: async (s) => {
      applied.push(s);
    },
    now: () => now,
    log: logged.log,
    ...overrides,
  };
}

beforeEach(() => {
  now = NOW;
  claims = [stored({}, { a: window(START, END) })];
  series = new MemorySeries();
  applied = [];
  logged = recordingLog();
  lists = memoryResourceLists();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(NOW + H) } });
  cw.on(ListMetricsCommand).resolves({
    Metrics: ['orders', 'users'].map((t) => ({ Namespace: 'AWS/DynamoDB', MetricName: 'SuccessfulRequestLatency', Dimensions: [{ Name: 'TableName', Value: t }] })),
  });
  cw.on(GetMetricDataCommand).callsFake(answer);
});

function answer(input: GetMetricDataCommandInput) {
    const from = input.StartTime!.getTime();
    const to = input.EndTime!.getTime();
    const period = input.MetricDataQueries![0]!.MetricStat!.Period! * 1000;
    return {
      MetricDataResults: input.MetricDataQueries!.map((q) => {
        const errors = q.MetricStat!.Metric!.MetricName === 'SystemErrors';
        const Timestamps: Date[] = [];
        const Values: number[] = [];
        for (let t = from; t < to; t += period) {
          Timestamps.push(new Date(t));
          // 5 % errors during the first hour of the window only
          Values.push(errors ? (t >= START && t < START + H ? 5 : 0) : 100);
        }
        return { Id: q.Id, Timestamps, Values, StatusCode: 'Complete' };
      }),
    };
}

describe('collectMetrics', () => {
  it('reads the window ± 1 h in the member account, stores the series and recomputes the claim from it', async () => {
    const result = await collectMetrics(deps(), ['2025-10']);
    expect(result).toMatchObject({ considered: 1, collected: 1, upToDate: 0, denied: 0, failed: 0, listMetricsCalls: 1 });
    expect(result.getMetricDataCalls).toBe(1);
    const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.StartTime).toEqual(new Date(Date.parse('2025-10-20T05:48:00Z')));
    expect(input.EndTime).toEqual(new Date(Date.parse('2025-10-20T10:40:00Z')));
    expect(input.MetricDataQueries).toHaveLength(4); // 2 tables × (requests, errors)
    expect(applied).toHaveLength(1);
    const s = applied[0]!;
    expect(s).toMatchObject({ account: '123456789012', region: 'us-east-1', slaId: 'dynamodb', resource: null, kind: 'error-rate', periodSeconds: 60, resourceCount: 2 });
    expect(s.metrics).toEqual(['AWS/DynamoDB SuccessfulRequestLatency (SampleCount)', 'AWS/DynamoDB SystemErrors (Sum)']);
    expect(s.points).toHaveLength(292);
    expect(s.points.find((p) => p.startMs === START)).toEqual({ startMs: START, total: 200, failed: 10 });
    expect(s.points.find((p) => p.startMs === START + H)).toEqual({ startMs: START + H, total: 200, failed: 0 });
    expect(series.items.get(sampleClaim().claimId)!.meta).toMatchObject({ windowsKey: windowsKeyOf(claims[0]!.windows), final: true, collectedAt: '2025-10-20T12:00:00.000Z' });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.RoleArn).toBe('arn:aws:iam::123456789012:role/sla-claims-metrics-reader');
  });

  it('reads a claim once its windows are read in full, and again when a window changes', async () => {
    await collectMetrics(deps(), ['2025-10']);
    const again = await collectMetrics(deps(), ['2025-10']);
    expect(again).toMatchObject({ considered: 1, collected: 0, upToDate: 1 });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    claims = [stored({}, { a: window(START, END + H) })];
    now = END + 3 * H;
    expect(await collectMetrics(deps(), ['2025-10'])).toMatchObject({ collected: 1, upToDate: 0 });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });

  it('reads an open window up to now on every run, not final until its end + 1 h has passed', async () => {
    claims = [stored({}, { a: window(START, null) })];
    await collectMetrics(deps(), ['2025-10']);
    expect(series.items.get(sampleClaim().claimId)!.meta.final).toBe(false);
    expect(cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.EndTime).toEqual(new Date(NOW));
    now += 15 * 60_000;
    expect((await collectMetrics(deps(), ['2025-10'])).collected).toBe(1);
  });

  it('a denied role: one log line for the account, the claims stay health-window (nothing stored or recomputed), no throw', async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    claims = [stored({}, { a: window(START, END) }), stored({ claimId: '123456789012#lambda#us-east-1#2025-10', slaId: 'dynamodb' }, { a: window(START, END) })];
    const result = await collectMetrics(deps(), ['2025-10']);
    expect(result).toMatchObject({ considered: 2, collected: 0, denied: 2, failed: 0 });
    expect(applied).toEqual([]);
    expect(series.items.size).toBe(0);
    expect(logged.lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(logged.lines[0]).toMatch(/account 123456789012: role arn:aws:iam::123456789012:role\/sla-claims-metrics-reader cannot be assumed/);
  });

  it('CloudWatch AccessDenied through an assumed role (policy missing) is a refusal too, logged once', async () => {
    cw.on(ListMetricsCommand).rejects(Object.assign(new Error('not authorized to perform: cloudwatch:ListMetrics'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const result = await collectMetrics(deps(), ['2025-10']);
    expect(result).toMatchObject({ denied: 1, failed: 0, collected: 0 });
    expect(logged.lines).toEqual([expect.stringMatching(/^warn measured evidence: account 123456789012: CloudWatch refused the read \(AccessDenied/)]);
  });

  it('a recompute that fails leaves the read not final, so the next run reads and recomputes again', async () => {
    let fail = true;
    const d = deps({
      applySeries: async (s) => {
        if (fail) throw new Error('conditional write lost 20 times');
        applied.push(s);
      },
    });
    expect(await collectMetrics(d, ['2025-10'])).toMatchObject({ collected: 0, failed: 1 });
    expect(series.items.get(sampleClaim().claimId)!.meta.final).toBe(false);
    fail = false;
    expect(await collectMetrics(d, ['2025-10'])).toMatchObject({ collected: 1, upToDate: 0 });
    expect(series.items.get(sampleClaim().claimId)!.meta.final).toBe(true);
    expect(applied).toHaveLength(1);
  });

  it('a read with intervals CloudWatch did not answer is stored, not applied, and read again next run', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const out = answer(input);
      out.MetricDataResults[1] = { ...out.MetricDataResults[1]!, StatusCode: 'InternalError', Timestamps: [], Values: [] };
      return out;
    });
    expect(await collectMetrics(deps(), ['2025-10'])).toMatchObject({ collected: 0, incomplete: 1, failed: 0 });
    expect(applied).toEqual([]);
    const kept = series.items.get(sampleClaim().claimId)!;
    expect(kept.meta.final).toBe(false);
    expect(kept.series.unmeasured).toHaveLength(292);
    cw.on(GetMetricDataCommand).callsFake(answer);
    expect(await collectMetrics(deps(), ['2025-10'])).toMatchObject({ collected: 1, incomplete: 0 });
    expect(applied).toHaveLength(1);
  });

  it('one claim that fails does not stop the others, and is logged with its id', async () => {
    claims = [stored({}, { a: window(START, END) }), stored({ claimId: '123456789012#dynamodb#eu-west-1#2025-10', region: 'eu-west-1' }, { a: window(START + H, END) })];
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      if (input.StartTime!.getTime() === START - H) throw Object.assign(new Error('bad request'), { name: 'InvalidParameterCombinationException' });
      return answer(input);
    });
    const result = await collectMetrics(deps(), ['2025-10']);
    expect(result).toMatchObject({ collected: 1, failed: 1 });
    expect(logged.lines.some((l) => l.startsWith('error measured evidence: collection failed') && l.includes('#2025-10'))).toBe(true);
  });

  it('skips SLAs without a recipe, filed or closed claims, and defers what the deadline leaves', async () => {
    claims = [
      stored({ claimId: 'x#route53#global#2025-10', slaId: 'route53' }, { a: window(START, END) }),
      stored({ claimId: 'x#dynamodb#us-east-1#2025-10#s', status: 'submitted' }, { a: window(START, END) }),
      stored({}, { a: window(START, END) }),
    ];
    expect(await collectMetrics(deps({ deadlineMs: NOW - 1 }), ['2025-10'])).toMatchObject({ considered: 1, deferred: 1, collected: 0 });
  });
});

describe('planRead: what CloudWatch still keeps', () => {
  const windows = (start: number, end: number | null) => ({ a: window(start, end) });
  it('reads 1-minute data within 15 days, 5-minute data after, and clips at 63 days', () => {
    const day = 86_400_000;
    expect(planRead(windows(NOW - 2 * day, NOW - 2 * day + H), 60, NOW)).toMatchObject({ periodSeconds: 60, fromMs: NOW - 2 * day - H, toMs: NOW - 2 * day + 2 * H, final: true });
    expect(planRead(windows(NOW - 20 * day, NOW - 20 * day + H), 60, NOW)).toMatchObject({ periodSeconds: 300, note: expect.stringMatching(/1-minute data 15 days/) });
    const clipped = planRead(windows(NOW - 70 * day, NOW - 60 * day), 300, NOW)!;
    expect(clipped.fromMs).toBeGreaterThan(NOW - 63 * day);
    expect(clipped.note).toMatch(/5-minute data 63 days/);
    expect(planRead(windows(NOW - 80 * day, NOW - 70 * day), 300, NOW)).toBeNull();
  });
});

describe('collectMetrics: fleet claims (one claim for every affected instance of the account and Region)', () => {
  const FLEET_ID = '123456789012#ec2-instance#us-east-1#2025-10';
  const incident = (name: string) => `123456789012#arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/${name}`;

  function ec2Window(startMs: number, endMs: number, resources: string[]): IncidentWindow {
    return { ...window(startMs, endMs), eventArn: `arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/${startMs}`, service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', affectedResources: resources.slice(0, 20), affectedResourceCount: resources.length };
  }

  /** A fleet claim whose parts hold these sorted resource lists (chunks written to `lists` when over 20). */
  async function fleetClaim(partsResources: string[][], windows: WindowMap): Promise<StoredClaim> {
    const parts = [];
    for (const [i, resources] of partsResources.entries()) {
      const ref = listRef(resources);
      if (ref.chunks) await lists.putResourceLists(ref.chunks);
      parts.push({ incidents: [incident(`P${i}`)], resourceCount: ref.resourceCount, resources: ref.resources, ...(ref.chunks ? { chunks: ref.chunks.map((c) => c.id) } : {}), downtimeMinutes: 172, uptimePercent: 99.6147, creditPercent: 10, tierText: 't', chargesCents: null, creditCents: null });
    }
    const fleet = { resourceCount: parts.reduce((n, p) => n + p.resourceCount, 0), parts };
    return stored({ claimId: FLEET_ID, slaId: 'ec2-instance', resource: null, fleet }, windows);
  }

  /** StatusCheckFailed_System: 1 from the window's start for `downMinutes[instance]` minutes, else 0. */
  function ec2Answer(downMinutes: Record<string, number>) {
    return (input: GetMetricDataCommandInput) => {
      const from = input.StartTime!.getTime();
      const to = input.EndTime!.getTime();
      return {
        MetricDataResults: input.MetricDataQueries!.map((q) => {
          const id = q.MetricStat!.Metric!.Dimensions![0]!.Value!;
          const Timestamps: Date[] = [];
          const Values: number[] = [];
          for (let t = from; t < to; t += 60_000) {
            Timestamps.push(new Date(t));
            Values.push(t >= START && t < START + (downMinutes[id] ?? 0) * 60_000 ? 1 : 0);
          }
          return { Id: q.Id, Timestamps, Values, StatusCode: 'Complete' };
        }),
      };
    };
  }

  const queried = () => cw.commandCalls(GetMetricDataCommand).flatMap((c) => c.args[0].input.MetricDataQueries!.map((q) => q.MetricStat!.Metric!.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(';')));

  it('a one-part fleet of 3 instances reads all 3 (ARNs as their InstanceId), no ListMetrics, and stores one series for the fleet', async () => {
    const instances = ['arn:aws:ec2:us-east-1:123456789012:instance/i-0a', 'i-0b', 'i-0c'];
    claims = [await fleetClaim([instances], { [incident('P0')]: ec2Window(START, END, instances) })];
    cw.on(GetMetricDataCommand).callsFake(ec2Answer({ 'i-0a': 60, 'i-0b': 60, 'i-0c': 30 }));
    const result = await collectMetrics(deps(), ['2025-10']);
    expect(result).toMatchObject({ considered: 1, collected: 1, noResources: 0, fleetSkipped: 0, failed: 0, listMetricsCalls: 0, getMetricDataCalls: 1 });
    expect(queried().sort()).toEqual(['InstanceId=i-0a', 'InstanceId=i-0b', 'InstanceId=i-0c']);
    expect(applied).toHaveLength(1);
    const s = applied[0]!;
    expect(s).toMatchObject({ account: '123456789012', region: 'us-east-1', slaId: 'ec2-instance', resource: null, kind: 'unavailable', resourceCount: 3 });
    // Every instance reporting, all three down the first 30 minutes, two of three the next 30.
    expect(s.points.find((p) => p.startMs === START)).toEqual({ startMs: START, total: 3, failed: 3 });
    expect(s.points.find((p) => p.startMs === START + 45 * 60_000)).toEqual({ startMs: START + 45 * 60_000, total: 3, failed: 2 });
    expect(s.points.find((p) => p.startMs === START + H)).toEqual({ startMs: START + H, total: 3, failed: 0 });
    expect(series.items.get(FLEET_ID)!.series.resourceCount).toBe(3);
  });

  it('reads the full list of a fleet whose part keeps only a sample inline (chunks from the resource-list store)', async () => {
    const instances = Array.from({ length: 45 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    claims = [await fleetClaim([instances], { [incident('P0')]: ec2Window(START, END, instances) })];
    expect(claims[0]!.claim.fleet!.parts[0]!.resources).toHaveLength(20);
    const result = await collectMetrics(deps(), ['2025-10']);
    expect(result).toMatchObject({ collected: 1, failed: 0 });
    expect(new Set(queried())).toEqual(new Set(instances.map((i) => `InstanceId=${i}`)));
    expect(applied[0]!.resourceCount).toBe(45);
  });

  it('a fleet whose resource list is missing fails with its reason, and the others go on', async () => {
    const instances = Array.from({ length: 21 }, (_, i) => `i-${i}`);
    claims = [await fleetClaim([instances], { [incident('P0')]: ec2Window(START, END, instances) }), stored({}, { a: window(START, END) })];
    lists.lists.clear();
    expect(await collectMetrics(deps(), ['2025-10'])).toMatchObject({ collected: 1, failed: 1 });
    expect(logged.lines.some((l) => l.startsWith('error measured evidence: collection failed') && l.includes('resource list') && l.includes(FLEET_ID))).toBe(true);
  });

  it('a fleet of two parts (different incidents) is not read: counted, logged with its reason, the claim stays health-window', async () => {
    const big = ['i-0a', 'i-0b'];
    const small = ['i-0c'];
    claims = [await fleetClaim([big, small], { [incident('P0')]: ec2Window(START, END, big), [incident('P1')]: ec2Window(START + H, END, small) })];
    const result = await collectMetrics(deps(), ['2025-10']);
    expect(result).toMatchObject({ considered: 0, collected: 0, fleetSkipped: 1, failed: 0, getMetricDataCalls: 0 });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(applied).toEqual([]);
    expect(series.items.size).toBe(0);
    expect(logged.infos).toEqual([expect.stringMatching(/^measured evidence: fleet claim not read \(2 parts hit by different incidents: .*\); the claim stays health-window$/)]);
  });

  it('a per-resource claim stored before fleets existed still reads its one instance', async () => {
    claims = [stored({ claimId: '123456789012#ec2-instance#i-0old#2025-10', slaId: 'ec2-instance', resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0old' }, { a: ec2Window(START, END, ['i-0old']) })];
    cw.on(GetMetricDataCommand).callsFake(ec2Answer({ 'i-0old': 10 }));
    expect(await collectMetrics(deps(), ['2025-10'])).toMatchObject({ collected: 1 });
    expect(queried()).toEqual(['InstanceId=i-0old']);
    expect(applied[0]).toMatchObject({ resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0old', resourceCount: 1 });
  });

  it('a 10 000-instance fleet over one day: every instance read once, in the fewest calls both GetMetricData limits allow', async () => {
    // Window 01:00–23:00, read ± 1 h: exactly one day of 1-minute intervals (1 440).
    const dayStart = Date.parse('2025-10-10T00:00:00Z');
    const instances = Array.from({ length: 10_000 }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
    claims = [await fleetClaim([instances], { [incident('P0')]: ec2Window(dayStart + H, dayStart + 23 * H, instances) })];
    const calls: Array<{ queries: number; intervals: number }> = [];
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const from = input.StartTime!.getTime();
      const intervals = (input.EndTime!.getTime() - from) / 60_000;
      calls.push({ queries: input.MetricDataQueries!.length, intervals });
      // One datapoint per instance (the first minute down): enough to see every query answered.
      return { MetricDataResults: input.MetricDataQueries!.map((q) => ({ Id: q.Id, Timestamps: [new Date(from)], Values: [1], StatusCode: 'Complete' })) };
    });
    const result = await collectMetrics(deps(), ['2025-10']);
    expect(result).toMatchObject({ collected: 1, failed: 0, listMetricsCalls: 0 });
    expect(calls.every((c) => c.intervals === 1440)).toBe(true);
    expect(calls.every((c) => c.queries <= MAX_QUERIES_PER_CALL && c.queries * c.intervals <= MAX_DATAPOINTS_PER_CALL)).toBe(true);
    expect(result.getMetricDataCalls).toBe(calls.length);
    expect(calls.length).toBe(minimumCalls(10_000, 1440));
    expect(calls.length).toBe(143); // 70 queries × 1 440 intervals ≤ 100 800 datapoints a call
    const ids = queried();
    expect(ids).toHaveLength(10_000);
    expect(new Set(ids).size).toBe(10_000);
    expect(applied[0]).toMatchObject({ resource: null, resourceCount: 10_000, fromMs: dayStart, toMs: dayStart + 24 * H });
    expect(applied[0]!.points[0]).toEqual({ startMs: dayStart, total: 10_000, failed: 10_000 });
  });
});
