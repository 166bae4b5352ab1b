/**
 * Measured evidence: how an SLA's "requests" and "errors" (or "unavailable") map onto CloudWatch metrics (a recipe,
 * catalog data), and the per-interval series read for one claim scope. Shared by the recipes (src/sla), the
 * collection adapters (src/metrics) and the engine (src/credit), which stays pure.
 */

/** One CloudWatch metric as a recipe names it. */
export interface MetricRef {
  namespace: string;
  metricName: string;
  /** Dimension names identifying one resource (values come from the contract or discovery), e.g. ["TableName"]. */
  dimensions: string[];
  stat: 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';
}

/** Where the list of resources to read comes from for a Region-level SLA (resource-level: the claim's resource). */
export type Discovery =
  | { kind: 'list-metrics'; namespace: string; metricName: string }
  | { kind: 'api'; call: string }
  | { kind: 'contract' };

export interface RecipeSource {
  url: string;
  /** The sentence the recipe rests on. */
  quote: string;
}

export type MetricRecipe =
  | {
      /** Per interval: errors / requests (0 % when there were no requests), averaged over every interval of the month. */
      kind: 'error-rate';
      requests: MetricRef[];
      errors: MetricRef[];
      periodSeconds: 60 | 300;
      discovery: Discovery;
      caveats: string[];
      sources: RecipeSource[];
    }
  | {
      /** Per interval: a resource is Unavailable when `metric` > `threshold`. */
      kind: 'unavailable';
      metric: MetricRef;
      threshold: number;
      periodSeconds: 60 | 300;
      discovery: Discovery;
      caveats: string[];
      sources: RecipeSource[];
    }
  | {
      /** No CloudWatch metric matches the SLA's definition: claims use the Health window (an estimate). */
      kind: 'none';
      reason: string;
      sources: RecipeSource[];
    };

/** One interval of a scope's series, summed over its resources. */
export interface SeriesPoint {
  /** Epoch ms, the interval's start (UTC). */
  startMs: number;
  /** error-rate: requests; unavailable: resources reporting. */
  total: number;
  /** error-rate: errors; unavailable: resources Unavailable. */
  failed: number;
}

/** The measured series of one claim scope (account, SLA, Region or resource) over the span it was read for. */
export interface ScopeSeries {
  account: string;
  region: string;
  slaId: string;
  /** The scope's resource for resource-level SLAs, else null. */
  resource: string | null;
  kind: 'error-rate' | 'unavailable';
  periodSeconds: number;
  /** Human-readable names of the metrics read, e.g. "AWS/DynamoDB SystemErrors (Sum)". */
  metrics: string[];
  resourceCount: number;
  /** The span read (epoch ms, [from, to)): outside it nothing was measured. */
  fromMs: number;
  toMs: number;
  /** Ascending by startMs; intervals with no datapoint are absent. */
  points: SeriesPoint[];
  /**
   * Interval starts (epoch ms, ascending) inside [fromMs, toMs) that CloudWatch did not answer in full (a query came
   * back `PartialData`, `InternalError` or `Forbidden`): not measured, so never read as 0 requests (absent = none).
   */
  unmeasured?: number[];
}
