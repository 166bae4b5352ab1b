/**
 * Measured datapoints from a CSV file (`sla-claims process … --metrics FILE`), the local stand-in for CloudWatch:
 *
 *   account,region,namespace,metric,dimensions,timestamp,value
 *   123456789012,us-east-1,AWS/DynamoDB,SystemErrors,TableName=orders;Operation=GetItem,2025-10-20T07:00:00Z,42
 *
 * One row is one datapoint of one metric at the statistic its recipe names (src/sla/recipes.ts), for the 60-second
 * period starting at `timestamp`. Rows are grouped into one ScopeSeries per (account, Region, SLA) through the
 * recipes of the SLAs given (resource-level SLAs: per resource, the recipe's first dimension). The span a series
 * measures is from its first datapoint to the end of its last one. Pure: text in, series out.
 * A fleet claim (one claim for every affected resource of an account, SLA and Region) is measured by the per-resource
 * series of its resources summed into one (`fleetSeriesOf`), as the collector reads it in AWS.
 */
import { recipeFor, metricLabel } from '../sla/recipes.ts';
import { resourceIdOf } from './discovery.ts';
import type { MetricRecipe, MetricRef, ScopeSeries, SeriesPoint } from './types.ts';

export class MetricsCsvError extends Error {
  override readonly name = 'MetricsCsvError';
}

export interface MetricRow {
  line: number;
  account: string;
  region: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  timestampMs: number;
  value: number;
}

const HEADER = ['account', 'region', 'namespace', 'metric', 'dimensions', 'timestamp', 'value'];
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$|^global$/;
const PERIOD_MS = 60_000;

function fail(source: string, line: number, field: string, value: string, expected: string): never {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  throw new MetricsCsvError(`${source} line ${line}: ${field}: ${expected} (got ${JSON.stringify(shown)})`);
}

/** Every row of the file, checked: a bad row is an error naming the line, the field and the value. */
export function parseMetricsCsv(text: string, source = 'metrics file'): MetricRow[] {
  const lines = text.split(/\r?\n/);
  let headerAt = -1;
  const rows: MetricRow[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const cells = trimmed.split(',').map((c) => c.trim());
    if (headerAt < 0) {
      if (cells.join(',').toLowerCase() !== HEADER.join(',')) fail(source, line, 'header', trimmed, `expected the header ${HEADER.join(',')}`);
      headerAt = line;
      return;
    }
    if (cells.length !== HEADER.length) fail(source, line, 'row', trimmed, `expected ${HEADER.length} comma-separated fields (${HEADER.join(',')}), found ${cells.length}`);
    const [account, region, namespace, metric, dims, timestamp, value] = cells as [string, string, string, string, string, string, string];
    if (!/^\d{12}$/.test(account)) fail(source, line, 'account', account, 'expected a 12-digit AWS account id');
    if (!REGION.test(region)) fail(source, line, 'region', region, 'expected an AWS Region such as us-east-1');
    if (!/^AWS\/[A-Za-z0-9]+$/.test(namespace)) fail(source, line, 'namespace', namespace, 'expected a CloudWatch namespace such as AWS/DynamoDB');
    if (!/^[A-Za-z0-9_.-]+$/.test(metric)) fail(source, line, 'metric', metric, 'expected a CloudWatch metric name such as SystemErrors');
    const dimensions: Record<string, string> = {};
    if (dims !== '') {
      for (const pair of dims.split(';')) {
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const val = pair.slice(eq + 1).trim();
        if (eq <= 0 || val === '' || !/^[A-Za-z0-9_.:-]+$/.test(name)) fail(source, line, 'dimensions', dims, 'expected Name=Value pairs separated by ";", like TableName=orders;Operation=GetItem');
        if (name in dimensions) fail(source, line, 'dimensions', dims, `dimension ${name} given twice`);
        dimensions[name] = val;
      }
    }
    if (!INSTANT.test(timestamp)) fail(source, line, 'timestamp', timestamp, 'expected an ISO-8601 instant with a time zone, like 2025-10-20T07:00:00Z');
    const timestampMs = Date.parse(timestamp);
    if (!Number.isFinite(timestampMs)) fail(source, line, 'timestamp', timestamp, 'not a valid instant');
    if (!/^\d+(\.\d+)?$/.test(value)) fail(source, line, 'value', value, 'expected a non-negative number, like 42 or 0.5');
    rows.push({ line, account, region, namespace, metric, dimensions, timestampMs, value: Number(value) });
  });
  if (headerAt < 0) throw new MetricsCsvError(`${source}: empty; expected the header ${HEADER.join(',')}`);
  return rows;
}

function matches(ref: MetricRef, row: MetricRow): boolean {
  return ref.namespace === row.namespace && ref.metricName === row.metric && ref.dimensions.every((d) => d in row.dimensions);
}

