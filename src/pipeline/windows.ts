/**
 * Outage windows per service from an incident's newest state and its update history. Pure.
 *
 * A Health event carries one window for the whole event. A MULTIPLE_SERVICES event (such as 20 October 2025 in
 * us-east-1) also lists, update by update, the services that "are impacted" and those that "were previously impacted
 * but are now operating normally" (src/health/service-status.ts). A service's periods follow those lists:
 *
 * - a period opens at the first update that lists the service as impacted, and closes at the next update that lists
 *   it as recovered; a later update listing it as impacted again opens a new period (AWS: STS recovered at 08:19 UTC,
 *   impacted again 15:31–16:59), so one incident can give a service several periods;
 * - a service listed as impacted by the incident's earliest update starts at the event's start: the event's
 *   startTime is AWS's own statement of when that impact began, and the first update is usually posted minutes
 *   later (on 20 October the first post came 23 minutes after the start);
 * - the event's own service (`detail.service`, when not MULTIPLE_SERVICES) is impacted from the event's start;
 * - a service listed as recovered before any update listed it as impacted started at the event's start;
 * - a period still open at the end runs to the event's end (open while the event is open);
 * - a service no update lists either way keeps the event's window (start to end), as before the lists were read;
 * - everything is clipped to [event start, event end]: an update before a (revised) start is ignored, one after the
 *   end closes at the end.
 * The result depends only on the set of updates, not on their order or on duplicates: updates are grouped by their
 * lastUpdatedTime and, within one instant (pages of one update), "impacted" wins over "recovered".
 */
import { MULTIPLE_SERVICES } from '../health/services.ts';
import type { IncidentState, UpdateRecord } from './incidents.ts';

export { recoveredServices } from '../health/service-status.ts';

export interface ServicePeriod {
  startMs: number;
  /** Null while open. */
  endMs: number | null;
}

/** The span of a service's periods (first start → last end), and the periods when there are more than one. */
export interface ServiceWindow extends ServicePeriod {
  /** Set only when the service has two or more periods in the incident, in time order; they lie inside the span. */
  periods?: ServicePeriod[];
}

type Listing = 'impacted' | 'recovered' | null;

export function serviceWindow(state: IncidentState, updates: readonly UpdateRecord[], service: string): ServiceWindow {
  const startMs = Date.parse(state.startTime);
  const eventEndMs = state.endTime === null ? null : Date.parse(state.endTime);
  const code = service.toUpperCase();

  // One listing per instant (pages and duplicates of one update merged; impacted wins).
  const byInstant = new Map<number, Listing>();
  for (const u of updates) {
    if (!(u.lastUpdatedMs >= startMs)) continue;
    const listing: Listing = (u.impacted ?? []).includes(code) ? 'impacted' : u.recovered.includes(code) ? 'recovered' : null;
    const seen = byInstant.get(u.lastUpdatedMs);
    if (seen === undefined || (seen !== 'impacted' && listing !== null)) byInstant.set(u.lastUpdatedMs, listing);
  }
  const instants = [...byInstant.keys()].sort((a, b) => a - b);
  const firstMs = instants[0];
  const own = state.rawService.toUpperCase() !== MULTIPLE_SERVICES && state.rawService.toUpperCase() === code;
  if (!own && !instants.some((t) => byInstant.get(t) !== null)) return { startMs, endMs: eventEndMs };

  const clip = (t: number) => (eventEndMs === null ? t : Math.min(t, eventEndMs));
  const periods: ServicePeriod[] = [];
  let openMs: number | null = own ? startMs : null;
  let everImpacted = own;
  for (const t of instants) {
    const listing = byInstant.get(t);
    if (listing === 'impacted' && openMs === null) {
      openMs = t === firstMs ? startMs : clip(t);
      everImpacted = true;
    } else if (listing === 'recovered') {
      if (openMs !== null) periods.push({ startMs: openMs, endMs: clip(t) });
      else if (!everImpacted) periods.push({ startMs, endMs: clip(t) });
      openMs = null;
      everImpacted = true;
    }
  }
  if (openMs !== null) periods.push({ startMs: openMs, endMs: eventEndMs });

  // Zero-length periods (an impact listed at or after the end) count for nothing; keep one only if it is all there is.
  const real = periods.filter((p) => p.endMs === null || p.endMs > p.startMs);
  const kept = boundPeriods(real.length ? real : periods.slice(0, 1));
  const first = kept[0]!;
  const last = kept[kept.length - 1]!;
  return kept.length === 1 ? { startMs: first.startMs, endMs: first.endMs } : { startMs: first.startMs, endMs: last.endMs, periods: kept };
}

/** Periods kept per window (~60 bytes each on the claim item); a service flapping more often is not seen in practice. */
export const MAX_PERIODS = 100;

/** Past MAX_PERIODS, the last kept period runs to the end of the last one (bounded bytes; the gaps it covers are few). */
function boundPeriods(periods: ServicePeriod[]): ServicePeriod[] {
  if (periods.length <= MAX_PERIODS) return periods;
  const kept = periods.slice(0, MAX_PERIODS);
  kept[MAX_PERIODS - 1] = { startMs: kept[MAX_PERIODS - 1]!.startMs, endMs: periods[periods.length - 1]!.endMs };
  return kept;
}

export { effectiveOutage, monthsOf, STALE_OPEN_MS, type EffectiveOutage } from '../claims/outage.ts';
