/**
 * Reads a recipe's metrics for a set of resources over a span with CloudWatch `GetMetricData`, and sums them over the
 * resources per interval (the scope's series).
 *
 * Limits (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html): "A GetMetricData
 * operation that does not include a query can retrieve as many as 500 different metrics in a single request, with a
 * total of as many as 100,800 data points." So each call carries at most 500 queries and at most 100 800 datapoints
 * (queries × intervals); a span longer than 100 800 intervals is split. With uniform queries that is the fewest calls
 * the limits allow whenever 100 800 is a multiple of the interval count (1 day at 60 s: 1 440, 70 queries a call).
 *
 * Status (API_MetricDataResult): "PartialData means that an incomplete set of data points were returned. You can use
 * the NextToken value that was returned and repeat your request to get more data points … InternalError indicates
 * that an error occurred. Retry your request using NextToken, if present." Every page is followed; a query still not
 * `Complete` after the last page leaves the intervals it returned nothing for unmeasured (`unmeasured`), never 0.
 * Throttling and 5xx are retried by the client's retry strategy (src/config/retry.ts).
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { mapPool } from '../util/pool.ts';
import type { CloudWatchApi, Dimensions, MeasuredRecipe } from './ports.ts';
import type { MetricRef, SeriesPoint } from './types.ts';

export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;
/** Batches in flight at once: CloudWatch's GetMetricData rate quota is per account and Region. */
const CALL_CONCURRENCY = 4;

export interface SeriesRequest {
  recipe: MeasuredRecipe;
  resources: readonly Dimensions[];
  /** Epoch ms; aligned down (from) and up (to) to the period. */
  fromMs: number;
  toMs: number;
  periodSeconds: number;
}

export interface SeriesRead {
  fromMs: number;
  toMs: number;
  points: SeriesPoint[];
  unmeasured: number[];
  /** GetMetricData requests sent (pages included). */
  calls: number;
  queries: number;
  /** Queries that ended PartialData / InternalError / Forbidden (their gaps are in `unmeasured`). */
  incompleteQueries: number;
}

/** What a query's values add to: requests, errors, or (unavailable recipes) one resource's state. */
const TOTAL = 0;
const FAILED = 1;
const STATE = 2;

interface Query {
  ref: MetricRef;
  dims: Dimensions;
  role: typeof TOTAL | typeof FAILED | typeof STATE;
}

/**
 * The queries of a recipe over resources: one per (metric, resource). A resource lacking a dimension one of the
 * metrics names is left out altogether: its requests without its errors would read as 0 % errors.
 */
export function queriesOf(recipe: MeasuredRecipe, resources: readonly Dimensions[]): Query[] {
  const refs: Array<[MetricRef, Query['role']]> =
    recipe.kind === 'error-rate'
      ? [...recipe.requests.map((r) => [r, TOTAL] as [MetricRef, Query['role']]), ...recipe.errors.map((r) => [r, FAILED] as [MetricRef, Query['role']])]
      : [[recipe.metric, STATE]];
  const out: Query[] = [];
  for (const dims of resources) {
    if (!refs.every(([ref]) => ref.dimensions.every((name) => dims[name] !== undefined))) continue;
    for (const [ref, role] of refs) out.push({ ref, dims, role });
  }
  return out;
}

export interface CallPlan {
  fromMs: number;
  toMs: number;
  /** Index of the first query and how many. */
  first: number;
  count: number;
}

/** The calls for `queryCount` queries over [fromMs, toMs) (aligned): spans of ≤ 100 800 intervals, batches under both limits. */
export function planCalls(queryCount: number, fromMs: number, toMs: number, periodSeconds: number): CallPlan[] {
  const periodMs = periodSeconds * 1000;
  const plans: CallPlan[] = [];
  const segmentMs = MAX_DATAPOINTS_PER_CALL * periodMs;
  for (let from = fromMs; from < toMs; from += segmentMs) {
    const to = Math.min(toMs, from + segmentMs);
    const intervals = Math.ceil((to - from) / periodMs);
    const perCall = Math.max(1, Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / intervals)));
    for (let first = 0; first < queryCount; first += perCall) plans.push({ fromMs: from, toMs: to, first, count: Math.min(perCall, queryCount - first) });
  }
  return plans;
}

/** The fewest GetMetricData calls the two limits allow for this many queries and intervals (ignoring pagination). */
export function minimumCalls(queryCount: number, intervals: number): number {
  if (queryCount === 0 || intervals === 0) return 0;
  return Math.max(Math.ceil(queryCount / MAX_QUERIES_PER_CALL), Math.ceil((queryCount * intervals) / MAX_DATAPOINTS_PER_CALL));
}

