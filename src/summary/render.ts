/**
 * Renders the monthly summary model as an email: subject, HTML part and plain-text part with the same facts.
 *
 * The HTML is written for mail clients: nested layout tables, inline styles only (no <style> block, no SVG, no
 * script, no external images), widths as both attributes and styles. It is fluid without media queries: the card is
 * 100 % wide up to 640 px (a fixed 640 px table only inside an Outlook-for-Windows conditional comment, which
 * ignores max-width), the KPI boxes are inline blocks that wrap under each other on a phone, tables have at most
 * four short columns, and long ids (ARNs) may break anywhere, so nothing overflows at 390 px. The bar chart is a table cell per service whose
 * width is a percentage of the biggest service's credit. Every value is HTML-escaped; links are https only.
 */
import type { SlackRef } from '../claims/types.ts';
import { formatUsd } from '../credit/money.ts';
import { renderTable } from '../format/text-table.ts';
import { countText } from '../format/fleet.ts';
import type { ActionItem, ClaimLine, GroupTotal, SummaryModel } from './model.ts';

export interface RenderOptions {
  /**
   * Workspace URL (e.g. https://acme.slack.com) used to build a message permalink
   * (`/archives/<channel>/p<ts without the dot>`, the shape chat.getPermalink returns) when a claim has none stored.
   */
  slackWorkspaceUrl?: string;
  /** Slack team id (T…), added to the app_redirect fallback link so it opens the right workspace. */
  slackTeamId?: string;
  /**
   * Most "needs action" rows listed (default 50; totals always cover every claim). Keeps the message small: Gmail
   * clips messages over about 100 kB.
   */
  maxActionRows?: number;
  /** Most rows in the "Flags" list (default 20), for the same reason; the hidden ones are counted. */
  maxFlagRows?: number;
  /** Most rows in "By account" (default 20, biggest credit first); the others are summed in one row. */
  maxAccountRows?: number;
  /** Most rows in each of the missed, filed, recovered and payment-flag lists (default 10); the others are counted. */
  maxListRows?: number;
}

export const DEFAULT_MAX_ACCOUNT_ROWS = 20;

/** The biggest accounts, and the others summed into one group (null when every account is shown). */
function accountRows(model: SummaryModel, options: RenderOptions): { shown: GroupTotal[]; rest: GroupTotal | null } {
  const max = options.maxAccountRows ?? DEFAULT_MAX_ACCOUNT_ROWS;
  if (model.byAccount.length <= max) return { shown: model.byAccount, rest: null };
  const hidden = model.byAccount.slice(max);
  const sum = (f: (g: GroupTotal) => number) => hidden.reduce((n, g) => n + f(g), 0);
  const label = `${hidden.length} more accounts`;
  return {
    shown: model.byAccount.slice(0, max),
    rest: {
      key: label,
      label,
      count: sum((g) => g.count),
      creditCents: sum((g) => g.creditCents),
      toFileCents: sum((g) => g.toFileCents),
      provisionalCount: sum((g) => g.provisionalCount),
      chargesUnknownCount: sum((g) => g.chargesUnknownCount),
      rejectedCount: sum((g) => g.rejectedCount),
      missedCents: sum((g) => g.missedCents),
      settledCount: sum((g) => g.settledCount),
    },
  };
}

export const DEFAULT_MAX_ACTION_ROWS = 50;
/**
 * Byte budgets of the two lists in the HTML part, on top of the row caps: rows are dropped (and counted in "…and N
 * more") once a list would pass its budget, so long ARNs and every badge on every row still keep a 10 000-claim
 * email under 100 KB (Gmail clips at ~102 KB).
 */
export const HTML_ACTION_BUDGET_BYTES = 42_000;
export const HTML_FLAG_BUDGET_BYTES = 10_000;

/** The longest prefix of `rows` whose UTF-8 size stays within `budget`. */
function withinBudget(rows: string[], budget: number): string[] {
  let used = 0;
  const kept: string[] = [];
  for (const row of rows) {
    used += Buffer.byteLength(row) + 1;
    if (used > budget) break;
    kept.push(row);
  }
  return kept;
}
export const DEFAULT_MAX_FLAG_ROWS = 20;

type FlagKind = 'PROVISIONAL' | 'CHARGES UNKNOWN';

const FLAG_TEXT: Record<FlagKind, string> = {
  PROVISIONAL: 'an outage was still open when the credit was computed; the credit may still grow.',
  'CHARGES UNKNOWN': "the month's charges are unknown, so no amount is counted; enter them to compute the credit.",
};

/** Provisional claims first, then those with charges unknown, capped at `maxFlagRows`. */
function flagRows(model: SummaryModel, options: RenderOptions): { shown: [FlagKind, ClaimLine][]; hidden: number } {
  const max = options.maxFlagRows ?? DEFAULT_MAX_FLAG_ROWS;
  const total = model.provisional.length + model.chargesUnknown.length;
  const shown: [FlagKind, ClaimLine][] = [
    ...model.provisional.slice(0, max).map((l): [FlagKind, ClaimLine] => ['PROVISIONAL', l]),
    ...model.chargesUnknown.slice(0, Math.max(0, max - model.provisional.length)).map((l): [FlagKind, ClaimLine] => ['CHARGES UNKNOWN', l]),
  ];
  return { shown, hidden: total - shown.length };
}

