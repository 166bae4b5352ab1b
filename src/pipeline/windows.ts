/**
 * Outage windows per service from an incident's newest state and its update history. Pure.
 *
 * Health events carry one window for the whole event. A MULTIPLE_SERVICES event (such as 20 October 2025 in
 * us-east-1) lists, update by update, the services that "were previously impacted but are now operating
 * normally". A service's window ends at the earliest update that lists it as recovered, else at the event's end
 * (open while the event is open). It starts at the event's start: Health gives no per-service start.
 */
import { splitServiceList } from '../health/services.ts';
import type { IncidentState, UpdateRecord } from './incidents.ts';

/** An item of a "recovered" list as a code: upper-cased, "Amazon "/"AWS " dropped, only code-like words kept. */
function recoveredCode(item: string): string | undefined {
  const code = item.trim().replace(/^(?:amazon|aws)\s+/i, '').toUpperCase();
  return /^[A-Z0-9_]{2,64}$/.test(code) ? code : undefined;
}

/** Service codes the description says are operating normally again. */
export function recoveredServices(description: string): string[] {
  const out: string[] = [];
  const re = /\b(?:(?:are|is)\s+now\s+operating\s+normally|have\s+(?:fully\s+)?recovered|recovered\s+services?)\s*:\s*([^\n]*?)(?=\.(?:\s|$)|\n|$)/gi;
  for (const m of description.matchAll(re)) {
    for (const code of splitServiceList(m[1] ?? '', recoveredCode)) if (!out.includes(code)) out.push(code);
  }
  return out;
}

export interface ServiceWindow {
  startMs: number;
  /** Null while open. */
  endMs: number | null;
}

export function serviceWindow(state: IncidentState, updates: readonly UpdateRecord[], service: string): ServiceWindow {
  const startMs = Date.parse(state.startTime);
  const eventEndMs = state.endTime === null ? null : Date.parse(state.endTime);
  let recoveredMs: number | null = null;
  for (const update of updates) {
    if (update.recovered.includes(service.toUpperCase()) && update.lastUpdatedMs >= startMs) {
      recoveredMs = recoveredMs === null ? update.lastUpdatedMs : Math.min(recoveredMs, update.lastUpdatedMs);
    }
  }
  if (recoveredMs === null) return { startMs, endMs: eventEndMs };
  return { startMs, endMs: eventEndMs === null ? recoveredMs : Math.min(recoveredMs, eventEndMs) };
}

export { effectiveOutage, monthsOf, STALE_OPEN_MS, type EffectiveOutage } from '../claims/outage.ts';
