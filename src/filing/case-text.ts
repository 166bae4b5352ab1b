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
 *
 * A fleet claim (`claim.fleet`: one case for every affected resource of an account, SLA, Region and month) names
 * every resource ID with its incidents, downtime and credit, group by group (resources hit by the same incidents share
 * them). AWS asks for the affected resource IDs: the EC2 SLA's request must include "the instance IDs of the affected
 * EC2 instances" / "the instance ID of each affected Single EC2 Instance" (src/sla/catalog.ts, from
 * https://aws.amazon.com/compute/sla/, whose current text the search tool could not read; the SLA pages share the
 * wording, e.g. CloudSearch's "(iii) the names and the AWS regions of the affected Multi-AZ Domains",
 * https://huggingface.co/datasets/marmolpen3/sla-obligations-rights, a copy of AWS's SLA texts). When the list does
 * not fit the body, the body names the CSV attachment(s) holding all of it (src/filing/fleet-list.ts), the count and
 * the first resources of each group; the claim token line is always there.
 */
import { INLINE_RESOURCES } from '../claims/fleet.ts';
import { incidentKeyOf } from '../claims/ids.ts';
import { filingToken } from '../claims/lifecycle.ts';
import type { Claim, Evidence, FleetPart } from '../claims/types.ts';
import { formatUsd } from '../credit/money.ts';
import { getSla } from '../sla/index.ts';
import type { ClaimRequirements } from '../sla/types.ts';
import { fleetCsvFiles } from './fleet-list.ts';
import type { Attachment } from './support-api.ts';
import { MAX_BODY_CHARS } from './support-limits.ts';

/** CreateCase `communicationBody`: "Maximum length of 8000" (src/filing/support-limits.ts). */
export { MAX_BODY_CHARS };
export const MAX_SUBJECT_CHARS = 250;
const MAX_RESOURCES_PER_INCIDENT = 10;
const MAX_RESOURCES_LISTED = 50;

export interface CaseText {
  subject: string;
  body: string;
  /** The claim token written in the body. */
  token: string;
  /**
   * Files the body names that must go with it: a fleet claim's resource list as CSV when it does not fit the body
   * (attached before the evidence files; src/filing/fleet-list.ts). Empty otherwise.
   */
  files: Attachment[];
}

export interface CaseTextOptions {
  /** Names of the files attached to the case (evidence CSV, chart), listed in the body. */
  attachments?: readonly string[];
  /**
   * A fleet claim's full resource list per part, in the parts' order (src/filing/fleet-list.ts `readFleetLists`).
   * Without it a part whose list is in resource-list items shows its sample and counts the rest.
   */
  fleetLists?: readonly (readonly string[])[];
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
  if (claim.fleet) return buildFleetCaseText(claim, requirements, options);
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
  return { subject: caseSubject(claim, requirements), body: body.length <= MAX_BODY_CHARS ? body : body.slice(0, MAX_BODY_CHARS), token, files: [] };
}

/** Where the request answers one of the SLA's items (by the item's words: Region/dates, resource ids, logs). */
function whereAnswered(item: string, attachments: readonly string[], claim: Claim, resourceFiles: readonly string[] = []): string {
  const lower = item.toLowerCase();
  if (lower.includes('request logs')) {
    return attachments.length ? `attached (${attachments.join(', ')})` : 'available on request; the incident windows above are from AWS Health';
  }
  if (/\b(ids?|names?|arns?)\b/.test(lower) && !/dates and times/.test(lower)) {
    return resourceFiles.length ? `see "Affected resources" and the attached ${resourceFiles.join(', ')}` : 'see "Affected resources"';
  }
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

// ---------------------------------------------------------------------------------------------------------------
// Fleet claims: one case naming every affected resource
// ---------------------------------------------------------------------------------------------------------------

/** Resource IDs per body line (wrapped so a person can read and paste them). */
const RESOURCE_LINE_CHARS = 110;

function wrapIds(ids: readonly string[], more: number, moreText: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const id of ids) {
    const next = line ? `${line}, ${id}` : id;
    if (line && next.length + 3 > RESOURCE_LINE_CHARS) {
      lines.push(`   ${line},`);
      line = id;
    } else line = next;
  }
  if (line) lines.push(`   ${line}`);
  if (more > 0) lines.push(`   (+${more} more${moreText})`);
  return lines;
}

function fleetCreditRequested(claim: Claim): string {
  if (claim.creditDays !== null) return creditRequested(claim);
  const each = "each resource's credit percentage (per group below) of that resource's own charges";
  return claim.creditCents !== null ? `${formatUsd(claim.creditCents)} in total: ${each}` : `${each} (charges to be confirmed)`;
}

