/**
 * Which resources' metrics to read for a claim scope.
 * - A resource-level claim: its resource (the id at the end of an ARN) as the recipe's dimension; when the recipe's
 *   metric has more dimensions than the resource names (e.g. TableName + Operation), CloudWatch `ListMetrics` filtered
 *   on that resource lists the full dimension sets.
 * - A Region-level claim: every resource of the service in the Region, from `ListMetrics` on the recipe's discovery
 *   metric (paginated; "Up to 500 results are returned for any one call"). Only dimension sets made of exactly the
 *   recipe's dimension names are kept (ListMetrics also returns the per-version, per-operation and account-wide
 *   aggregates, which would count a request twice).
 * Caveat (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html): "ListMetrics doesn't
 * return information about metrics if those metrics haven't reported data in the past two weeks" — collection runs
 * within minutes of an incident, so the resources of its window are listed.
 * `api` discoveries (a service's own List call) are read through ListMetrics too: the reader role grants only
 * CloudWatch, and a resource without metrics has nothing to measure.
 * - A fleet claim (one claim for every affected resource of an account, SLA, Region and month): its resources, each as
 *   the recipe's one dimension, without a request (`fleetDimensions`).
 */
import type { CloudWatchApi, Dimensions, MeasuredRecipe } from './ports.ts';
import type { MetricRef } from './types.ts';

/** Pages followed at most (500 metrics each: 100 000 dimension sets), so a runaway listing cannot run forever. */
const MAX_LIST_PAGES = 200;

export interface Discovered {
  resources: Dimensions[];
  /** Distinct values of the recipe's first dimension (tables, functions, instances…): the claim's resource count. */
  resourceCount: number;
  /** ListMetrics requests sent. */
  calls: number;
  note?: string;
}

/** The metric whose dimensions name one resource: the first "requests" metric, or the unavailable metric. */
export function primaryRef(recipe: MeasuredRecipe): MetricRef {
  return recipe.kind === 'error-rate' ? recipe.requests[0]! : recipe.metric;
}

/**
 * The dimension value of a resource the contract or Health names: an id as it is; an ARN's resource part after its
 * type (`instance/i-0abc` → `i-0abc`, `loadbalancer/app/web/50dc` → `app/web/50dc` as ELB names it, `function:f:3` →
 * `f`, `db:orders` → `orders`, S3's `bucket` → `bucket`).
 */
export function resourceIdOf(resource: string): string {
  if (!resource.startsWith('arn:')) return resource;
  const rest = resource.split(':').slice(5).join(':');
  const slash = rest.indexOf('/');
  if (slash >= 0) return rest.slice(slash + 1);
  const parts = rest.split(':');
  return parts.length > 1 ? parts[1]! : parts[0]!;
}

function keyOf(dims: Dimensions): string {
  return JSON.stringify(Object.keys(dims).sort().map((k) => [k, dims[k]]));
}

export function countResources(recipe: MeasuredRecipe, resources: readonly Dimensions[]): number {
  const first = primaryRef(recipe).dimensions[0];
  if (!first) return resources.length > 0 ? 1 : 0;
  return new Set(resources.map((d) => d[first])).size;
}

export async function discoverResources(cloudWatch: CloudWatchApi, recipe: MeasuredRecipe, resource: string | null): Promise<Discovered> {
  const ref = primaryRef(recipe);
  const names = ref.dimensions;
  if (resource !== null && names.length === 1) {
    const resources = [{ [names[0]!]: resourceIdOf(resource) }];
    return { resources, resourceCount: 1, calls: 0 };
  }
  if (resource === null && recipe.discovery.kind === 'contract') {
    return { resources: [], resourceCount: 0, calls: 0, note: 'the recipe reads the contract’s resources, and this Region-level scope names none' };
  }
  const listed = recipe.discovery.kind === 'list-metrics' ? recipe.discovery : { namespace: ref.namespace, metricName: ref.metricName };
  const filter = resource !== null && names[0] ? [{ Name: names[0], Value: resourceIdOf(resource) }] : undefined;
  const wanted = [...names].sort().join('\u0000');
  const found = new Map<string, Dimensions>();
  let token: string | undefined;
  let calls = 0;
  do {
    if (calls >= MAX_LIST_PAGES) throw new Error(`ListMetrics ${listed.namespace} ${listed.metricName}: more than ${MAX_LIST_PAGES} pages; narrow the scope`);
    const page = await cloudWatch.listMetrics({
      Namespace: listed.namespace,
      MetricName: listed.metricName,
      ...(filter ? { Dimensions: filter } : {}),
      ...(token ? { NextToken: token } : {}),
    });
    calls++;
    for (const metric of page.Metrics ?? []) {
      const dims: Record<string, string> = {};
      for (const d of metric.Dimensions ?? []) if (d.Name && d.Value !== undefined) dims[d.Name] = d.Value;
      if (Object.keys(dims).sort().join('\u0000') !== wanted) continue;
      found.set(keyOf(dims), dims);
    }
    token = page.NextToken;
  } while (token);
  const resources = [...found.values()];
  const note = recipe.discovery.kind === 'api' ? `resources listed from CloudWatch ListMetrics (${listed.namespace} ${listed.metricName}) rather than ${recipe.discovery.call}` : undefined;
  return { resources, resourceCount: countResources(recipe, resources), calls, ...(note ? { note } : {}) };
}

/**
 * The dimensions of a fleet's resources (ids or ARNs, as the claim lists them) for a recipe whose metric names one
 * resource by one dimension (ec2-instance: InstanceId, ebs-volume: VolumeId): no ListMetrics request, deduplicated,
 * in the claim's order. A recipe whose metric needs more dimensions would need a ListMetrics call per resource: none
 * does today, so such a fleet reads nothing and says why.
 */
export function fleetDimensions(recipe: MeasuredRecipe, resources: readonly string[]): Discovered {
  const names = primaryRef(recipe).dimensions;
  if (names.length !== 1) {
    return { resources: [], resourceCount: 0, calls: 0, note: `the recipe's metric names a resource by ${names.length} dimensions (${names.join(', ')}); a fleet is read only by one` };
  }
  const ids = [...new Set(resources.map(resourceIdOf))];
  return { resources: ids.map((id) => ({ [names[0]!]: id })), resourceCount: ids.length, calls: 0 };
}
