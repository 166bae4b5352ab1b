/** What `sla-claims process` (and `demo`) print: the claim table, the summary line, progress, and why. */
import type { Claim, FleetPart } from '../claims/types.ts';
import { formatUsd } from '../credit/money.ts';
import { countText, fleetOverview, hiddenPartsText, sampleId } from '../format/fleet.ts';
import type { Io } from './io.ts';
import type { ProcessReport } from './process-run.ts';
import { renderTable } from '../format/text-table.ts';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function isLate(claim: Claim, nowMs: number): boolean {
  return claim.deadline < day(nowMs);
}

/** A claim's terms are confirmed only when it says so; claims stored before `terms` existed count as unconfirmed. */
export function termsConfirmed(claim: Claim): boolean {
  return claim.terms?.confirmed === true;
}

/** The SLA cell: the id, ⚠ when computed on unconfirmed terms, † when a newer SLA version took effect in the month. */
function slaCell(claim: Claim): string {
  return `${claim.slaId}${termsConfirmed(claim) ? '' : ' ⚠'}${claim.terms?.newVersionInMonth ? ' †' : ''}`;
}

/** Legend lines for the markers the table uses (none when no claim carries one). */
export function termsLegend(claims: readonly Claim[]): string[] {
  const lines: string[] = [];
  if (claims.some((c) => !termsConfirmed(c))) {
    lines.push('⚠ terms unconfirmed: computed on SLA terms not confirmed on the AWS page (see the claim\'s terms.unconfirmed, or sla-claims slas); check them before filing; never filed automatically.');
  }
  const newer = [...new Set(claims.map((c) => c.terms?.newVersionInMonth).filter((d): d is string => Boolean(d)))];
  if (newer.length) {
    lines.push(`† a newer SLA version took effect during the claim's month (${newer.join(', ')}); the claim uses the version in force at its first incident.`);
  }
  return lines;
}

/** Where a claim applies: its resource (legacy per-resource claims), its fleet's size, or its Region. */
function scopeOf(claim: Claim): string {
  if (claim.resource) return claim.resource;
  return claim.fleet ? `${claim.region} · ${countText(claim.fleet.resourceCount)}` : claim.region;
}

function partLine(shown: { part: FleetPart; samples: string[]; moreResources: number }): string {
  const p = shown.part;
  const credit = p.creditCents !== null ? formatUsd(p.creditCents) : 'charges unknown';
  const more = shown.moreResources > 0 ? ` +${shown.moreResources.toLocaleString('en-US')} more` : '';
  return `    ${countText(p.resourceCount)} · ${p.downtimeMinutes} min down · credit ${p.creditPercent} % · ${credit} · ${shown.samples.map((r) => sampleId(r, 40)).join(', ')}${more}`;
}

/**
 * Each fleet claim's groups of resources (hit by the same incidents), one line per group, largest downtime first, at
 * most SHOWN_PARTS then "+ N more groups, M resources". None when no claim is a fleet claim.
 */
export function fleetLines(claims: readonly Claim[]): string[] {
  const fleets = claims.filter((c) => c.fleet);
  if (fleets.length === 0) return [];
  const lines = ['fleet claims: one claim for all the affected resources, in groups hit by the same events:'];
  for (const c of fleets) {
    const fleet = c.fleet!;
    lines.push(`  ${c.account} ${c.slaId} ${c.region} ${c.month}: ${countText(fleet.resourceCount)} in ${countText(fleet.parts.length, 'group')}`);
    const overview = fleetOverview(fleet.parts);
    for (const shown of overview.shown) lines.push(partLine(shown));
    if (overview.hiddenParts > 0) lines.push(`    ${hiddenPartsText(overview)}`);
  }
  return lines;
}

export function claimsTable(claims: readonly Claim[], nowMs = Date.now()): string {
  const table = renderTable(
    ['account', 'sla', 'region / resource', 'month', 'down min', 'uptime %', 'credit', 'amount', 'claimable', 'deadline', 'status', 'basis'],
    claims.map((c) => [
      c.account,
      slaCell(c),
      shorten(scopeOf(c), 40),
      c.month,
      `${c.downtimeMinutes}${c.provisional ? '*' : ''}`,
      c.uptimePercent.toFixed(4),
      c.creditDays !== null ? `${c.creditDays} d` : `${c.creditPercent} %`,
      c.creditCents === null ? 'charges unknown' : formatUsd(c.creditCents),
      c.claimable ? 'yes' : isLate(c, nowMs) ? 'no (late)' : 'no',
      c.deadline,
      c.status,
      c.basis?.kind === 'measured' ? 'measured' : 'estimate',
    ]),
  );
  return [table, ...fleetLines(claims), ...termsLegend(claims)].join('\n');
}