export function alignSpan(fromMs: number, toMs: number, periodSeconds: number): { fromMs: number; toMs: number } {
  const p = periodSeconds * 1000;
  return { fromMs: Math.floor(fromMs / p) * p, toMs: Math.ceil(toMs / p) * p };
}

function toQuery(q: Query, id: string, periodSeconds: number): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: q.ref.namespace, MetricName: q.ref.metricName, Dimensions: q.ref.dimensions.map((Name) => ({ Name, Value: q.dims[Name]! })) },
      Period: periodSeconds,
      Stat: q.ref.stat,
    },
    ReturnData: true,
  };
}

export class CloudWatchSeriesReader {
  constructor(private readonly cloudWatch: CloudWatchApi) {}

  async read(request: SeriesRequest): Promise<SeriesRead> {
    const { recipe, periodSeconds } = request;
    const { fromMs, toMs } = alignSpan(request.fromMs, request.toMs, periodSeconds);
    const periodMs = periodSeconds * 1000;
    const n = Math.max(0, Math.round((toMs - fromMs) / periodMs));
    const queries = queriesOf(recipe, request.resources);
    // Sums per interval over every resource; `seen`: some datapoint arrived; `gap`: some query could not say.
    const total = new Float64Array(n);
    const failed = new Float64Array(n);
    const seen = new Uint8Array(n);
    const gap = new Uint8Array(n);
    const threshold = recipe.kind === 'unavailable' ? recipe.threshold : 0;
    let calls = 0;
    let incompleteQueries = 0;

    await mapPool(planCalls(queries.length, fromMs, toMs, periodSeconds), CALL_CONCURRENCY, async (plan) => {
      const batch = queries.slice(plan.first, plan.first + plan.count);
      const metricQueries = batch.map((q, i) => toQuery(q, `q${i}`, periodSeconds));
      const base = Math.round((plan.fromMs - fromMs) / periodMs);
      const span = Math.round((plan.toMs - plan.fromMs) / periodMs);
      // Which intervals each query of the batch answered (for the gaps of those that end incomplete).
      const answered = new Uint8Array(batch.length * span);
      const status = new Array<string>(batch.length).fill('Complete');
      let token: string | undefined;
      do {
        const page = await this.cloudWatch.getMetricData({
          MetricDataQueries: metricQueries,
          StartTime: new Date(plan.fromMs),
          EndTime: new Date(plan.toMs),
          ScanBy: 'TimestampAscending',
          ...(token ? { NextToken: token } : {}),
        });
        calls++;
        for (const result of page.MetricDataResults ?? []) {
          const qi = Number(result.Id?.slice(1));
          const q = batch[qi];
          if (!q || !`${result.Id}`.startsWith('q')) continue;
          status[qi] = result.StatusCode ?? 'Complete';
          const stamps = result.Timestamps ?? [];
          const values = result.Values ?? [];
          for (let k = 0; k < stamps.length && k < values.length; k++) {
            const v = values[k]!;
            if (!Number.isFinite(v)) continue;
            const stamp = stamps[k]!;
            const ms = stamp instanceof Date ? stamp.getTime() : new Date(stamp).getTime();
            const local = Math.floor((ms - plan.fromMs) / periodMs);
            if (local < 0 || local >= span) continue;
            const i = base + local;
            answered[qi * span + local] = 1;
            seen[i] = 1;
            if (q.role === TOTAL) total[i]! += v;
            else if (q.role === FAILED) failed[i]! += v;
            else {
              total[i]! += 1;
              if (v > threshold) failed[i]! += 1;
            }
          }
        }
        token = page.NextToken;
      } while (token);
      for (let qi = 0; qi < batch.length; qi++) {
        if (status[qi] === 'Complete') continue;
        incompleteQueries++;
        for (let local = 0; local < span; local++) if (!answered[qi * span + local]) gap[base + local] = 1;
      }
    });

    const points: SeriesPoint[] = [];
    const unmeasured: number[] = [];
    for (let i = 0; i < n; i++) {
      const startMs = fromMs + i * periodMs;
      if (gap[i]) unmeasured.push(startMs);
      else if (seen[i]) points.push({ startMs, total: total[i]!, failed: failed[i]! });
    }
    return { fromMs, toMs, points, unmeasured, calls, queries: queries.length, incompleteQueries };
  }
}