function moreFlagsText(model: SummaryModel, hidden: number): string {
  return `…and ${hidden} more flagged claim${hidden === 1 ? '' : 's'} (${model.provisional.length} provisional and ${model.chargesUnknown.length} with charges unknown in all; \`sla-claims summary --json\` lists every one).`;
}

function actionRows(model: SummaryModel, options: RenderOptions): { shown: ActionItem[]; hidden: number } {
  const max = options.maxActionRows ?? DEFAULT_MAX_ACTION_ROWS;
  const shown = model.needsAction.slice(0, max);
  return { shown, hidden: model.needsAction.length - shown.length };
}

function moreText(hidden: number): string {
  return `…and ${hidden} more claim${hidden === 1 ? '' : 's'} with later deadlines (all of them are in the totals above; \`sla-claims summary --json\` lists every one).`;
}

export interface SummaryEmail {
  subject: string;
  html: string;
  text: string;
}

export interface SlackLink {
  url: string;
  /** "Slack message" when the link opens the message itself, "Slack channel" when it can only open the channel. */
  label: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

function httpsUrl(text: string | undefined): string | null {
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The link to a claim's Slack message: the stored permalink; else a permalink built from the workspace URL;
 * else `https://slack.com/app_redirect?channel=…` (documented parameters: `channel`, `team`), which opens the channel
 * but not the message — Slack documents no message parameter for app_redirect.
 */
export function slackLink(slack: SlackRef | undefined, options: RenderOptions = {}): SlackLink | null {
  if (!slack) return null;
  const permalink = httpsUrl(slack.permalink);
  if (permalink) return { url: permalink, label: 'Slack message' };
  if (!slack.channel) return null;
  const workspace = httpsUrl(options.slackWorkspaceUrl);
  if (workspace && /^\d+\.\d+$/.test(slack.ts ?? '')) {
    const base = workspace.replace(/\/+$/, '');
    return { url: `${base}/archives/${encodeURIComponent(slack.channel)}/p${slack.ts.replace('.', '')}`, label: 'Slack message' };
  }
  const params = new URLSearchParams({ channel: slack.channel });
  if (options.slackTeamId) params.set('team', options.slackTeamId);
  return { url: `https://slack.com/app_redirect?${params.toString()}`, label: 'Slack channel' };
}

export function summarySubject(model: SummaryModel): string {
  if (model.nothingOwed) return `AWS SLA credits for ${model.monthLabel}: nothing is owed`;
  const claims = `${model.owedClaimCount} claim${model.owedClaimCount === 1 ? '' : 's'}`;
  const toFile = model.toFileCents > 0 ? `, ${formatUsd(model.toFileCents)} still to file` : '';
  const missed = model.missedCents > 0 ? `, ${formatUsd(model.missedCents)} missed` : '';
  return `AWS SLA credits for ${model.monthLabel}: ${formatUsd(model.owedCents)} owed (${claims})${toFile}${missed}`;
}

function nothingOwedSentence(model: SummaryModel): string {
  if (model.claimCount === 0) return `No SLA credit claims for ${model.monthLabel}: nothing is owed.`;
  return `Nothing is owed for ${model.monthLabel}: none of its ${model.claimCount} claim${model.claimCount === 1 ? '' : 's'} earns a credit over $1.00 that is not rejected.`;
}

/** The status table's total row: the money still to come (to file, or filed and awaiting AWS). */
const OWED_TOTAL_LABEL = 'Owed (to file or awaiting AWS)';

function scope(l: ClaimLine): string {
  if (l.resource) return `${l.region} · ${l.resource}`;
  // A fleet claim: its count, never its resources (a line's bytes stay bounded whatever the fleet's size).
  return l.resourceCount !== null ? `${l.region} · ${countText(l.resourceCount)}` : l.region;
}

function daysLeftText(days: number): string {
  if (days === 0) return 'due today';
  return `${days} day${days === 1 ? '' : 's'} left`;
}

function creditText(l: ClaimLine): string {
  if (l.creditCents === null || !l.chargesKnown) return 'unknown';
  return formatUsd(l.creditCents);
}

function flagsOf(l: ClaimLine): string[] {
  const flags: string[] = [];
  if (l.provisional) flags.push('PROVISIONAL');
  if (!l.chargesKnown) flags.push('CHARGES UNKNOWN');
  flags.push(l.basis === 'measured' ? 'MEASURED' : 'ESTIMATE');
  if (l.termsUnconfirmed) flags.push('TERMS UNCONFIRMED');
  return flags;
}

/** "Missed: $500.00, deadline passed on 2025-09-30" (several deadlines joined). */
export function missedSentence(cents: number, deadlines: readonly string[]): string {
  const list = deadlines.length <= 1 ? (deadlines[0] ?? '') : `${deadlines.slice(0, -1).join(', ')} and ${deadlines[deadlines.length - 1]}`;
  return `Missed: ${formatUsd(cents)}, deadline passed on ${list}`;
}

function paidVsClaimedText(model: SummaryModel): string {
  const p = model.paidVsClaimed;
  if (p.percent === null) return 'nothing filed yet';
  return `${formatUsd(p.paidCents)} paid of ${formatUsd(p.claimedCents)} claimed (${p.percent} %)`;
}

/** The money of one claim line in the lists: the credit, and what was paid once the bill shows it. */
function moneyText(l: ClaimLine): string {
  const credit = creditText(l);
  if (l.paidCents === undefined) return credit;
  return `${formatUsd(l.paidCents)} paid of ${credit}`;
}

export const DEFAULT_MAX_LIST_ROWS = 10;

const FOOTER_DEFINITIONS =
  'Still to file: not yet submitted, deadline ahead. Missed: never submitted, deadline passed (AWS no longer accepts it). Filed: submitted, credited or denied. Paid: credits found on the bill (Cost Explorer, record type Credit). Recovered this month: credits on this month\'s bill, for claims of this and the 4 months before. Paid vs claimed: over the filed claims of those months.';

function basisSentence(model: SummaryModel): string {
  const parts = [`${model.measuredCount} claim${model.measuredCount === 1 ? '' : 's'} measured from your CloudWatch metrics (MEASURED), ${model.estimateCount} estimated from the AWS Health window, an upper bound (ESTIMATE)`];
  if (model.unconfirmedTermsCount) parts.push(`${model.unconfirmedTermsCount} computed on SLA terms not confirmed on the AWS page (TERMS UNCONFIRMED): check them before filing`);
  return `${parts.join('; ')}.`;
}
/** Byte budget of each of the filed / missed / recovered lists in the HTML part. */
export const HTML_LIST_BUDGET_BYTES = 4_000;
/** Bytes all those lists share (the first lists take their share first). */
export const HTML_LISTS_BUDGET_BYTES = 9_000;
/**
 * Bytes "Needs action" and the lists share: the lists' rows are taken out of the action list's budget, and the flags
 * list shrinks by as much, so a month with every status still stays under 100 KB.
 */
export const HTML_ROWS_BUDGET_BYTES = 46_000;

/** The filed, missed and recovered lists: which claims, and how each line reads. */
interface ClaimList {
  title: string;
  note: string;
  lines: readonly ClaimLine[];
  /** Right column: money and dates. */
  right: (l: ClaimLine) => string[];
}

function claimLists(model: SummaryModel): ClaimList[] {
  const lists: ClaimList[] = [];
  if (model.missed.length) {
    lists.push({
      title: 'Missed: deadline passed',
      note: `${missedSentence(model.missedCents, model.missedDeadlines)}. Never submitted to AWS; AWS no longer accepts these claims.`,
      lines: model.missed,
      right: (l) => [creditText(l), `deadline ${l.deadline}`],
    });
  }
  const filed = model.filed;
  if (filed.length) {
    lists.push({
      title: 'Filed with AWS',
      note: `${formatUsd(model.filedCents)} claimed in ${model.filedCount} case${model.filedCount === 1 ? '' : 's'}: ${formatUsd(model.submittedCents)} awaiting AWS, ${formatUsd(model.creditedCents)} credited, ${formatUsd(model.deniedCents)} denied; ${formatUsd(model.paidCents)} paid on the bill so far.`,
      lines: filed,
      right: (l) => [moneyText(l), l.caseRef ? `case ${l.caseRef}` : ''],
    });
  }
  if (model.recovered.length) {
    lists.push({
      title: 'Recovered this month',
      note: `${formatUsd(model.recoveredCents)} in SLA credits appeared on the ${model.monthLabel} bill.`,
      lines: model.recovered,
      right: (l) => [formatUsd(l.paidCents ?? 0), `of ${creditText(l)} claimed`],
    });
  }
  if (model.paymentFlags.length) {
    lists.push({
      title: 'Credits partial or missing',
      note: '60 days after filing the bill shows less than the claimed credit, or none: ask AWS Support on the case.',
      lines: model.paymentFlags,
      right: (l) => [moneyText(l), (l.paymentFlag ?? '').toUpperCase()],
    });
  }
  if (model.missedEarlier.length) {
    lists.push({
      title: 'Missed from earlier months',
      note: `${missedSentence(model.missedEarlierCents, model.missedEarlierDeadlines)}: earlier months' claims never submitted to AWS.`,
      lines: model.missedEarlier,
      right: (l) => [creditText(l), `deadline ${l.deadline}`],
    });
  }
  return lists;
}

// ---------------------------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------------------------

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const C = {
  page: '#eef1f5',
  card: '#ffffff',
  ink: '#1f2937',
  muted: '#6b7280',
  line: '#e5e7eb',
  head: '#0f2742',
  accent: '#1d4ed8',
  bar: '#2563eb',
  track: '#eef2ff',
  soft: '#f8fafc',
};
const STATUS_COLORS: Record<string, [string, string]> = {
  draft: ['#374151', '#f3f4f6'],
  pending_approval: ['#92400e', '#fef3c7'],
  approved: ['#065f46', '#d1fae5'],
  rejected: ['#991b1b', '#fee2e2'],
  submitted: ['#1e40af', '#dbeafe'],
  ready_to_file: ['#065f46', '#d1fae5'],
  credited: ['#065f46', '#bbf7d0'],
  denied: ['#991b1b', '#fee2e2'],
  expired: ['#7f1d1d', '#fecaca'],
};
const BADGE_COLORS: Record<string, [string, string]> = {
  PROVISIONAL: ['#92400e', '#fef3c7'],
  'CHARGES UNKNOWN': ['#991b1b', '#fee2e2'],
  'DUE SOON': ['#9a3412', '#ffedd5'],
  MEASURED: ['#065f46', '#ecfdf5'],
  ESTIMATE: ['#374151', '#f3f4f6'],
  'TERMS UNCONFIRMED': ['#92400e', '#fef3c7'],
};

function chip(text: string, [fg, bg]: [string, string]): string {
  return `<span style="display:inline-block;padding:1px 7px;border-radius:9px;background-color:${bg};color:${fg};font-size:11px;font-weight:600;line-height:18px;white-space:nowrap;">${escapeHtml(text)}</span>`;
}

function statusChip(status: string, label: string): string {
  return chip(label, STATUS_COLORS[status] ?? ['#374151', '#f3f4f6']);
}

/** Flags that are a claim's nature rather than an alert: short muted text in the HTML, not chips (bytes). */
const QUIET_FLAGS = new Set(['MEASURED', 'ESTIMATE', 'TERMS UNCONFIRMED']);

function badges(flags: readonly string[]): string {
  const loud = flags.filter((f) => !QUIET_FLAGS.has(f)).map((f) => ` ${chip(f, BADGE_COLORS[f] ?? ['#374151', '#f3f4f6'])}`);
  const quiet = flags.filter((f) => QUIET_FLAGS.has(f)).map((f) => f.toLowerCase());
  return `${loud.join('')}${quiet.length ? ` <small style="color:${C.muted}">${quiet.join(' · ')}</small>` : ''}`;
}

function th(text: string, align: 'left' | 'right' = 'left', width?: string): string {
  const w = width ? ` width="${width}"` : '';
  return `<th align="${align}"${w} style="padding:8px 6px;border-bottom:2px solid ${C.line};color:${C.muted};font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:0.04em;text-align:${align};">${escapeHtml(text)}</th>`;
}

function td(html: string, align: 'left' | 'right' = 'left', extra = ''): string {
  return `<td align="${align}" style="padding:8px 6px;border-bottom:1px solid ${C.line};font-size:14px;color:${C.ink};text-align:${align};vertical-align:top;${extra}">${html}</td>`;
}

function dataTable(headers: string, rows: string[]): string {
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;${FONT};">
<tr>${headers}</tr>
${rows.join('\n')}
</table>`;
}

function section(title: string, body: string, note = ''): string {
  const noteHtml = note ? `<p style="margin:0 0 10px 0;font-size:13px;line-height:19px;color:${C.muted};">${note}</p>` : '';
  return `<tr><td style="padding:20px 16px 4px 16px;${FONT};">
<h2 style="margin:0 0 8px 0;font-size:16px;line-height:22px;color:${C.head};font-weight:700;">${escapeHtml(title)}</h2>
${noteHtml}${body}
</td></tr>`;
}

/** A KPI box: an inline block, three to a row on a wide screen, one under the other on a phone. */
function kpi(label: string, value: string, sub: string, color: string): string {
  return `<div style="display:inline-block;width:100%;max-width:190px;margin:0 0 8px 0;vertical-align:top;"><div style="margin:0 4px;padding:12px 10px;background-color:${C.soft};border:1px solid ${C.line};${FONT};text-align:left;">
<div style="font-size:11px;font-weight:600;letter-spacing:0.05em;text-transform:uppercase;color:${C.muted};">${escapeHtml(label)}</div>
<div style="font-size:24px;line-height:32px;font-weight:700;color:${color};white-space:nowrap;">${escapeHtml(value)}</div>
<div style="font-size:12px;line-height:16px;color:${C.muted};">${escapeHtml(sub)}</div>
</div></div>`;
}

function bar(widthPercent: number, label: string): string {
  const w = `${widthPercent}%`;
  const fill = `<td width="${w}" data-bar="${escapeHtml(label)}" data-width="${widthPercent}" style="width:${w};height:14px;background-color:${C.bar};border-radius:3px;font-size:0;line-height:0;">&nbsp;</td>`;
  const rest = widthPercent < 100 ? `<td style="height:14px;font-size:0;line-height:0;">&nbsp;</td>` : '';
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" data-track="${escapeHtml(label)}" style="width:100%;table-layout:fixed;border-collapse:collapse;background-color:${C.track};"><tr>${fill}${rest}</tr></table>`;
}

function serviceSection(model: SummaryModel): string {
  const widths = new Map(model.chart.map((b) => [b.label, b.widthPercent]));
  const rows = model.byService.map((g) => {
    const width = widths.get(g.label);
    const chart = width === undefined ? `<span style="font-size:12px;color:${C.muted};">${escapeHtml(noCreditReason(g))}</span>` : bar(width, g.label);
    return `<tr>${td(`<strong>${escapeHtml(g.label)}</strong>${groupFlags(g)}`)}${td(String(g.count), 'right')}${td(chart, 'left', 'vertical-align:middle;')}${td(`<strong>${escapeHtml(formatUsd(g.creditCents))}</strong>`, 'right', 'white-space:nowrap;')}</tr>`;
  });
  return section(
    'Credit by service',
    dataTable(`${th('Service', 'left', '32%')}${th('Claims', 'right', '10%')}${th('Credit owed', 'left', '38%')}${th('Amount', 'right', '20%')}`, rows),
  );
}

function noCreditReason(g: GroupTotal): string {
  if (g.rejectedCount === g.count) return 'rejected';
  if (g.missedCents > 0) return `missed ${formatUsd(g.missedCents)}: deadline passed`;
  if (g.settledCount + g.rejectedCount === g.count && g.settledCount > 0) return 'settled by AWS';
  if (g.chargesUnknownCount > 0) return 'charges unknown';
  return 'no credit over $1.00';
}

function groupFlags(g: GroupTotal): string {
  const parts: string[] = [];
  if (g.provisionalCount) parts.push(`${g.provisionalCount} provisional`);
  if (g.chargesUnknownCount) parts.push(`${g.chargesUnknownCount} with charges unknown`);
  return parts.length ? `<br><span style="font-size:12px;color:#92400e;">${escapeHtml(parts.join(' · '))}</span>` : '';
}

function accountSection(model: SummaryModel, options: RenderOptions): string {
  const { shown, rest } = accountRows(model, options);
  const cells = (g: GroupTotal, name: string) =>
    `<tr>${td(`${name}<br><span style="font-size:12px;color:${C.muted};">${g.count} claim${g.count === 1 ? '' : 's'}</span>${groupFlags(g)}`)}${td(escapeHtml(formatUsd(g.toFileCents)), 'right', 'white-space:nowrap;')}${td(`<strong>${escapeHtml(formatUsd(g.creditCents))}</strong>`, 'right', 'white-space:nowrap;')}</tr>`;
  const rows = shown.map((g) => cells(g, `<span style="font-family:Menlo,Consolas,monospace;font-size:13px;">${escapeHtml(g.label)}</span>`));
  if (rest) rows.push(cells(rest, `<em>${escapeHtml(rest.label)}</em>`));
  return section(
    'By account',
    dataTable(`${th('Account', 'left', '50%')}${th('Still to file', 'right', '25%')}${th('Credit owed', 'right', '25%')}`, rows),
  );
}

function statusSection(model: SummaryModel): string {
  // Only statuses with claims: nine rows, most of them empty, would cost bytes and say nothing.
  const rows = model.byStatus.filter((s) => s.count > 0).map(
    (s) =>
      `<tr>${td(statusChip(s.status, s.label))}${td(String(s.count), 'right')}${td(escapeHtml(formatUsd(s.creditCents)), 'right', s.status === 'rejected' ? `color:${C.muted};text-decoration:line-through;` : '')}</tr>`,
  );
  rows.push(
    // Owed is what is still to come: to file plus awaiting AWS. Paid, denied and missed claims are in the rows above,
    // not in this total, so its count is the owed claims', not every non-rejected one.
    `<tr>${td(`<strong>${OWED_TOTAL_LABEL}</strong>`, 'left', 'border-bottom:0;')}${td(`<strong>${model.owedClaimCount}</strong>`, 'right', 'border-bottom:0;')}${td(`<strong>${escapeHtml(formatUsd(model.owedCents))}</strong>`, 'right', 'border-bottom:0;')}</tr>`,
  );
  return section('Totals by status', dataTable(`${th('Status', 'left', '55%')}${th('Claims', 'right', '15%')}${th('Credit', 'right', '30%')}`, rows));
}

function actionRow(item: ActionItem, options: RenderOptions, reportMonth: string): string {
  const link = slackLink(item.slack, options);
  const flags = flagsOf(item);
  if (item.dueSoon) flags.push('DUE SOON');
  const other = item.month !== reportMonth ? ` <span style="color:${C.muted};">(${escapeHtml(item.month)} incident)</span>` : '';
  const slack = link
    ? `<br><a href="${escapeHtml(link.url)}" style="color:${C.accent};font-size:12px;text-decoration:underline;">${escapeHtml(link.label)}</a>`
    : '';
  const claim = `<strong>${escapeHtml(item.service)}</strong>${other}<br><span style="font-size:12px;color:${C.muted};word-break:break-all;">${escapeHtml(scope(item))} · account ${escapeHtml(item.account)}</span><br>${statusChip(item.status, item.statusLabel)}${badges(flags)}${slack}`;
  const color = item.dueSoon ? '#9a3412' : C.ink;
  const money = `<strong>${escapeHtml(creditText(item))}</strong><br>${escapeHtml(item.deadline)}<br><span style="font-size:12px;font-weight:600;color:${color};">${escapeHtml(daysLeftText(item.daysLeft))}</span>`;
  return `<tr>${td(claim)}${td(money, 'right', 'white-space:nowrap;')}</tr>`;
}

function actionSection(model: SummaryModel, options: RenderOptions, budget: number = HTML_ACTION_BUDGET_BYTES): string {
  if (model.needsAction.length === 0) {
    return section('Needs action', `<p style="margin:0;font-size:14px;color:${C.ink};">No claim is waiting to be filed.</p>`);
  }
  const { shown } = actionRows(model, options);
  const rows = withinBudget(
    shown.map((item) => actionRow(item, options, model.month)),
    budget,
  );
  const hidden = model.needsAction.length - rows.length;
  if (hidden > 0) rows.push(`<tr><td colspan="2" style="padding:8px 6px;font-size:13px;color:${C.muted};${FONT};">${escapeHtml(moreText(hidden))}</td></tr>`);
  return section(
    'Needs action',
    dataTable(`${th('Claim · status', 'left', '70%')}${th('Credit · deadline', 'right', '30%')}`, rows),
    `Claims not yet submitted to AWS, soonest deadline first, including other months' claims due within ${model.upcomingDays} days.`,
  );
}

function listSections(model: SummaryModel, options: RenderOptions): { sections: string[]; bytes: number } {
  const max = options.maxListRows ?? DEFAULT_MAX_LIST_ROWS;
  let left = HTML_LISTS_BUDGET_BYTES;
  const sections = claimLists(model).map((list) => {
    const rows = withinBudget(
      list.lines.slice(0, max).map((l) => {
        const other = l.month !== model.month ? ` <span style="color:${C.muted};">(${escapeHtml(l.month)} incident)</span>` : '';
        const left = `<strong>${escapeHtml(l.service)}</strong>${other}<br><span style="font-size:12px;color:${C.muted};word-break:break-all;">${escapeHtml(scope(l))} · account ${escapeHtml(l.account)}</span><br>${statusChip(l.status, l.statusLabel)}${badges(flagsOf(l))}`;
        const [first = '', ...rest] = list.right(l);
        const right = [`<strong>${escapeHtml(first)}</strong>`, ...rest.filter(Boolean).map((t) => `<span style="font-size:12px;">${escapeHtml(t)}</span>`)].join('<br>');
        return `<tr>${td(left)}${td(right, 'right', 'white-space:nowrap;')}</tr>`;
      }),
      Math.min(HTML_LIST_BUDGET_BYTES, left),
    );
    left -= rows.reduce((n, r) => n + Buffer.byteLength(r) + 1, 0);
    const hidden = list.lines.length - rows.length;
    if (hidden > 0) rows.push(`<tr><td colspan="2" style="padding:8px 6px;font-size:13px;color:${C.muted};${FONT};">${escapeHtml(moreListText(hidden))}</td></tr>`);
    return section(list.title, dataTable(`${th('Claim · status', 'left', '70%')}${th('Credit', 'right', '30%')}`, rows), escapeHtml(list.note));
  });
  return { sections, bytes: sections.reduce((n, x) => n + Buffer.byteLength(x), 0) };
}

function moreListText(hidden: number): string {
  return `…and ${hidden} more (in the totals above; \`sla-claims summary --json\` lists every one).`;
}

function flagSection(model: SummaryModel, options: RenderOptions, budget: number = HTML_FLAG_BUDGET_BYTES): string {
  const { shown } = flagRows(model, options);
  const items = withinBudget(
    shown.map(
      ([kind, l]) =>
        `<li style="margin:0 0 6px 0;">${chip(kind, BADGE_COLORS[kind]!)} <strong>${escapeHtml(l.service)}</strong> ${escapeHtml(scope(l))}, account ${escapeHtml(l.account)}: ${escapeHtml(FLAG_TEXT[kind])}</li>`,
    ),
    budget,
  );
  const hidden = model.provisional.length + model.chargesUnknown.length - items.length;
  if (items.length === 0) return '';
  const more = hidden > 0 ? `<p style="margin:6px 0 0 0;font-size:13px;color:${C.muted};">${escapeHtml(moreFlagsText(model, hidden))}</p>` : '';
  return section('Flags', `<ul style="margin:0;padding:0 0 0 18px;font-size:13px;line-height:20px;color:${C.ink};word-break:break-word;overflow-wrap:anywhere;">${items.join('\n')}</ul>${more}`);
}

export function renderSummaryHtml(model: SummaryModel, options: RenderOptions = {}): string {
  const subject = summarySubject(model);
  const header = `<tr><td style="padding:20px 16px;background-color:${C.head};border-radius:8px 8px 0 0;${FONT};">
<div style="font-size:12px;font-weight:600;letter-spacing:0.08em;text-transform:uppercase;color:#93c5fd;">AWS SLA credit summary</div>
<div style="font-size:26px;line-height:34px;font-weight:700;color:#ffffff;">${escapeHtml(model.monthLabel)}</div>
<div style="font-size:13px;line-height:18px;color:#cbd5e1;">${escapeHtml(model.claimCount)} claim${model.claimCount === 1 ? '' : 's'} · generated ${escapeHtml(model.generatedLabel)}</div>
</td></tr>`;

  const blocks: string[] = [];
  if (model.nothingOwed) {
    blocks.push(`<tr><td style="padding:20px 16px 4px 16px;${FONT};">
<p style="margin:0;padding:16px 18px;background-color:#ecfdf5;border:1px solid #a7f3d0;border-radius:6px;font-size:16px;line-height:24px;color:#065f46;font-weight:600;">${escapeHtml(nothingOwedSentence(model))}</p>
</td></tr>`);
  } else {
    const claimsSub = `${model.owedClaimCount} claim${model.owedClaimCount === 1 ? '' : 's'} with credit`;
    blocks.push(`<tr><td align="center" style="padding:20px 12px 0 12px;font-size:0;text-align:center;">
${kpi('Credit owed', formatUsd(model.owedCents), claimsSub, C.head)}${kpi('Still to file', formatUsd(model.toFileCents), 'draft, pending approval, approved', model.toFileCents > 0 ? '#9a3412' : C.head)}${kpi('Submitted', formatUsd(model.submittedCents), 'filed with AWS Support', '#1e40af')}
${kpi('Paid', formatUsd(model.paidCents), `of ${formatUsd(model.filedCents)} filed`, '#065f46')}${kpi('Denied', formatUsd(model.deniedCents), `${model.deniedCount} claim${model.deniedCount === 1 ? '' : 's'}`, model.deniedCents > 0 ? '#991b1b' : C.head)}${kpi('Missed', formatUsd(model.missedCents), model.missedDeadlines.length ? `deadline passed on ${model.missedDeadlines.join(', ')}` : model.missedEarlierCents > 0 ? `earlier months: ${formatUsd(model.missedEarlierCents)}` : 'no deadline passed', model.missedCents > 0 ? '#991b1b' : C.head)}
${kpi('Recovered this month', formatUsd(model.recoveredCents), `credits on the ${model.monthLabel} bill`, '#065f46')}${kpi('Paid vs claimed', model.paidVsClaimed.percent === null ? 'n/a' : `${model.paidVsClaimed.percent} %`, model.paidVsClaimed.percent === null ? 'nothing filed yet' : `${formatUsd(model.paidVsClaimed.paidCents)} of ${formatUsd(model.paidVsClaimed.claimedCents)}`, C.head)}
</td></tr>`);
  }
  if (model.claimCount > 0) {
    blocks.push(statusSection(model), serviceSection(model), accountSection(model, options));
  }
  const lists = listSections(model, options);
  const actionBudget = Math.min(HTML_ACTION_BUDGET_BYTES, HTML_ROWS_BUDGET_BYTES - lists.bytes);
  if (model.claimCount > 0 || model.needsAction.length > 0) blocks.push(actionSection(model, options, actionBudget));
  blocks.push(...lists.sections);
  const flags = flagSection(model, options, Math.max(4_000, HTML_FLAG_BUDGET_BYTES - Math.max(0, lists.bytes - (HTML_ROWS_BUDGET_BYTES - HTML_ACTION_BUDGET_BYTES))));
  if (flags) blocks.push(flags);

  const footer = `<tr><td style="padding:20px 16px 24px 16px;${FONT};">
<p style="margin:0;padding-top:14px;border-top:1px solid ${C.line};font-size:12px;line-height:18px;color:${C.muted};">
Amounts in US dollars. Credit counts claims over $1.00 with known charges (AWS pays no credit of $1.00 or less)${model.belowMinimumCount ? `; ${escapeHtml(model.belowMinimumCount)} claim${model.belowMinimumCount === 1 ? ' is' : 's are'} at or below that minimum` : ''}; rejected claims are not owed.
${escapeHtml(FOOTER_DEFINITIONS)} ${escapeHtml(basisSentence(model))}
Incident months and deadlines are UTC calendar months: AWS must receive a claim by the end of the second billing cycle after the incident. Days left are counted from ${escapeHtml(model.today)} (UTC).
Generated by sla-claims.</p>
</td></tr>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:${C.page};">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(subject)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;background-color:${C.page};">
<tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;background-color:${C.card};border:1px solid ${C.line};border-radius:8px;${FONT};color:${C.ink};">
${header}
${blocks.join('\n')}
${footer}
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------------------------------------------

function textBar(widthPercent: number): string {
  const cells = Math.round((widthPercent * 30) / 100);
  return '#'.repeat(Math.max(cells, widthPercent > 0 ? 1 : 0)).padEnd(30, '.');
}

export function renderSummaryText(model: SummaryModel, options: RenderOptions = {}): string {
  const out: string[] = [];
  const title = `AWS SLA credit summary: ${model.monthLabel}`;
  out.push(title, '='.repeat(title.length), '');
  out.push(`${model.claimCount} claim${model.claimCount === 1 ? '' : 's'}; generated ${model.generatedLabel}.`, '');

  if (model.nothingOwed) {
    out.push(nothingOwedSentence(model), '');
  } else {
    out.push(`Credit owed:    ${formatUsd(model.owedCents)} (${model.owedClaimCount} claim${model.owedClaimCount === 1 ? '' : 's'} with credit)`);
    out.push(`Still to file:  ${formatUsd(model.toFileCents)}`);
    out.push(`Submitted:      ${formatUsd(model.submittedCents)}`);
    out.push(`Filed:          ${formatUsd(model.filedCents)} (${model.filedCount} claim${model.filedCount === 1 ? '' : 's'}; paid ${formatUsd(model.paidCents)}, denied ${formatUsd(model.deniedCents)})`);
    out.push(model.missedCents > 0 ? missedSentence(model.missedCents, model.missedDeadlines) : `Missed:         ${formatUsd(0)}`);
    if (model.missedEarlierCents > 0) out.push(`Earlier months ${missedSentence(model.missedEarlierCents, model.missedEarlierDeadlines).toLowerCase()}`);
    out.push(`Recovered this month: ${formatUsd(model.recoveredCents)} (credits on the ${model.monthLabel} bill)`);
    out.push(`Paid vs claimed: ${paidVsClaimedText(model)}`, '');
  }

  if (model.claimCount > 0) {
    out.push('Totals by status', '----------------');
    out.push(
      renderTable(
        ['Status', 'Claims', 'Credit'],
        [
          ...model.byStatus.map((s) => [s.label, String(s.count), formatUsd(s.creditCents)]),
          [OWED_TOTAL_LABEL, String(model.owedClaimCount), formatUsd(model.owedCents)],
        ],
      ),
      '',
    );

    out.push('Credit by service', '-----------------');
    const widths = new Map(model.chart.map((b) => [b.label, b.widthPercent]));
    out.push(
      renderTable(
        ['Service', 'Claims', 'Credit owed', 'Chart', 'Notes'],
        model.byService.map((g) => [
          g.label,
          String(g.count),
          formatUsd(g.creditCents),
          widths.has(g.label) ? textBar(widths.get(g.label) ?? 0) : `(${noCreditReason(g)})`,
          groupNotes(g),
        ]),
      ),
      '',
    );

    out.push('By account', '----------');
    out.push(
      renderTable(
        ['Account', 'Claims', 'Still to file', 'Credit owed', 'Notes'],
        (({ shown, rest }) => [...shown, ...(rest ? [rest] : [])])(accountRows(model, options)).map((g) => [
          g.label,
          String(g.count),
          formatUsd(g.toFileCents),
          formatUsd(g.creditCents),
          groupNotes(g),
        ]),
      ),
      '',
    );
  }

  if (model.claimCount > 0 || model.needsAction.length > 0) {
    out.push('Needs action', '------------');
    if (model.needsAction.length === 0) {
      out.push('No claim is waiting to be filed.', '');
    } else {
      out.push(`Not yet submitted to AWS, soonest deadline first (incl. other months' claims due within ${model.upcomingDays} days):`, '');
      const { shown, hidden } = actionRows(model, options);
      for (const item of shown) {
        const flags = flagsOf(item);
        if (item.dueSoon) flags.push('DUE SOON');
        const month = item.month !== model.month ? ` (${item.month} incident)` : '';
        out.push(`* ${item.service}${month}, ${scope(item)}, account ${item.account}`);
        out.push(`  ${item.statusLabel} | credit ${creditText(item)} | deadline ${item.deadline}, ${daysLeftText(item.daysLeft)}${flags.length ? ` | ${flags.join(', ')}` : ''}`);
        const link = slackLink(item.slack, options);
        if (link) out.push(`  ${link.label}: ${link.url}`);
      }
      if (hidden > 0) out.push(moreText(hidden));
      out.push('');
    }
  }

  const maxList = options.maxListRows ?? DEFAULT_MAX_LIST_ROWS;
  for (const list of claimLists(model)) {
    out.push(list.title, '-'.repeat(list.title.length), list.note, '');
    for (const l of list.lines.slice(0, maxList)) {
      const month = l.month !== model.month ? ` (${l.month} incident)` : '';
      out.push(`* ${l.service}${month}, ${scope(l)}, account ${l.account}`);
      out.push(`  ${l.statusLabel} | ${list.right(l).filter(Boolean).join(' | ')} | ${flagsOf(l).join(', ')}`);
    }
    if (list.lines.length > maxList) out.push(moreListText(list.lines.length - maxList));
    out.push('');
  }

  if (model.provisional.length || model.chargesUnknown.length) {
    out.push('Flags', '-----');
    const { shown, hidden } = flagRows(model, options);
    for (const [kind, l] of shown) out.push(`* ${kind}: ${l.service} ${scope(l)}, account ${l.account}: ${FLAG_TEXT[kind]}`);
    if (hidden > 0) out.push(moreFlagsText(model, hidden));
    out.push('');
  }

  out.push('--');
  out.push(
    `Amounts in US dollars. Credit counts claims over $1.00 with known charges (AWS pays no credit of $1.00 or less)${model.belowMinimumCount ? `; ${model.belowMinimumCount} claim${model.belowMinimumCount === 1 ? ' is' : 's are'} at or below that minimum` : ''}; rejected claims are not owed.`,
  );
  out.push(`${FOOTER_DEFINITIONS} ${basisSentence(model)}`);
  out.push(
    `Incident months and deadlines are UTC calendar months: AWS must receive a claim by the end of the second billing cycle after the incident. Days left are counted from ${model.today} (UTC).`,
  );
  out.push('Generated by sla-claims.');
  return `${out.join('\n')}\n`;
}

function groupNotes(g: GroupTotal): string {
  const parts: string[] = [];
  if (g.provisionalCount) parts.push(`${g.provisionalCount} provisional`);
  if (g.chargesUnknownCount) parts.push(`${g.chargesUnknownCount} with charges unknown`);
  return parts.join(', ');
}

export function renderSummaryEmail(model: SummaryModel, options: RenderOptions = {}): SummaryEmail {
  return { subject: summarySubject(model), html: renderSummaryHtml(model, options), text: renderSummaryText(model, options) };
}
