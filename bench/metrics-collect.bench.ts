/**
 * Collecting measured evidence for 1 000 resources × 1 day at 60 s (issue 8, "Done when"): discovery (ListMetrics,
 * paginated), the GetMetricData reads (2 metrics a resource: 2 000 queries × 1 440 intervals = 2 880 000 datapoints)
 * and the stored form (gzip), against CloudWatch mocked with aws-sdk-client-mock on the real SDK client, answering the
 * real response shapes (Timestamps as Dates, Values, StatusCode, NextToken for ListMetrics).
 * - calls: GetMetricData requests sent vs the fewest the limits force (500 queries and 100 800 datapoints a call);
 * - time and peak heap vs a raw baseline from the same run: the same request objects built and answered by the same
 *   fake, each answer's arrays walked once (no SDK client, no pagination or aggregation).
 * Time is the median of 3 runs; peak heap (heapUsed, sampled every 2 ms and at every answer) of the first, after a GC
 * when node runs with --expose-gc (npm run bench:metrics does).
 * Then a fleet claim (ec2-instance, one claim for every affected instance): BENCH_METRICS_FLEET (10 000) instances
 * × 1 day, read over the fleet's own list (no ListMetrics), one metric an instance: calls, time and heap the same way.
 * Run: npm run bench:metrics (with --max-old-space-size=128: a live heap over 128 MB would abort the run)
 */
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchSeriesReader, MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL, minimumCalls, planCalls, queriesOf } from '../src/metrics/cloudwatch.ts';
import { discoverResources, fleetDimensions } from '../src/metrics/discovery.ts';
import { cloudWatchApi, type MeasuredRecipe } from '../src/metrics/ports.ts';
import { encodeSeries } from '../src/store/series-store.ts';

const RESOURCES = Number(process.env.BENCH_METRICS_RESOURCES ?? 1000);
const FLEET = Number(process.env.BENCH_METRICS_FLEET ?? 10_000);
const PERIOD = 60;
const FROM = Date.parse('2025-10-20T00:00:00Z');
const TO = FROM + 86_400_000;
const GOAL_MS = 2000;
const GOAL_HEAP_MB = 128;

const EC2: MeasuredRecipe = {
  kind: 'unavailable',
  metric: { namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_System', dimensions: ['InstanceId'], stat: 'Maximum' },
  threshold: 0,
  periodSeconds: PERIOD,
  discovery: { kind: 'contract' },
  caveats: [],
  sources: [],
};

const RECIPE: MeasuredRecipe = {
  kind: 'error-rate',
  requests: [{ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: ['FunctionName'], stat: 'Sum' }],
  errors: [{ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: ['FunctionName'], stat: 'Sum' }],
  periodSeconds: PERIOD,
  discovery: { kind: 'list-metrics', namespace: 'AWS/Lambda', metricName: 'Invocations' },
  caveats: [],
  sources: [],
};

let peakHeap = 0;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peakHeap) peakHeap = used;
};

/**
 * CloudWatch's answer to one GetMetricData request: every interval of every query, as the SDK hands it over. The
 * fake itself stays cheap (the timestamps of a span and the value arrays are built once and shared between answers,
 * which only read them), so the figure is the collector's cost, not the mock's.
 */
const stampsBySpan = new Map<string, Date[]>();
const valuesBy = new Map<string, number[]>();
function answer(input: GetMetricDataCommandInput): { MetricDataResults: MetricDataResult[] } {
  const from = input.StartTime!.getTime();
  const to = input.EndTime!.getTime();
  const period = input.MetricDataQueries![0]!.MetricStat!.Period! * 1000;
  const n = Math.round((to - from) / period);
  const spanKey = `${from}-${to}-${period}`;
  let Timestamps = stampsBySpan.get(spanKey);
  if (!Timestamps) stampsBySpan.set(spanKey, (Timestamps = Array.from({ length: n }, (_, k) => new Date(from + k * period))));
  const results = input.MetricDataQueries!.map((q) => {
    const errors = q.MetricStat!.Metric!.MetricName === 'Errors';
    const phase = Number(q.MetricStat!.Metric!.Dimensions![0]!.Value!.slice(-4)) % 97;
    const key = `${errors ? phase : 'requests'}-${n}`;
    let Values = valuesBy.get(key);
    if (!Values) valuesBy.set(key, (Values = Array.from({ length: n }, (_, k) => (errors ? (k % 97 === phase ? 3 : 0) : 120 + (k % 13)))));
    return { Id: q.Id, Label: q.MetricStat!.Metric!.MetricName, Timestamps, Values, StatusCode: 'Complete' as const };
  });
  sample();
  return { MetricDataResults: results };
}