/** The legend of the basis column, and each measured claim's note (what it rests on). */
export function basisLines(claims: readonly Claim[]): string[] {
  if (claims.length === 0) return [];
  const lines = ['basis: measured = computed from your CloudWatch metrics as the SLA defines it; estimate = the AWS Health window taken as 100 % errors/unavailable, an upper bound.'];
  for (const c of claims) {
    if (c.basis?.kind === 'measured') lines.push(`  ${c.account} ${c.slaId} ${scopeOf(c)} ${c.month}: ${c.basis.note ?? 'measured'}`);
  }
  return lines;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(-(max - 1))}`;
}

export function reportSummary(report: ProcessReport): string {
  const claimable = report.claims.filter((c) => c.claimable);
  const total = claimable.reduce((sum, c) => sum + (c.creditCents ?? 0), 0);
  const unknown = report.claims.filter((c) => !c.chargesKnown && c.creditPercent > 0).length;
  return (
    `${report.events} events → ${report.incidents} incidents, ${report.claims.length} claim drafts ` +
    `(${claimable.length} claimable, ${formatUsd(total)} owed${unknown ? `; ${unknown} with charges unknown` : ''}), ` +
    `${report.quarantined.length} quarantined${report.failed.length ? `, ${report.failed.length} failed` : ''}` +
    `${report.stoppedBy ? ', stopped early' : ''}, in ${(report.elapsedMs / 1000).toFixed(1)} s`
  );
}

/**
 * Why no claim is claimable, when none is: past the filing deadline as of `now`, charges unknown (no spend data), or
 * under AWS's $1.00 minimum. Null when something is claimable or there are no claims.
 */
export function nothingClaimableNote(claims: readonly Claim[], nowMs: number): string | null {
  const owed = claims.filter((c) => c.creditPercent > 0 || (c.creditDays ?? 0) > 0);
  if (owed.length === 0 || claims.some((c) => c.claimable)) return null;
  const late = owed.filter((c) => isLate(c, nowMs)).length;
  const unknown = owed.filter((c) => !isLate(c, nowMs) && c.creditCents === null).length;
  const small = owed.length - late - unknown;
  const reasons = [
    late ? `${late} past the filing deadline as of ${day(nowMs)} (replay as of an earlier day with --now ISO)` : '',
    unknown ? `${unknown} with charges unknown (pass --spend FILE.csv)` : '',
    small ? `${small} under AWS's $1.00 minimum` : '',
  ].filter(Boolean);
  return `sla-claims: nothing is claimable: of ${owed.length} claims with a credit, ${reasons.join('; ')}`;
}

export function claimJson(claim: Claim) {
  return {
    ...claim,
    eventArns: [...new Set(claim.evidence.map((e) => e.eventArn))],
  };
}

export function progressPrinter(io: Io, enabled: boolean) {
  let last = 0;
  return (done: number, total: number, quarantined: number) => {
    if (!enabled) return;
    const now = Date.now();
    if (done === total || now - last > 1000) {
      last = now;
      io.err(`  … ${done}/${total} events (${Math.round((done / total) * 100)} %), ${quarantined} quarantined`);
    }
  };
}

/** The inputs that ended neither processed nor quarantined, for the end of the report (stdout, with the rest). */
export function failureLines(report: ProcessReport): string[] {
  const lines: string[] = [];
  if (report.failed.length) {
    lines.push(`\nFailed (not processed; the replay went on past them):`);
    for (const f of report.failed) lines.push(`  ${f.source}: ${f.error}`);
  }
  if (report.stoppedBy) {
    lines.push(`\nStopped at ${report.stoppedBy.source} by a transient error (later inputs not processed; run again): ${report.stoppedBy.error}`);
  }
  return lines;
}

/** Scopes that matched but draft no claim under their SLA's definition (e.g. EC2 Region-level on API errors), with why. */
export function notEligibleLines(report: ProcessReport): string[] {
  if (!report.notEligible?.length) return [];
  const lines = ['\nNot claimable under the SLA (no claim drafted)'];
  for (const n of report.notEligible) lines.push(`  ${n.account}  ${n.slaId}  ${n.region}\n    ${n.reason}`);
  return lines;
}
