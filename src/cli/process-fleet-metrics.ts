/**
 * `process --metrics` and fleet claims: the CSV gives one series per resource for a resource-level SLA
 * (src/metrics/csv.ts), while its claim now covers every affected resource of the account, SLA and Region (a fleet
 * claim, keyed by the Region). So the series of a fleet's resources are summed into the fleet's series, month by
 * month, as the collector reads it in AWS (src/pipeline/collect-metrics.ts). The series of resources no fleet claim
 * covers are kept as they are (per-resource claims stored before fleet claims existed find theirs).
 */
import { claimIdOf, scopeKeyOf } from '../claims/ids.ts';
import { monthsBetween, monthWindow } from '../credit/month.ts';
import { fleetSeriesOf } from '../metrics/csv.ts';
import { resourceIdOf } from '../metrics/discovery.ts';
import type { ScopeSeries } from '../metrics/types.ts';
import { fleetResources, type RecomputeClaimStore, type ResourceListStore } from '../pipeline/ports.ts';

export async function withFleetSeries(series: readonly ScopeSeries[], store: Pick<RecomputeClaimStore, 'getForRecompute'> & ResourceListStore): Promise<ScopeSeries[]> {
  const groups = new Map<string, ScopeSeries[]>();
  for (const s of series) {
    if (s.resource === null) continue;
    const key = JSON.stringify([s.account, s.slaId, s.region]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const consumed = new Set<ScopeSeries>();
  const fleets: ScopeSeries[] = [];
  for (const group of groups.values()) {
    const { account, slaId, region } = group[0]!;
    const months = [...new Set(group.flatMap((s) => monthsBetween(s.fromMs, s.toMs)))].sort();
    const ids = months.map((m) => claimIdOf(scopeKeyOf(account, slaId, region), m));
    const stored = await store.getForRecompute(ids);
    for (const [i, month] of months.entries()) {
      const fleet = stored.get(ids[i]!)?.claim.fleet;
      if (!fleet) continue;
      const resources = await fleetResources(fleet.parts, store);
      const named = new Set(resources.map(resourceIdOf));
      const m = monthWindow(month);
      // Clipped to the claim's month: the next month's fleet may hold other resources.
      const inMonth = group
        .filter((s) => named.has(resourceIdOf(s.resource!)))
        .map((s) => ({ ...s, fromMs: Math.max(s.fromMs, m.startMs), toMs: Math.min(s.toMs, m.endMs), points: s.points.filter((p) => p.startMs >= m.startMs && p.startMs < m.endMs) }))
        .filter((s) => s.toMs > s.fromMs);
      const combined = fleetSeriesOf(inMonth, resources);
      if (!combined) continue;
      fleets.push(combined);
      for (const s of group) if (named.has(resourceIdOf(s.resource!))) consumed.add(s);
    }
  }
  return [...series.filter((s) => !consumed.has(s)), ...fleets];
}
