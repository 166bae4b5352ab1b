/**
 * The compact, bounded form of a measured series kept on a claim item, so every later recompute (a Health update,
 * the 6-hourly refresh) computes from the same evidence: CloudWatch keeps 1-minute data only 15 days, claims are
 * filed up to two months later.
 *
 * Form: the month's part of the series, error-rate series summed to the SLA's 5-minute intervals (lossless for the
 * engine), as text "gap:total:failed,…" (gap = periods skipped since the previous point), gzip + base64 past 8 KB (as the
 * quarantine does). Bounded to MAX_SERIES_BYTES: when the month's series does not fit, only the Health windows
 * ± 1 hour are kept (the span shrinks with it, so the rest falls back to the Health window); if even that does
 * not fit, nothing is stored and the claim stays an estimate.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Interval } from '../credit/intervals.ts';
import { monthWindow } from '../credit/month.ts';
import type { ScopeSeries, SeriesPoint } from './types.ts';

export const MAX_SERIES_BYTES = 64 * 1024;
const GZIP_FROM_BYTES = 8 * 1024;
const MARGIN_MS = 3_600_000;
const ERROR_RATE_INTERVAL_MS = 300_000;

export interface StoredSeries {
  v: 1;
  kind: ScopeSeries['kind'];
  periodSeconds: number;
  metrics: string[];
  resourceCount: number;
  fromMs: number;
  toMs: number;
  /** Plain "gap:total:failed" rows, or… */
  points?: string;
  /** …the same text gzip-compressed, base64. */
  gz?: string;
}

export type CompactResult = { ok: true; stored: StoredSeries; bytes: number } | { ok: false; bytes: number };

/** True for the stored form (as opposed to a freshly read ScopeSeries). */
export function isStoredSeries(value: ScopeSeries | StoredSeries): value is StoredSeries {
  return (value as StoredSeries).v === 1;
}

function clipAndAggregate(series: ScopeSeries, fromMs: number, toMs: number): { periodMs: number; from: number; to: number; points: SeriesPoint[] } {
  const periodMs = series.kind === 'error-rate' ? ERROR_RATE_INTERVAL_MS : series.periodSeconds * 1000;
  // Whole periods only (the engine counts only those as measured).
  const from = Math.ceil(Math.max(series.fromMs, fromMs) / periodMs) * periodMs;
  const to = Math.floor(Math.min(series.toMs, toMs) / periodMs) * periodMs;
  const byStart = new Map<number, SeriesPoint>();
  for (const p of series.points) {
    const start = Math.floor(p.startMs / periodMs) * periodMs;
    if (start < from || start >= to) continue;
    const known = byStart.get(start);
    if (known) {
      known.total += p.total;
      known.failed += p.failed;
    } else byStart.set(start, { startMs: start, total: p.total, failed: p.failed });
  }
  return { periodMs, from, to: Math.max(to, from), points: [...byStart.values()].sort((a, b) => a.startMs - b.startMs) };
}

function encode(series: ScopeSeries, periodMs: number, from: number, to: number, points: SeriesPoint[]): { stored: StoredSeries; bytes: number } {
  // The first field is the gap in periods after the previous point (0 for consecutive ones): compresses well.
  let next = 0;
  const text = points
    .map((p) => {
      const index = (p.startMs - from) / periodMs;
      const gap = index - next;
      next = index + 1;
      return `${gap}:${p.total}:${p.failed}`;
    })
    .join(',');
  const head = {
    v: 1 as const,
    kind: series.kind,
    periodSeconds: periodMs / 1000,
    metrics: series.metrics.slice(0, 20),
    resourceCount: series.resourceCount,
    fromMs: from,
    toMs: to,
  };
  const stored: StoredSeries = text.length > GZIP_FROM_BYTES ? { ...head, gz: gzipSync(text).toString('base64') } : { ...head, points: text };
  return { stored, bytes: Buffer.byteLength(JSON.stringify(stored)) };
}

/**
 * The stored form of `series` for `month`; `windows` are the claim's Health windows (used to narrow the span to
 * windows ± 1 hour when the whole month's part is over MAX_SERIES_BYTES).
 */
export function compactSeries(series: ScopeSeries, month: string, windows: readonly Interval[]): CompactResult {
  const m = monthWindow(month);
  const whole = clipAndAggregate(series, m.startMs, m.endMs);
  const first = encode(series, whole.periodMs, whole.from, whole.to, whole.points);
  if (first.bytes <= MAX_SERIES_BYTES) return { ok: true, ...first };
  if (windows.length === 0) return { ok: false, bytes: first.bytes };
  const lo = Math.min(...windows.map((w) => w.startMs)) - MARGIN_MS;
  const hi = Math.max(...windows.map((w) => w.endMs)) + MARGIN_MS;
  const near = clipAndAggregate(series, Math.max(lo, m.startMs), Math.min(hi, m.endMs));
  const second = encode(series, near.periodMs, near.from, near.to, near.points);
  return second.bytes <= MAX_SERIES_BYTES ? { ok: true, ...second } : { ok: false, bytes: second.bytes };
}

export class StoredSeriesError extends Error {
  override readonly name = 'StoredSeriesError';
}

/** The stored form back as a series the engine reads. */
export function expandSeries(stored: StoredSeries): Pick<ScopeSeries, 'kind' | 'periodSeconds' | 'fromMs' | 'toMs' | 'points'> {
  const text = stored.gz !== undefined ? gunzipSync(Buffer.from(stored.gz, 'base64')).toString('utf8') : (stored.points ?? '');
  const periodMs = stored.periodSeconds * 1000;
  const points: SeriesPoint[] = [];
  if (text) {
    let next = 0;
    for (const row of text.split(',')) {
      const [gap, t, f] = row.split(':').map(Number);
      if (!Number.isFinite(gap) || !Number.isFinite(t) || !Number.isFinite(f)) throw new StoredSeriesError(`stored series: bad row ${JSON.stringify(row.slice(0, 60))}`);
      const index = next + gap!;
      next = index + 1;
      points.push({ startMs: stored.fromMs + index * periodMs, total: t!, failed: f! });
    }
  }
  return { kind: stored.kind, periodSeconds: stored.periodSeconds, fromMs: stored.fromMs, toMs: stored.toMs, points };
}
