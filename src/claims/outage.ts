/**
 * How an incident window counts in a claim: open windows run until now, stale ones stop at their cap. Pure.
 */
import { monthsBetween } from '../credit/month.ts';

/**
 * An open event counts as down until now — but an event AWS has not updated for `STALE_OPEN_MS` is treated as
 * stale (legacy samples never close): it counts until its last update plus that allowance, still provisional.
 */
export const STALE_OPEN_MS = 7 * 86_400_000;

export interface EffectiveOutage {
  startMs: number;
  endMs: number | null;
  /** True when an open event was cut off as stale. */
  stale: boolean;
}

export function effectiveOutage(link: { startMs: number; endMs: number | null; lastUpdatedMs: number }, nowMs: number): EffectiveOutage {
  if (link.endMs !== null) return { startMs: link.startMs, endMs: link.endMs, stale: false };
  const cap = Math.max(link.lastUpdatedMs, link.startMs) + STALE_OPEN_MS;
  return cap < nowMs ? { startMs: link.startMs, endMs: cap, stale: true } : { startMs: link.startMs, endMs: null, stale: false };
}

/** The months an incident window counts in (open windows up to now, stale ones up to their cap). */
export function monthsOf(window: { startMs: number; endMs: number | null; lastUpdatedMs: number }, nowMs: number): string[] {
  const outage = effectiveOutage(window, nowMs);
  return monthsBetween(outage.startMs, Math.max(outage.endMs ?? nowMs, outage.startMs + 1));
}

/**
 * The outages one incident window contributes: each of its periods (src/claims/types.ts `IncidentWindow.periods`), or
 * the window itself. An open last period is capped like an open window (`effectiveOutage`).
 */
export function outagesOf(
  window: { startMs: number; endMs: number | null; lastUpdatedMs: number; periods?: readonly { startMs: number; endMs: number | null }[] },
  nowMs: number,
): EffectiveOutage[] {
  if (!window.periods?.length) return [effectiveOutage(window, nowMs)];
  return window.periods.map((p) => effectiveOutage({ startMs: p.startMs, endMs: p.endMs, lastUpdatedMs: window.lastUpdatedMs }, nowMs));
}
