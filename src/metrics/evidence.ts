/**
 * A claim's measured series as files a person can attach to the claim: CSV (every interval of the span read, with
 * what CloudWatch said about it) and a self-contained HTML page with an SVG chart of the error rate (or the share
 * of resources unavailable) per interval, the Health windows shaded. Pure: text in, text out.
 */
import type { ScopeSeries } from './types.ts';

export interface EvidenceWindow {
  startMs: number;
  /** Null while open. */
  endMs: number | null;
  label: string;
}

export type IntervalStatus = 'measured' | 'no-data' | 'not-measured';

export interface EvidenceRow {
  startMs: number;
  total: number;
  failed: number;
  /** failed / total in percent (0 with no requests, as the SLAs count it). */
  ratePercent: number;
  status: IntervalStatus;
}

/** Every interval of [fromMs, toMs): a datapoint, none (0 requests: 0 % errors), or not measured. */
export function evidenceRows(series: ScopeSeries): EvidenceRow[] {
  const p = series.periodSeconds * 1000;
  const byStart = new Map(series.points.map((pt) => [pt.startMs, pt]));
  const gaps = new Set(series.unmeasured ?? []);
  const rows: EvidenceRow[] = [];
  for (let t = series.fromMs; t < series.toMs; t += p) {
    const pt = byStart.get(t);
    if (gaps.has(t)) rows.push({ startMs: t, total: 0, failed: 0, ratePercent: 0, status: 'not-measured' });
    else if (pt) rows.push({ startMs: t, total: pt.total, failed: pt.failed, ratePercent: pt.total > 0 ? (100 * pt.failed) / pt.total : 0, status: 'measured' });
    else rows.push({ startMs: t, total: 0, failed: 0, ratePercent: 0, status: 'no-data' });
  }
  return rows;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
}

export function evidenceCsv(series: ScopeSeries, rows: readonly EvidenceRow[] = evidenceRows(series)): string {
  const p = series.periodSeconds * 1000;
  const head =
    series.kind === 'error-rate'
      ? 'interval_start_utc,interval_end_utc,requests,errors,error_rate_percent,status'
      : 'interval_start_utc,interval_end_utc,resources_reporting,resources_unavailable,unavailable_percent,status';
  const lines = [head];
  for (const r of rows) {
    const measured = r.status !== 'not-measured';
    lines.push([iso(r.startMs), iso(r.startMs + p), measured ? num(r.total) : '', measured ? num(r.failed) : '', measured ? r.ratePercent.toFixed(4) : '', r.status].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A round upper bound for the y axis (≥ 1 %). */
function niceMax(value: number): number {
  const v = Math.max(1, value);
  const step = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * step >= v) return Math.min(100, m * step);
  return 100;
}

export interface ChartOptions {
  title: string;
  windows: readonly EvidenceWindow[];
  /** "now" for open windows. */
  nowMs: number;
  /** A fleet claim (every affected resource of the account and Region): what the series was read over. */
  fleet?: EvidenceFleet;
}

export interface EvidenceFleet {
  resourceCount: number;
  /** Parts (resources hit by the same incidents); the series is applied only to a fleet of one. */
  parts: number;
  /** The first resources, as the claim shows them. */
  sample: readonly string[];
  /** The file holding the full list, when one was written. */
  listFile?: string;
}

/** The fleet's lines of the page: what was read and what the series can say about each resource. */
function fleetItems(fleet: EvidenceFleet, series: ScopeSeries): string {
  const more = fleet.resourceCount > fleet.sample.length ? `, … (${fleet.resourceCount - fleet.sample.length} more${fleet.listFile ? ` in ${esc(fleet.listFile)}` : ''})` : '';
  const rule =
    series.kind === 'unavailable'
      ? fleet.resourceCount > 1
        ? 'a minute counts as Unavailable only when every resource reporting was: a lower bound of each resource\'s own downtime'
        : 'one resource: its own minutes, exact'
      : 'summed over the resources';
  const applied = fleet.parts > 1 ? `; the claim has ${fleet.parts} parts hit by different incidents, so this series is not applied (it rests on the AWS Health window)` : '';
  return `<li>Fleet claim: ${fleet.resourceCount} resource${fleet.resourceCount === 1 ? '' : 's'} in ${fleet.parts} part${fleet.parts === 1 ? '' : 's'} (${rule}${applied})</li>
<li>Resources: ${fleet.sample.map(esc).join(', ')}${more}</li>
`;
}

const W = 960;
const H = 280;
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };

/**
 * The HTML page. The line is the maximum rate over the intervals each pixel column covers (a month of 1-minute
 * intervals is 44 640 of them), so no peak is averaged away.
 */
export function evidenceHtml(series: ScopeSeries, options: ChartOptions, rows: readonly EvidenceRow[] = evidenceRows(series)): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const span = Math.max(1, series.toMs - series.fromMs);
  const x = (ms: number) => PAD.left + (Math.min(Math.max(ms, series.fromMs), series.toMs) - series.fromMs) / span * plotW;
  const yMax = niceMax(rows.reduce((m, r) => Math.max(m, r.ratePercent), 0));
  const y = (pct: number) => PAD.top + plotH - (pct / yMax) * plotH;
  const p = series.periodSeconds * 1000;

  // Per pixel column: the highest rate, or NaN where only unmeasured intervals fall (the line breaks there).
  const columns = new Map<number, number>();
  for (const r of rows) {
    const col = Math.floor(x(r.startMs));
    const known = columns.get(col);
    if (r.status === 'not-measured') {
      if (known === undefined) columns.set(col, NaN);
    } else columns.set(col, Number.isNaN(known ?? NaN) ? r.ratePercent : Math.max(known!, r.ratePercent));
  }
  let pen = 'M';
  const path = [...columns.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([col, pct]) => {
      if (Number.isNaN(pct)) {
        pen = 'M';
        return '';
      }
      const step = `${pen}${col} ${y(pct).toFixed(1)}`;
      pen = 'L';
      return step;
    })
    .filter(Boolean)
    .join(' ');
  const windowRects = options.windows
    .map((w) => {
      const x0 = x(w.startMs);
      const x1 = x(w.endMs ?? options.nowMs);
      return `<rect class="window" x="${x0.toFixed(1)}" y="${PAD.top}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${plotH}"><title>${esc(w.label)}</title></rect>`;
    })
    .join('');
  const gapRects = rows
    .filter((r) => r.status === 'not-measured')
    .map((r) => `<rect class="gap" x="${x(r.startMs).toFixed(1)}" y="${PAD.top}" width="${Math.max(1, x(r.startMs + p) - x(r.startMs)).toFixed(1)}" height="${plotH}"/>`)
    .join('');
  const yTicks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const v = yMax * f;
      return `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v % 1 === 0 ? v : v.toFixed(2)} %</text>`;
    })
    .join('');
  const xTicks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const ms = series.fromMs + f * span;
      return `<text x="${x(ms).toFixed(1)}" y="${H - PAD.bottom + 18}" text-anchor="middle">${esc(iso(ms).slice(5, 16).replace('T', ' '))}</text>`;
    })
    .join('');

  const measured = rows.filter((r) => r.status === 'measured');
  const totals = measured.reduce((a, r) => ({ total: a.total + r.total, failed: a.failed + r.failed }), { total: 0, failed: 0 });
  const count = (s: IntervalStatus) => rows.filter((r) => r.status === s).length;
  const what = series.kind === 'error-rate' ? 'Error rate per interval' : 'Resources unavailable per interval (share of those reporting)';
  const totalsText =
    series.kind === 'error-rate'
      ? `${num(totals.total)} requests, ${num(totals.failed)} errors over the measured intervals (${totals.total > 0 ? ((100 * totals.failed) / totals.total).toFixed(4) : '0.0000'} %)`
      : `${num(totals.failed)} resource-intervals unavailable of ${num(totals.total)} reporting`;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(options.title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2933}
