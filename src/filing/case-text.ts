/**
 * The AWS Support case of a claim (pure): subject and body, from the claim and its SLA's `claim` requirements
 * (src/sla/catalog.ts). The same text is sent by CreateCase, shown in Slack for a person to paste, and printed by
 * `sla-claims case`. It carries every item the SLA page asks for (subject words, account, Region, each incident window
 * in UTC, the affected resources), what the downtime rests on (measured, or the Health-window estimate, an upper
 * bound), the clause, version and tier, the credit and the charges it is computed on, and the claim token line that
 * lets a later filer recognise the case (src/claims/lifecycle.ts `filingToken`).
 *
 * Bounded: the Support API takes at most 8,000 characters of body; incidents and resources past the budget are
 * counted ("+N more") rather than cut mid-line.
 */
import { filingToken } from '../claims/lifecycle.ts';
import type { Claim, Evidence } from '../claims/types.ts';
import { formatUsd } from '../credit/money.ts';
import { getSla } from '../sla/index.ts';
import type { ClaimRequirements } from '../sla/types.ts';

/** CreateCase `communicationBody`: "Maximum length of 8000" (AWS Support API reference). */
export const MAX_BODY_CHARS = 8000;
export const MAX_SUBJECT_CHARS = 250;
const MAX_RESOURCES_PER_INCIDENT = 10;
const MAX_RESOURCES_LISTED = 50;

export interface CaseText {
  subject: string;
  body: string;
  /** The claim token written in the body. */
  token: string;
}

export interface CaseTextOptions {
  /** Names of the files attached to the case (evidence CSV, chart), listed in the body. */
  attachments?: readonly string[];
}

export const TOKEN_LINE_PREFIX = 'Claim token:';

export function tokenLine(token: string): string {
  return `${TOKEN_LINE_PREFIX} ${token} (sla-claims; identifies this request, please keep it in replies)`;
}