function groupHead(part: FleetPart, index: number, count: number, incidentNumbers: readonly number[]): string {
  const incidents = incidentNumbers.length ? `incident${incidentNumbers.length > 1 ? 's' : ''} ${incidentNumbers.join(', ')}` : 'no incident on record';
  const tier = part.tierText ? ` (${part.tierText})` : ' (commitment met)';
  const money =
    part.creditCents !== null && part.chargesCents !== null
      ? `; credit ${formatUsd(part.creditCents)} of ${formatUsd(part.chargesCents)}`
      : part.chargesCents === null
        ? '; charges to be confirmed'
        : '';
  return `Group ${index + 1} of ${count}: ${part.resourceCount} resource(s), ${incidents}: ${part.downtimeMinutes} min unavailable, uptime ${part.uptimePercent} %, credit ${part.creditPercent} %${tier}${money}`;
}

type FleetMode = { kind: 'inline' } | { kind: 'attached'; files: readonly string[]; rows: number } | { kind: 'sample' };

/**
 * The fleet body: every ID inline when it fits; else the CSV attachment(s) hold the list and the body names them, the
 * count and the first resources of each group; else (no full list given: the Slack modal) the samples and counts.
 * Incidents, group lines and resource samples share the budget in that order.
 */
function buildFleetCaseText(claim: Claim, requirements: ClaimRequirements, options: CaseTextOptions): CaseText {
  const fleet = claim.fleet!;
  const token = filingToken(claim.claimId);
  const given = options.fleetLists;
  if (given && (given.length !== fleet.parts.length || given.some((l, i) => l.length !== fleet.parts[i]!.resourceCount))) {
    throw new Error(`claim ${claim.claimId}: the resource lists given (${given.map((l) => l.length).join(', ')}) do not match its fleet groups (${fleet.parts.map((p) => p.resourceCount).join(', ')})`);
  }
  const full = fleet.parts.map((p, i) => given?.[i] ?? (p.chunks?.length ? null : p.resources));
  const subject = caseSubject(claim, requirements);
  const inline = fleetBody(claim, requirements, options, full, { kind: 'inline' });
  if (inline !== null) return { subject, body: inline, token, files: [] };
  if (full.some((l) => l === null)) return { subject, body: fleetBody(claim, requirements, options, full, { kind: 'sample' })!, token, files: [] };
  const files = fleetCsvFiles(claim, full as string[][]);
  const body = fleetBody(claim, requirements, options, full, { kind: 'attached', files: files.map((f) => f.fileName), rows: fleet.resourceCount })!;
  return { subject, body, token, files };
}