const names = Array.from({ length: RESOURCES }, (_, i) => `checkout-${String(i).padStart(4, '0')}`);
const cw = mockClient(CloudWatchClient);
cw.on(ListMetricsCommand).callsFake((input: { NextToken?: string }) => {
  const start = Number(input.NextToken ?? 0);
  const page = names.slice(start, start + 500);
  return {
    Metrics: page.map((FunctionName) => ({ Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: FunctionName }] })),
    ...(start + 500 < names.length ? { NextToken: String(start + 500) } : {}),
  };
});
cw.on(GetMetricDataCommand).callsFake(answer);

async function collect() {
  const api = cloudWatchApi(new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }));
  const found = await discoverResources(api, RECIPE, null);
  const read = await new CloudWatchSeriesReader(api).read({ recipe: RECIPE, resources: found.resources, fromMs: FROM, toMs: TO, periodSeconds: PERIOD });
  const stored = encodeSeries({ account: '123456789012', region: 'us-east-1', slaId: 'lambda', resource: null, kind: 'error-rate', periodSeconds: PERIOD, metrics: [], resourceCount: found.resourceCount, fromMs: read.fromMs, toMs: read.toMs, points: read.points });
  return { found, read, storedBytes: stored.length };
}

/** The same requests, built and answered by the same fake; each answer walked once. */
async function rawRead(recipe: typeof RECIPE | typeof EC2, resources: Parameters<typeof queriesOf>[1]) {
  const queries = queriesOf(recipe, resources);
  let datapoints = 0;
  for (const plan of planCalls(queries.length, FROM, TO, PERIOD)) {
    const input: GetMetricDataCommandInput = {
      MetricDataQueries: queries.slice(plan.first, plan.first + plan.count).map((q, i) => ({
        Id: `q${i}`,
        MetricStat: { Metric: { Namespace: q.ref.namespace, MetricName: q.ref.metricName, Dimensions: Object.entries(q.dims).map(([Name, Value]) => ({ Name, Value })) }, Period: PERIOD, Stat: q.ref.stat },
        ReturnData: true,
      })),
      StartTime: new Date(plan.fromMs),
      EndTime: new Date(plan.toMs),
    };
    for (const r of answer(input).MetricDataResults) datapoints += r.Values!.length;
    await Promise.resolve();
  }
  return datapoints;
}

const rawBaseline = () => rawRead(RECIPE, names.map((FunctionName) => ({ FunctionName })));

async function measure<T>(run: () => Promise<T>): Promise<{ ms: number; heapMb: number; result: T }> {
  (globalThis as { gc?: () => void }).gc?.();
  peakHeap = 0;
  sample();
  const timer = setInterval(sample, 2);
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  return { ms, heapMb: peakHeap / 2 ** 20, result };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function row(goal: string, figure: string, baseline: string, ratio: string, met: boolean): string {
  return `| ${goal} | ${figure} | ${baseline} | ${ratio} | ${met ? 'yes' : 'NO'} |`;
}

/** Warm-up, then 3 measured rounds alternating figure and baseline, then one counted run of the figure. */
async function runSection<T extends { read: { queries: number } }>(collectOnce: () => Promise<T>, raw: () => Promise<number>) {
  await collectOnce();
  await raw();
  const figure: Array<Awaited<ReturnType<typeof measure<T>>>> = [];
  const baseline: Array<Awaited<ReturnType<typeof measure<number>>>> = [];
  for (let i = 0; i < 3; i++) {
    cw.resetHistory();
    figure.push(await measure(collectOnce));
    baseline.push(await measure(raw));
  }
  cw.resetHistory();
  const last = await collectOnce();
  const inputs = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input as GetMetricDataCommandInput);
  return {
    last,
    inputs,
    listCalls: cw.commandCalls(ListMetricsCommand).length,
    intervals: (TO - FROM) / (PERIOD * 1000),
    ms: median(figure.map((f) => f.ms)),
    baseMs: median(baseline.map((b) => b.ms)),
    heap: figure[0]!.heapMb,
    baseHeap: baseline[0]!.heapMb,
  };
}