function utc(iso: string | null): string {
  if (!iso) return 'ongoing';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}${m[3] && m[3] !== '00' ? `:${m[3]}` : ''} UTC`;
}

function minutesBetween(start: string, end: string | null): string {
  if (!end) return 'still open';
  const minutes = Math.round((Date.parse(end) - Date.parse(start)) / 60_000);
  return `${minutes} min`;
}

function scopeLine(claim: Claim): string {
  return claim.resource ? `${claim.resource} (${claim.region})` : claim.region;
}

export function caseSubject(claim: Claim, requirements: ClaimRequirements): string {
  const subject = `${requirements.subject}: ${claim.slaClause.name}, ${scopeLine(claim)}, ${claim.month}`;
  return subject.length <= MAX_SUBJECT_CHARS ? subject : `${subject.slice(0, MAX_SUBJECT_CHARS - 1)}…`;
}

export function creditRequested(claim: Claim): string {
  if (claim.creditDays !== null) {
    const amount = claim.creditCents !== null ? ` = ${formatUsd(claim.creditCents)}` : ' (amount: the average daily charges, to be computed by AWS)';
    return `${claim.creditDays} day(s) of average daily charges${amount}`;
  }
  if (claim.creditCents === null) return `${claim.creditPercent} % of the charges below (charges to be confirmed)`;
  const base = claim.chargesCents !== null ? ` of ${formatUsd(claim.chargesCents)}` : '';
  return `${claim.creditPercent} %${base} = ${formatUsd(claim.creditCents)}`;
}

export function basisLine(claim: Claim): string {
  const basis = claim.basis;
  if (basis?.kind === 'measured') {
    const metrics = basis.metrics.length ? ` (${basis.metrics.join(', ')})` : '';
    return `measured from our CloudWatch metrics${metrics}: ${basis.resourceCount} resource(s), ${basis.intervalCount} interval(s) in ${claim.month}`;
  }
  const note = basis?.note ? `; ${basis.note}` : '';
  return `estimate: AWS Health window, an upper bound (the whole window counted as unavailable / 100 % errors${note})`;
}

function versionLine(claim: Claim): string {
  const clause = claim.slaClause;
  const date = claim.terms?.versionDate ?? clause.sourceLastUpdated;
  const version = date ? `version in force from ${date}` : 'version in force in the incident month (page date not recorded)';
  const negotiated = clause.negotiated ? ', negotiated terms' : '';
  const newer = claim.terms?.newVersionInMonth ? `; a newer version took effect on ${claim.terms.newVersionInMonth}` : '';
  return `${clause.name} (${clause.sourceUrl}), ${version}${negotiated}${newer}`;
}

function incidentLines(e: Evidence, index: number): string[] {
  const head = `${index + 1}. ${utc(e.startTime)} to ${utc(e.endTime)} (${minutesBetween(e.startTime, e.endTime)}), ${e.service} in ${e.region}, ${e.eventTypeCode}, ${e.statusCode}`;
  const lines = [head, `   AWS Health event: ${e.eventArn}`];
  if (e.affectedResourceCount > 0) {
    const shown = e.affectedResources.slice(0, MAX_RESOURCES_PER_INCIDENT);
    const more = e.affectedResourceCount - shown.length;
    lines.push(`   Affected resources: ${shown.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`);
  }
  return lines;
}

/** Every resource the claim names: its own (resource-level), then those of its incidents, in order, deduplicated. */
export function affectedResources(claim: Claim): { listed: string[]; total: number } {
  const seen = new Set<string>();
  if (claim.resource) seen.add(claim.resource);
  let extra = 0;
  for (const e of claim.evidence) {
    for (const r of e.affectedResources) seen.add(r);
    extra += Math.max(0, e.affectedResourceCount - e.affectedResources.length);
  }
  const all = [...seen];
  return { listed: all.slice(0, MAX_RESOURCES_LISTED), total: all.length + extra };
}

export function buildCaseText(claim: Claim, requirements: ClaimRequirements, options: CaseTextOptions = {}): CaseText {
  const token = filingToken(claim.claimId);
  const clause = claim.slaClause;
  const attachments = options.attachments ?? [];
  const resources = affectedResources(claim);
  const resourceText = resources.total === 0
    ? 'none named by AWS Health for this scope'
    : `${resources.listed.join(', ')}${resources.total > resources.listed.length ? ` (+${resources.total - resources.listed.length} more)` : ''}`;
  const charges = claim.chargesCents !== null ? formatUsd(claim.chargesCents) : 'unknown to us (please compute from the bill)';

  const header = [
    'Hello AWS Support,',
    '',
    `We request a Service Credit under the ${/\bSLA\b/.test(clause.name) ? clause.name : `${clause.name} SLA`} for the ${claim.month} billing cycle.`,
    '',
    `Account: ${claim.account}`,
    `AWS Region: ${claim.region}`,
    ...(claim.resource ? [`Resource: ${claim.resource}`] : []),
    `Billing cycle: ${claim.month} (UTC calendar month)`,
    `SLA: ${versionLine(claim)}`,
    `Service commitment: ${clause.commitmentPercent} % Monthly Uptime Percentage`,
    `Measured uptime: ${claim.uptimePercent} % (${claim.downtimeMinutes} of ${claim.minutesInMonth} minutes unavailable)${claim.provisional ? ', provisional: an incident is still open' : ''}`,
    `Tier: ${clause.tierText}`,
    `Credit requested: ${creditRequested(claim)}`,
    `Charges the credit is computed on: ${charges}, ${clause.creditBaseText}`,
    `Basis of the downtime: ${basisLine(claim)}`,
    `Affected resources: ${resourceText}`,
    '',
    `Incidents (UTC), ${claim.evidence.length}:`,
  ];
  const checklist = [
    '',
    'What the SLA asks a request to include:',
    `- the words "${requirements.subject}" in the subject line: see the subject`,
    ...requirements.evidence.map((item) => `- ${item}: ${whereAnswered(item, attachments, claim)}`),
    ...(attachments.length ? ['', `Attached: ${attachments.join(', ')}`] : []),
    '',
    tokenLine(token),
  ];

  const fixed = [...header, ...checklist].join('\n').length + 1;
  const incidents: string[] = [];
  let used = fixed;
  let shown = 0;
  for (const [i, e] of claim.evidence.entries()) {
    const lines = incidentLines(e, i).join('\n');
    const reserve = `\n+${claim.evidence.length} more incidents (the same event records are in AWS Health)`.length;
    if (used + lines.length + 1 + reserve > MAX_BODY_CHARS) break;
    incidents.push(lines);
    used += lines.length + 1;
    shown++;
  }
  if (claim.evidence.length === 0) incidents.push('(none recorded)');
  if (shown < claim.evidence.length) incidents.push(`+${claim.evidence.length - shown} more incidents (the same event records are in AWS Health)`);
  const body = [...header, ...incidents, ...checklist].join('\n');
  return { subject: caseSubject(claim, requirements), body: body.length <= MAX_BODY_CHARS ? body : body.slice(0, MAX_BODY_CHARS), token };
}

/** Where the request answers one of the SLA's items (by the item's words: Region/dates, resource ids, logs). */
function whereAnswered(item: string, attachments: readonly string[], claim: Claim): string {
  const lower = item.toLowerCase();
  if (lower.includes('request logs')) {
    return attachments.length ? `attached (${attachments.join(', ')})` : 'available on request; the incident windows above are from AWS Health';
  }
  if (/\b(ids?|names?|arns?)\b/.test(lower) && !/dates and times/.test(lower)) return 'see "Affected resources"';
  if (lower.includes('billing cycle')) return `see "Billing cycle" (${claim.month}), "AWS Region" and "Incidents"`;
  return 'see "AWS Region" and "Incidents (UTC)"';
}

/** The claim token in a case's subject or body, if any (DescribeCases matching). */
export function hasToken(text: string | undefined, token: string): boolean {
  return typeof text === 'string' && text.includes(token);
}

/** The case text of a claim with its SLA's requirements from the catalog (negotiated terms keep the AWS page's). */
export function caseTextForClaim(claim: Claim, options: CaseTextOptions = {}): CaseText {
  const sla = getSla(claim.slaId);
  if (!sla) throw new Error(`claim ${claim.claimId}: SLA ${JSON.stringify(claim.slaId)} is not in the catalog, so its claim requirements are unknown`);
  return buildCaseText(claim, sla.claim, options);
}