/** The body in `mode`; null when `inline` does not fit MAX_BODY_CHARS (or a list is missing). */
function fleetBody(claim: Claim, requirements: ClaimRequirements, options: CaseTextOptions, full: readonly (readonly string[] | null)[], mode: FleetMode): string | null {
  const fleet = claim.fleet!;
  const token = filingToken(claim.claimId);
  const clause = claim.slaClause;
  const evidenceFiles = options.attachments ?? [];
  const resourceFiles = mode.kind === 'attached' ? mode.files : [];
  const attachments = [...resourceFiles, ...evidenceFiles];
  const numberOf = new Map(claim.evidence.map((e, i) => [incidentKeyOf(claim.account, e.eventArn), i + 1]));
  const groupsOf = (e: Evidence) => {
    const key = incidentKeyOf(claim.account, e.eventArn);
    return fleet.parts.flatMap((p, i) => (p.incidents.includes(key) ? [i + 1] : []));
  };
  const charges = claim.chargesCents !== null ? `${formatUsd(claim.chargesCents)} for these resources in total` : 'unknown to us (please compute from the bill)';
  const groups = fleet.parts.length;
  const resourceText =
    mode.kind === 'attached'
      ? `${fleet.resourceCount}, in ${groups} group(s) by downtime below; every resource ID, with its incidents, downtime and credit, is in the attached ${mode.files.join(', ')} (${mode.rows} rows); the first of each group are listed below`
      : mode.kind === 'inline'
        ? `${fleet.resourceCount}, in ${groups} group(s) by downtime, every resource ID listed below`
        : `${fleet.resourceCount}, in ${groups} group(s) by downtime below (the first of each listed; every resource ID is in the attached CSV)`;

  const header = [
    'Hello AWS Support,',
    '',
    `We request a Service Credit under the ${/\bSLA\b/.test(clause.name) ? clause.name : `${clause.name} SLA`} for the ${claim.month} billing cycle, for ${fleet.resourceCount} affected resource(s).`,
    '',
    `Account: ${claim.account}`,
    `AWS Region: ${claim.region}`,
    `Billing cycle: ${claim.month} (UTC calendar month)`,
    `SLA: ${versionLine(claim)}`,
    `Service commitment: ${clause.commitmentPercent} % Monthly Uptime Percentage, per resource`,
    `Measured uptime: per resource, by group below; lowest ${claim.uptimePercent} % (${claim.downtimeMinutes} of ${claim.minutesInMonth} minutes unavailable)${claim.provisional ? ', provisional: an incident is still open' : ''}`,
    `Tier: ${clause.tierText} (the worst-hit group; each group's below)`,
    `Credit requested: ${fleetCreditRequested(claim)}`,
    `Charges the credit is computed on: ${charges}, ${clause.creditBaseText}`,
    `Basis of the downtime: ${basisLine(claim)}`,
    `Affected resources: ${resourceText}`,
    '',
  ];
  const checklist = [
    '',
    'What the SLA asks a request to include:',
    `- the words "${requirements.subject}" in the subject line: see the subject`,
    ...requirements.evidence.map((item) => `- ${item}: ${whereAnswered(item, evidenceFiles, claim, resourceFiles)}`),
    ...(attachments.length ? ['', `Attached: ${attachments.join(', ')}`] : []),
    '',
    tokenLine(token),
  ];
  const heads = fleet.parts.map((p, i) => groupHead(p, i, groups, p.incidents.map((k) => numberOf.get(k)).filter((n): n is number => n !== undefined)));
  const incidentTexts = claim.evidence.map((e, i) => {
    const lines = incidentLines({ ...e, affectedResourceCount: 0 }, i);
    if (e.affectedResourceCount > 0) {
      const g = groupsOf(e);
      lines.push(`   Affected resources: ${e.affectedResourceCount}${g.length ? ` (group${g.length > 1 ? 's' : ''} ${g.join(', ')})` : ''}`);
    }
    return lines.join('\n');
  });
  const incidentsTitle = `Incidents (UTC), ${claim.evidence.length}:`;

  if (mode.kind === 'inline') {
    if (full.some((l) => l === null)) return null;
    const groupTexts = fleet.parts.map((_, i) => [heads[i]!, ...wrapIds(full[i]!, 0, '')].join('\n'));
    const body = [...header, ...groupTexts, '', incidentsTitle, ...(incidentTexts.length ? incidentTexts : ['(none recorded)']), ...checklist].join('\n');
    return body.length <= MAX_BODY_CHARS ? body : null;
  }

  // Budgeted: incidents first (the SLA asks for each one's dates and times; the CSV names them only by event ARN),
  // then the group lines, then each shown group's first resources.
  const moreGroups = (n: number) => `+${n} more groups (${mode.kind === 'attached' ? 'every resource is in the attached list' : 'not shown here'})`;
  const moreIncidents = (n: number) => `+${n} more incidents (the same event records are in AWS Health)`;
  let used = [...header, '', incidentsTitle, ...checklist].join('\n').length + 1;
  const groupsReserve = moreGroups(groups).length + 1;
  const shownIncidents: string[] = [];
  for (const text of incidentTexts) {
    if (used + text.length + 1 + moreIncidents(claim.evidence.length).length + 1 + groupsReserve > MAX_BODY_CHARS) break;
    shownIncidents.push(text);
    used += text.length + 1;
  }
  if (claim.evidence.length === 0) shownIncidents.push('(none recorded)');
  if (shownIncidents.length < claim.evidence.length) {
    shownIncidents.push(moreIncidents(claim.evidence.length - shownIncidents.length));
    used += shownIncidents.at(-1)!.length + 1;
  }
  let shownGroups = 0;
  for (const head of heads) {
    if (used + head.length + 1 + (shownGroups + 1 < groups ? groupsReserve : 0) > MAX_BODY_CHARS) break;
    used += head.length + 1;
    shownGroups++;
  }
  if (shownGroups < groups) used += moreGroups(groups - shownGroups).length + 1;
  const moreText = mode.kind === 'attached' ? ` in ${mode.files.length > 1 ? 'the attached lists' : mode.files[0]}` : '';
  const groupTexts: string[] = [];
  for (let i = 0; i < shownGroups; i++) {
    const part = fleet.parts[i]!;
    const source = full[i] ?? part.resources;
    // As many of the group's first resources as the budget leaves (at most INLINE_RESOURCES), the rest counted.
    let lines: string[] = [];
    for (let n = Math.min(INLINE_RESOURCES, source.length); n >= 0; n--) {
      lines = n === 0 && part.resourceCount === 0 ? [] : wrapIds(source.slice(0, n), part.resourceCount - n, moreText);
      const size = lines.reduce((s, l) => s + l.length + 1, 0);
      if (used + size <= MAX_BODY_CHARS) break;
      lines = [];
    }
    used += lines.reduce((s, l) => s + l.length + 1, 0);
    groupTexts.push([heads[i]!, ...lines].join('\n'));
  }
  if (shownGroups < groups) groupTexts.push(moreGroups(groups - shownGroups));
  const body = [...header, ...groupTexts, '', incidentsTitle, ...shownIncidents, ...checklist].join('\n');
  if (body.length <= MAX_BODY_CHARS) return body;
  // Not reached by the budget above; if it were, the token line still ends the body (the filer finds the case by it).
  const last = tokenLine(token);
  return `${body.slice(0, MAX_BODY_CHARS - last.length - 1)}\n${last}`;
}
