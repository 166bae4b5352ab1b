/**
 * Use case: read the customer's own CloudWatch metrics for the claims whose incident windows are known, store the
 * per-interval series as evidence at once, and recompute the claim from it (`applySeries`, the measured engine).
 *
 * Trigger: a schedule every 15 minutes (handlers/metrics-collect.ts). Each run looks at the claims of the months
 * still open for filing and reads a claim again only when its windows changed since the stored read (a new incident,
 * a window that grew or closed) or the last read stopped short of the last window's end + 1 hour; a claim read in
 * full for its current windows costs one BatchGetItem key and nothing else. So a window is read soon after it is
 * known (within 15 minutes), again while it is open, and once more when its end + 1 hour has passed.
 * Span: every window of the claim ± 1 hour, up to now. CloudWatch keeps 1-minute data 15 days and 5-minute data 63
 * days: a span starting more than 15 days ago is read at 300 s ("Start time between 15 and 63 days ago - Use a
 * multiple of 300 seconds", API_MetricDataQuery Period), and what is older than 63 days is gone (clipped, noted).
 *
 * A read with intervals CloudWatch did not answer is stored but not applied (the engine would read them as 0 % errors)
 * and read again by the next run.
 * A member account whose role cannot be assumed or read is logged once and its claims stay `health-window`; one
 * claim's failure is logged and the others go on (the next run tries it again).
 *
 * Fleet claims (one claim for every affected resource of an account, SLA and Region, src/claims/fleet.ts) are read
 * over the fleet's full resource list, with the `unavailable` rule (a period is Unavailable when every resource
 * reporting was): for a fleet of ONE part (every resource hit by the same incidents) that is exact for one resource
 * and a lower bound of each resource's own downtime for several, so the claim never over-claims. A fleet of several
 * parts (different incidents, different downtimes) is not read: one series cannot say which part was down; it stays
 * on the Health window (the claim build says so). Nor is an error-rate fleet: a rate summed over resources bounds no
 * one resource's rate (no resource-level SLA measures one today).
 */
import { createHash } from 'node:crypto';
import type { Claim, ClaimStatus, WindowMap } from '../claims/types.ts';
import { describe, isRefusal } from '../metrics/assume-role.ts';
import { CloudWatchSeriesReader } from '../metrics/cloudwatch.ts';
import { discoverResources, fleetDimensions, type Discovered } from '../metrics/discovery.ts';
import type { MeasuredRecipe, MetricsAccess } from '../metrics/ports.ts';
import type { MetricRecipe, MetricRef, ScopeSeries } from '../metrics/types.ts';
import type { SeriesEvidenceStore } from '../store/series-store.ts';
import type { Log } from '../util/log.ts';
import { mapPool } from '../util/pool.ts';
import { fleetResources, type RecomputeClaimStore, type ResourceListStore } from './ports.ts';
import { openMonths } from './refresh.ts';

export const MARGIN_MS = 60 * 60_000;
const DAY_MS = 86_400_000;
export const ONE_MINUTE_RETENTION_MS = 15 * DAY_MS;
export const FIVE_MINUTE_RETENTION_MS = 63 * DAY_MS;
/** Claims read at once (each one's calls are themselves 4 at a time). */
const CLAIM_CONCURRENCY = 2;

const DONE: ReadonlySet<ClaimStatus> = new Set(['submitted', 'credited', 'denied', 'rejected', 'expired']);

export interface CollectDeps {
  claims: Pick<RecomputeClaimStore, 'listStoredByMonth'>;
  /** The full resource lists of fleet claims (DynamoClaimStore implements it). */
  lists: ResourceListStore;
  series: SeriesEvidenceStore;
  access: MetricsAccess & { refuse?(account: string, reason: string): string };
  recipeOf: (slaId: string) => MetricRecipe | undefined;
  /** Recomputes the scope's claims from the series (src/pipeline/apply-measured.ts). */
  applySeries: (series: ScopeSeries) => Promise<unknown>;
  now: () => number;
  log: Log;
  /** No claim is started after this instant (epoch ms): the function's timeout. */
  deadlineMs?: number;
}

export interface CollectResult {
  months: string[];
  /** Claims with a recipe and windows (fleet claims not read, `fleetSkipped`, excepted). */
  considered: number;
  /** Claims read, stored and recomputed. */
  collected: number;
  /** Already read in full for their current windows. */
  upToDate: number;
  /** Account role missing or denied: the claim stays health-window. */
  denied: number;
  /** No resource with metrics was found for the scope. */
  noResources: number;
  failed: number;
  /** Read with intervals CloudWatch did not answer (PartialData/InternalError): stored, not applied, read again. */
  incomplete: number;
  /** Left for the next run (deadline reached). */
  deferred: number;
  /** Fleet claims not read: several parts (one series cannot tell them apart), or an error-rate recipe. Health window. */
  fleetSkipped: number;
  getMetricDataCalls: number;
  listMetricsCalls: number;
}