h1{font-size:18px;margin:0 0 4px} p,li{font-size:13px;line-height:1.5} ul{padding-left:18px}
svg{background:#fff;border:1px solid #d9e2ec} svg text{font-size:11px;fill:#52606d}
.grid{stroke:#e4e7eb} .axis{stroke:#9aa5b1} .rate{fill:none;stroke:#c81e1e;stroke-width:1.5}
.window{fill:#f0b429;opacity:.18} .gap{fill:#9aa5b1;opacity:.45}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-2px}
</style></head><body>
<h1>${esc(options.title)}</h1>
<p>${esc(what)}, every ${series.periodSeconds} s from ${esc(iso(series.fromMs))} to ${esc(iso(series.toMs))}, summed over ${series.resourceCount} resource${series.resourceCount === 1 ? '' : 's'} in ${esc(series.account)} ${esc(series.region)}${series.resource ? ` (${esc(series.resource)})` : ''}.</p>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(what)}">
${yTicks}${windowRects}${gapRects}
<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}"/>
<path class="rate" d="${path}"/>
${xTicks}
<text x="${W - PAD.right}" y="${H - 6}" text-anchor="end">UTC</text>
</svg>
<p class="legend"><span style="background:#c81e1e"></span>${series.kind === 'error-rate' ? 'error rate' : 'unavailable'} (maximum per pixel)<span style="background:#f0b429;opacity:.4"></span>AWS Health window<span style="background:#9aa5b1"></span>not measured</p>
<ul>
${options.fleet ? fleetItems(options.fleet, series) : ''}<li>Metrics: ${series.metrics.map(esc).join('; ')}</li>
<li>${totalsText}</li>
<li>Intervals: ${count('measured')} with data, ${count('no-data')} without requests (0 % errors, as the SLA counts them), ${count('not-measured')} not measured (CloudWatch returned partial data or an error)</li>
<li>Health windows: ${options.windows.map((w) => `${esc(iso(w.startMs))} – ${w.endMs === null ? 'open' : esc(iso(w.endMs))} (${esc(w.label)})`).join('; ') || 'none'}</li>
</ul>
<p>Rendered from the series stored when it was read from CloudWatch (kept as evidence: CloudWatch itself keeps 1-minute data 15 days, 5-minute data 63 days). The CSV next to this file holds every interval.</p>
</body></html>
`;
}