/** The section's rows: calls against the fewest the limits force, per-call limits, time and heap against their goals. */
function printRows(r: Awaited<ReturnType<typeof runSection>>, goalMs: number, timeGoal: string) {
  const maxQueries = Math.max(...r.inputs.map((i) => i.MetricDataQueries!.length));
  const maxPoints = Math.max(...r.inputs.map((i) => i.MetricDataQueries!.length * ((i.EndTime!.getTime() - i.StartTime!.getTime()) / (PERIOD * 1000))));
  const queries = r.last.read.queries;
  const fewest = minimumCalls(queries, r.intervals);
  console.log('| goal | figure | baseline | ratio | met? |');
  console.log('|---|---|---|---|---|');
  console.log(row(`GetMetricData calls ≤ the fewest the limits force`, String(r.inputs.length), `${fewest} (max(⌈${queries}/${MAX_QUERIES_PER_CALL}⌉, ⌈${queries * r.intervals}/${MAX_DATAPOINTS_PER_CALL}⌉))`, (r.inputs.length / fewest).toFixed(2), r.inputs.length <= fewest));
  console.log(row(`≤ ${MAX_QUERIES_PER_CALL} queries a call`, String(maxQueries), String(MAX_QUERIES_PER_CALL), (maxQueries / MAX_QUERIES_PER_CALL).toFixed(2), maxQueries <= MAX_QUERIES_PER_CALL));
  console.log(row(`≤ ${MAX_DATAPOINTS_PER_CALL} datapoints a call`, String(maxPoints), String(MAX_DATAPOINTS_PER_CALL), (maxPoints / MAX_DATAPOINTS_PER_CALL).toFixed(2), maxPoints <= MAX_DATAPOINTS_PER_CALL));
  console.log(row(timeGoal, `${r.ms.toFixed(0)} ms`, `${r.baseMs.toFixed(0)} ms (same requests, same fake, no SDK/aggregation)`, (r.ms / r.baseMs).toFixed(2), r.ms < goalMs));
  console.log(row(`peak heap < ${GOAL_HEAP_MB} MB`, `${r.heap.toFixed(1)} MB`, `${r.baseHeap.toFixed(1)} MB`, (r.heap / r.baseHeap).toFixed(2), r.heap < GOAL_HEAP_MB));
}

async function main() {
  const r = await runSection(collect, rawBaseline);
  const last = r.last;
  const queries = last.read.queries;
  console.log(`metrics collect: ${RESOURCES} resources × 1 day at ${PERIOD} s = ${queries} queries × ${r.intervals} intervals (${queries * r.intervals} datapoints)`);
  console.log(`ListMetrics calls ${last.found.calls}; ${last.read.points.length} intervals with data; stored ${last.storedBytes} bytes gzip; gc ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'on' : 'off (run with --expose-gc)'}`);
  printRows(r, GOAL_MS, `time < ${GOAL_MS} ms`);
  await fleetSection();
  cw.restore();
}

const instances = Array.from({ length: FLEET }, (_, i) => `arn:aws:ec2:us-east-1:123456789012:instance/i-${i.toString(16).padStart(17, '0')}`);

/** A fleet claim's read as collectMetrics does it: the fleet's list as dimensions, then the reader. */
async function collectFleet() {
  const api = cloudWatchApi(new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }));
  const found = fleetDimensions(EC2, instances);
  const read = await new CloudWatchSeriesReader(api).read({ recipe: EC2, resources: found.resources, fromMs: FROM, toMs: TO, periodSeconds: PERIOD });
  return { found, read };
}

const rawFleetBaseline = () => rawRead(EC2, fleetDimensions(EC2, instances).resources);

async function fleetSection() {
  const r = await runSection(collectFleet, rawFleetBaseline);
  const queries = r.last.read.queries;
  console.log('');
  console.log(`metrics collect, fleet claim: ${FLEET} instances × 1 day at ${PERIOD} s = ${queries} queries × ${r.intervals} intervals (${queries * r.intervals} datapoints); ListMetrics calls ${r.listCalls}; ${r.last.found.resourceCount} instances read`);
  printRows(r, GOAL_MS * 5, `time < ${GOAL_MS * 5} ms (5 × the data of the 1 000-resource read)`);
}

await main();