export interface CollectPlan {
  fromMs: number;
  toMs: number;
  periodSeconds: 60 | 300;
  windowsKey: string;
  final: boolean;
  note?: string;
}

/** Hash of the windows' bounds: the read is redone when it changes. */
export function windowsKeyOf(windows: WindowMap): string {
  const bounds = Object.values(windows)
    .map((w) => `${w.startMs}-${w.endMs ?? 'open'}`)
    .sort();
  return createHash('sha256').update(bounds.join(',')).digest('hex').slice(0, 32);
}

/** What to read for a claim's windows at `nowMs`, or null when nothing of it is still kept by CloudWatch. */
export function planRead(windows: WindowMap, recipePeriod: 60 | 300, nowMs: number): CollectPlan | null {
  const list = Object.values(windows);
  if (list.length === 0) return null;
  const start = Math.min(...list.map((w) => w.startMs));
  const open = list.some((w) => w.endMs === null);
  const end = open ? nowMs : Math.max(...list.map((w) => w.endMs!));
  let fromMs = start - MARGIN_MS;
  const wantedTo = end + MARGIN_MS;
  const toMs = Math.min(nowMs, wantedTo);
  const notes: string[] = [];
  const oldest = nowMs - FIVE_MINUTE_RETENTION_MS + 5 * 60_000;
  if (toMs <= oldest) return null;
  if (fromMs < oldest) {
    notes.push(`CloudWatch keeps 5-minute data 63 days: read from ${new Date(oldest).toISOString()}, not ${new Date(fromMs).toISOString()}`);
    fromMs = oldest;
  }
  let periodSeconds = recipePeriod;
  if (periodSeconds === 60 && fromMs < nowMs - ONE_MINUTE_RETENTION_MS) {
    periodSeconds = 300;
    notes.push('read at 300 s: CloudWatch keeps 1-minute data 15 days');
  }
  if (toMs <= fromMs) return null;
  return { fromMs, toMs, periodSeconds, windowsKey: windowsKeyOf(windows), final: !open && nowMs >= wantedTo, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

export function metricLabel(ref: MetricRef): string {
  return `${ref.namespace} ${ref.metricName} (${ref.stat})`;
}

function labelsOf(recipe: MeasuredRecipe): string[] {
  return recipe.kind === 'error-rate' ? [...recipe.requests, ...recipe.errors].map(metricLabel) : [metricLabel(recipe.metric)];
}

/** Why a fleet claim is not read (null: read it, or not a fleet claim). */
export function fleetSkipReason(claim: Claim, recipe: MeasuredRecipe): string | null {
  if (!claim.fleet) return null;
  if (claim.fleet.parts.length > 1) {
    return `${claim.fleet.parts.length} parts hit by different incidents: a series over all their resources cannot tell which part was down, so it would bound none of them`;
  }
  if (recipe.kind !== 'unavailable') return 'an error rate summed over resources bounds no one resource’s rate';
  return null;
}

interface Candidate {
  claim: Claim;
  recipe: MeasuredRecipe;
  plan: CollectPlan;
}

export async function collectMetrics(deps: CollectDeps, months: readonly string[] = openMonths(deps.now())): Promise<CollectResult> {
  const nowMs = deps.now();
  const result: CollectResult = {
    months: [...months],
    considered: 0,
    collected: 0,
    upToDate: 0,
    denied: 0,
    noResources: 0,
    failed: 0,
    incomplete: 0,
    deferred: 0,
    fleetSkipped: 0,
    getMetricDataCalls: 0,
    listMetricsCalls: 0,
  };
  const candidates: Candidate[] = [];
  for (const month of months) {
    for (const { claim, windows } of await deps.claims.listStoredByMonth(month)) {
      if (DONE.has(claim.status)) continue;
      const recipe = deps.recipeOf(claim.slaId);
      if (!recipe || recipe.kind === 'none') continue;
      const plan = planRead(windows, recipe.periodSeconds, nowMs);
      if (!plan) continue;
      const skip = fleetSkipReason(claim, recipe);
      if (skip) {
        result.fleetSkipped++;
        deps.log.info(`measured evidence: fleet claim not read (${skip}); the claim stays health-window`, { claimId: claim.claimId, parts: claim.fleet!.parts.length, resources: claim.fleet!.resourceCount });
        continue;
      }
      candidates.push({ claim, recipe, plan });
    }
  }
  result.considered = candidates.length;
  const heads = await deps.series.heads(candidates.map((c) => c.claim.claimId));
  const todo = candidates.filter((c) => {
    const head = heads.get(c.claim.claimId);
    const upToDate = head !== undefined && head.windowsKey === c.plan.windowsKey && head.final;
    if (upToDate) result.upToDate++;
    return !upToDate;
  });

  await mapPool(todo, CLAIM_CONCURRENCY, async ({ claim, recipe, plan }) => {
    if (deps.deadlineMs !== undefined && deps.now() >= deps.deadlineMs) {
      result.deferred++;
      return;
    }
    const region = claim.region === 'global' ? 'us-east-1' : claim.region;
    try {
      const access = await deps.access.forAccount(claim.account, region);
      if (!access.ok) {
        result.denied++;
        return;
      }
      const found: Discovered = claim.fleet ? fleetDimensions(recipe, await fleetResources(claim.fleet.parts, deps.lists)) : await discoverResources(access.cloudWatch, recipe, claim.resource);
      result.listMetricsCalls += found.calls;
      if (found.resources.length === 0) {
        result.noResources++;
        deps.log.info('measured evidence: no resource with metrics in the scope; the claim stays health-window', { claimId: claim.claimId, note: found.note });
        return;
      }
      const read = await new CloudWatchSeriesReader(access.cloudWatch).read({ recipe, resources: found.resources, fromMs: plan.fromMs, toMs: plan.toMs, periodSeconds: plan.periodSeconds });
      result.getMetricDataCalls += read.calls;
      if (read.queries === 0) {
        // Nothing was asked (no resource has every dimension the metrics name): not "0 requests".
        result.noResources++;
        deps.log.info('measured evidence: no resource carries the recipe’s dimensions; the claim stays health-window', { claimId: claim.claimId });
        return;
      }
      const series: ScopeSeries = {
        account: claim.account,
        region: claim.region,
        slaId: claim.slaId,
        // A fleet's series is the fleet's (its claim id is the Region scope's): no one resource.
        resource: claim.fleet ? null : claim.resource,
        kind: recipe.kind,
        periodSeconds: plan.periodSeconds,
        metrics: labelsOf(recipe),
        resourceCount: found.resourceCount,
        fromMs: read.fromMs,
        toMs: read.toMs,
        points: read.points,
        ...(read.unmeasured.length ? { unmeasured: read.unmeasured } : {}),
      };
      const note = [plan.note, found.note, read.incompleteQueries ? `${read.incompleteQueries} queries incomplete: ${read.unmeasured.length} intervals not measured` : undefined].filter(Boolean).join('; ');
      // Stored first (the evidence outlives CloudWatch's retention), final only once the claim was recomputed from it.
      const head = await deps.series.put(claim.claimId, series, { windowsKey: plan.windowsKey, final: false, collectedAt: new Date(nowMs).toISOString(), calls: read.calls, ...(note ? { note } : {}) });
      if (!head) {
        deps.log.info('measured evidence: a newer read of the claim is stored; this one is dropped', { claimId: claim.claimId });
        return;
      }
      if (read.unmeasured.length > 0) {
        // The engine reads every interval of the span without a datapoint as 0 requests (0 % errors): a read with
        // intervals CloudWatch did not answer is kept as evidence but not applied, and read again next run.
        result.incomplete++;
        deps.log.warn('measured evidence: CloudWatch did not answer every interval; kept, not applied, read again next run', { claimId: claim.claimId, unmeasured: read.unmeasured.length, incompleteQueries: read.incompleteQueries });
        return;
      }
      await deps.applySeries(series);
      if (plan.final) await deps.series.markFinal(claim.claimId, head.generation);
      result.collected++;
      deps.log.info('measured evidence stored', { claimId: claim.claimId, intervals: read.points.length, unmeasured: read.unmeasured.length, resources: found.resourceCount, calls: read.calls });
    } catch (error) {
      if (isRefusal(error) && deps.access.refuse) {
        deps.access.refuse(claim.account, `CloudWatch refused the read (${describe(error)})`);
        result.denied++;
        return;
      }
      result.failed++;
      deps.log.error('measured evidence: collection failed; the next run tries again', { claimId: claim.claimId, error: describe(error) });
    }
  });
  return result;
}