interface Builder {
  series: ScopeSeries;
  byStart: Map<number, SeriesPoint>;
  resources: Set<string>;
  /** unavailable: resource|start already counted. */
  seen: Map<string, boolean>;
}

export interface SeriesFromRows {
  series: ScopeSeries[];
  /** Rows that matched no recipe of the SLAs given. */
  unmatched: number;
}

/**
 * One series per (account, Region, SLA) — per resource for resource-level SLAs — of `slas` (id → scope) whose recipe
 * reads the row's metric.
 */
export function seriesFromRows(rows: readonly MetricRow[], slas: ReadonlyMap<string, { scope: 'region' | 'resource' }>): SeriesFromRows {
  const recipes: Array<[string, 'region' | 'resource', Exclude<MetricRecipe, { kind: 'none' }>]> = [];
  for (const [id, sla] of slas) {
    const recipe = recipeFor(id);
    if (recipe && recipe.kind !== 'none') recipes.push([id, sla.scope, recipe]);
  }
  const builders = new Map<string, Builder>();
  let unmatched = 0;
  for (const row of rows) {
    let used = false;
    for (const [slaId, scope, recipe] of recipes) {
      const refs = recipe.kind === 'error-rate' ? [...recipe.requests, ...recipe.errors] : [recipe.metric];
      const ref = refs.find((r) => matches(r, row));
      if (!ref) continue;
      used = true;
      const resourceId = row.dimensions[ref.dimensions[0] ?? ''] ?? '';
      const resource = scope === 'resource' ? resourceId : null;
      const key = JSON.stringify([row.account, row.region, slaId, resource]);
      let b = builders.get(key);
      if (!b) {
        b = {
          series: {
            account: row.account,
            region: row.region,
            slaId,
            resource,
            kind: recipe.kind,
            periodSeconds: recipe.periodSeconds,
            metrics: [...new Set(refs.map(metricLabel))],
            resourceCount: 0,
            fromMs: row.timestampMs,
            toMs: row.timestampMs + PERIOD_MS,
            points: [],
          },
          byStart: new Map(),
          resources: new Set(),
          seen: new Map(),
        };
        builders.set(key, b);
      }
      b.resources.add(resourceId);
      b.series.fromMs = Math.min(b.series.fromMs, row.timestampMs);
      b.series.toMs = Math.max(b.series.toMs, row.timestampMs + PERIOD_MS);
      const start = Math.floor(row.timestampMs / PERIOD_MS) * PERIOD_MS;
      const point = b.byStart.get(start) ?? { startMs: start, total: 0, failed: 0 };
      b.byStart.set(start, point);
      if (recipe.kind === 'error-rate') {
        if (recipe.requests.some((r) => matches(r, row))) point.total += row.value;
        if (recipe.errors.some((r) => matches(r, row))) point.failed += row.value;
      } else {
        const seenKey = `${resourceId}|${start}`;
        const down = row.value > recipe.threshold;
        const before = b.seen.get(seenKey);
        if (before === undefined) {
          point.total += 1;
          if (down) point.failed += 1;
          b.seen.set(seenKey, down);
        } else if (down && !before) {
          point.failed += 1;
          b.seen.set(seenKey, true);
        }
      }
    }
    if (!used) unmatched++;
  }
  const series = [...builders.values()].map((b) => ({
    ...b.series,
    resourceCount: b.resources.size,
    points: [...b.byStart.values()].sort((x, y) => x.startMs - y.startMs),
  }));
  return { series, unmatched };
}

/**
 * A fleet's series from per-resource `unavailable` series of one account, SLA and Region: those of the fleet's
 * `resources` (ids or ARNs) summed per interval (resources reporting, resources Unavailable), over the union of their
 * spans (a resource without a datapoint in an interval is one not reporting then). Null when none of them is there.
 */
export function fleetSeriesOf(perResource: readonly ScopeSeries[], resources: readonly string[]): ScopeSeries | null {
  const wanted = new Set(resources.map(resourceIdOf));
  const mine = perResource.filter((s) => s.kind === 'unavailable' && s.resource !== null && wanted.has(resourceIdOf(s.resource)));
  const first = mine[0];
  if (!first) return null;
  const byStart = new Map<number, SeriesPoint>();
  for (const s of mine) {
    for (const p of s.points) {
      const point = byStart.get(p.startMs) ?? { startMs: p.startMs, total: 0, failed: 0 };
      point.total += p.total;
      point.failed += p.failed;
      byStart.set(p.startMs, point);
    }
  }
  return {
    ...first,
    resource: null,
    resourceCount: new Set(mine.map((s) => resourceIdOf(s.resource!))).size,
    fromMs: Math.min(...mine.map((s) => s.fromMs)),
    toMs: Math.max(...mine.map((s) => s.toMs)),
    points: [...byStart.values()].sort((a, b) => a.startMs - b.startMs),
  };
}
