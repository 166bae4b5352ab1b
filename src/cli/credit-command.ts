/** `sla-claims slas` and `sla-claims credit`. */
import { computeCredit } from '../credit/engine.ts';
import { formatUsd, InvalidAmountError, parseUsdToCents } from '../credit/money.ts';
import { InvalidMonthError, monthWindow } from '../credit/month.ts';
import { CREDIT_BASES } from '../sla/credit-bases.ts';
import { getSla, listSlaIds, MONEY_PARTS, SLA_CATALOG, slaVersions, termsOfVersion, versionInForce } from '../sla/index.ts';
import type { SlaDefinition, SlaTermPart } from '../sla/types.ts';
import { joinNegativeValues, parseInstant, parseOptions, parseOutage, UsageError, type OutageArg } from './args.ts';
import type { Io } from './io.ts';
import { renderPairs, renderTable } from '../format/text-table.ts';

export function tiersText(sla: SlaDefinition): string {
  if (sla.measurement === 'days-of-charges') {
    // Each period of Unavailability earns its own tier; the month's credit is the sum.
    return `each period: ${(sla.dayTiers ?? [])
      .map((t) => `${t.minMinutes}${t.maxMinutes === null ? '+' : `–${t.maxMinutes}`} min → ${t.days} d`)
      .join('; ')}`;
  }
  return sla.tiers.map((t) => `<${t.below}${t.atLeast === null ? '' : ` ≥${t.atLeast}`} → ${t.creditPercent}%`).join('; ');
}

/** "no: tiers, credit base" or "yes": whether commitment, tiers and credit base were read on the AWS page. */
export function confirmedText(sla: SlaDefinition): string {
  const parts = [...new Set((sla.source.unconfirmed ?? []).filter((u) => MONEY_PARTS.includes(u.part)).map((u) => PART_LABEL[u.part]))];
  if (parts.length === 0) return sla.source.verified ? 'yes' : 'no (see source.notes)';
  return `no: ${parts.join(', ')}`;
}

const PART_LABEL: Record<SlaTermPart, string> = {
  commitment: 'commitment',
  tiers: 'tiers',
  creditBase: 'credit base',
  measurement: 'measurement',
  versionDate: 'version date',
};

/** The known version dates of an SLA, oldest first ("?" for an undated current version). */
export function versionDates(sla: SlaDefinition): string[] {
  return slaVersions(sla).map((v) => v.source.lastUpdated ?? '?');
}

function shortName(name: string, max = 44): string {
  return name.length <= max ? name : `${name.slice(0, max - 1)}…`;
}

/**
 * `sla-claims slas [--at ISO] [--json]`: per SLA its id, name, the version in force (now, or at --at), whether its
 * terms are confirmed and which parts are not, its credit base and commitment.
 */
export function slasCommand(argv: string[], io: Io, nowMs = Date.now()): number {
  const { values } = parseOptions(argv, { json: { type: 'boolean', default: false }, at: { type: 'string' } });
  const atMs = values.at === undefined ? nowMs : parseInstant(values.at, '--at');
  const inForce = SLA_CATALOG.map((current) => ({ current, ...versionInForce(current, atMs) }));
  if (values.json) {
    io.out(
      JSON.stringify(
        inForce.map(({ current, sla, known }) => ({
          ...sla,
          versions: versionDates(current),
          inForceAt: known,
          creditBaseCounted: CREDIT_BASES[sla.id]?.counted ?? null,
          creditBaseExcluded: CREDIT_BASES[sla.id]?.excluded ?? null,
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  io.out(
    renderTable(
      ['id', 'name', 'commitment', 'credit tiers', 'credit base', 'version', 'prior versions', 'confirmed'],
      inForce.map(({ current, sla, known }) => [
        sla.id,
        shortName(sla.name),
        `${sla.commitmentPercent} %`,
        tiersText(sla),
        sla.creditBase,
        known ? (sla.source.lastUpdated ?? '?') : `none (oldest ${sla.source.lastUpdated ?? '?'})`,
        versionDates(current).slice(0, -1).join(', ') || '—',
        confirmedText(sla),
      ]),
    ),
  );
  io.out(
    `\nversion: the "Last Updated" date of the version in force ${values.at === undefined ? 'now' : `at ${new Date(atMs).toISOString()}`} (? = not readable). ` +
      'confirmed: commitment, tiers and credit base read on the AWS page; a claim on unconfirmed terms is flagged and never filed automatically. ' +
      'What is unconfirmed and where each figure comes from: sla-claims slas --json (source.unconfirmed, source.notes).',
  );
  // The exact charges each credit is a percentage of (src/sla/credit-bases.ts); what is excluded: --json.
  io.out('\ncredit base: the charges counted (excluded ones: sla-claims slas --json, creditBaseExcluded)');
  for (const { sla } of inForce) io.out(`  ${sla.id}: ${CREDIT_BASES[sla.id]?.counted ?? sla.creditBaseText}`);
  return 0;
}

export function creditCommand(argv: string[], io: Io, nowMs = Date.now()): number {
  const { values } = parseOptions(joinNegativeValues(argv, ['--charges']), {
    sla: { type: 'string' },
    month: { type: 'string' },
    outage: { type: 'string', multiple: true },
    charges: { type: 'string' },
    now: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (!values.sla) throw new UsageError(`--sla is required; one of: ${listSlaIds().join(', ')}`);
  const sla = getSla(values.sla);
  if (!sla) throw new UsageError(`--sla: unknown SLA id ${JSON.stringify(values.sla)}; valid ids: ${listSlaIds().join(', ')}`);
  if (!values.month) throw new UsageError('--month is required (YYYY-MM)');
  let window: { startMs: number; endMs: number };
  try {
    window = monthWindow(values.month);
  } catch (error) {
    if (error instanceof InvalidMonthError) throw new UsageError(`--${error.message}`);
    throw error;
  }
  const outageTexts = values.outage ?? [];
  const outages = outageTexts.map((text, index) => parseOutage(text, index));
  let chargesCents: number | null = null;
  if (values.charges !== undefined) {
    try {
      chargesCents = parseUsdToCents(values.charges, '--charges');
    } catch (error) {
      if (error instanceof InvalidAmountError) throw new UsageError(error.message);
      throw error;
    }
  }
  const now = values.now === undefined ? nowMs : parseInstant(values.now, '--now');
  if (outages.length === 0) {
    // Without one the answer would be "0 minutes, claimable unknown": a question not asked.
    throw new UsageError('--outage is required: START/END as ISO-8601 instants with a zone (END empty while open), like --outage 2025-10-20T06:48:00Z/2025-10-20T09:40:00Z');
  }
  checkOutagesInMonth(outages, outageTexts, values.month, window, now, io);
  // As in the pipeline: the SLA version in force at the first outage's start (clipped to the month) decides.
  const firstMs = Math.max(window.startMs, Math.min(...outages.map((o) => o.startMs)));
  const inForce = versionInForce(sla, firstMs);
  const terms = termsOfVersion(inForce, firstMs);
  const computed = computeCredit({ sla: inForce.sla, month: values.month, outages, chargesCents, nowMs: now });
  // As in the pipeline: AWS accepts a claim only until its deadline, so a late one is not claimable.
  const late = computed.deadline < new Date(now).toISOString().slice(0, 10);
  const result = { ...computed, claimable: computed.claimable && !late, late, terms };

  if (values.json) {
    const { windows, downtimeMs: _ms, ...rest } = result;
    io.out(
      JSON.stringify({
        ...rest,
        windows: windows.map((w) => ({ start: new Date(w.startMs).toISOString(), end: new Date(w.endMs).toISOString() })),
      }),
    );
    return 0;
  }
  const credit =
    result.creditCents === null
      ? `${result.creditPercent} % of the month's charges (charges unknown: pass --charges USD)`
      : `${formatUsd(result.creditCents)} (${result.creditPercent} % of ${formatUsd(result.chargesCents ?? 0)})`;
  io.out(
    renderPairs([
      ['SLA', `${inForce.sla.name} (${sla.id}), commitment ${inForce.sla.commitmentPercent} %`],
      ['Terms', termsLine(terms)],
      ['Month', `${result.month} (${result.minutesInMonth.toLocaleString('en-US')} minutes)`],
      ['Downtime', `${result.downtimeMinutes} minutes${result.provisional ? ' (provisional: an outage is still open)' : ''}`],
      ['Uptime', `${result.uptimePercent.toFixed(4)} %`],
      ['Tier', result.tierText ?? 'commitment met: no credit'],
      ['Credit', credit],
      ['Claimable', claimableText(result, now)],
      ['Deadline', `${result.deadline} (end of the second billing cycle after the incident month)`],
    ]),
  );
  return 0;
}

function termsLine(terms: { versionDate: string | null; confirmed: boolean; unconfirmed: string[] }): string {
  const version = `version ${terms.versionDate ?? '? (date not readable)'}`;
  if (terms.confirmed) return `${version}, confirmed on the AWS page`;
  const parts = terms.unconfirmed.map((u) => u.split(':')[0]).join(', ');
  return `${version}, ⚠ unconfirmed (${parts}): check the SLA page before filing (sla-claims slas --json)`;
}

function claimableText(result: { claimable: boolean; late: boolean; creditCents: number | null; creditPercent: number; creditDays: number | null; deadline: string }, nowMs: number): string {
  if (result.claimable) return 'yes';
  if (result.creditPercent === 0 && !result.creditDays) return 'no (commitment met)';
  if (result.late) return `no (late: the deadline ${result.deadline} has passed as of ${new Date(nowMs).toISOString().slice(0, 10)}; pass --now ISO to see it as of an earlier day)`;
  if (result.creditCents === null) return 'unknown (charges unknown: pass --charges USD)';
  return 'no (AWS credits only amounts over $1.00)';
}

/**
 * An outage wholly outside --month counts nothing for it: refused, since the month or the dates are wrong. One that
 * crosses the month's edge is clipped to it, and said so.
 */
function checkOutagesInMonth(outages: readonly OutageArg[], texts: readonly string[], month: string, window: { startMs: number; endMs: number }, nowMs: number, io: Io): void {
  const iso = (ms: number) => new Date(ms).toISOString();
  outages.forEach((outage, i) => {
    const end = outage.endMs ?? Math.max(nowMs, outage.startMs);
    const field = `--outage #${i + 1}`;
    if (end <= window.startMs || outage.startMs >= window.endMs) {
      throw new UsageError(
        `${field}: ${texts[i]} is outside --month ${month} (${iso(window.startMs)} to ${iso(window.endMs)}) and would count 0 minutes; pass the outage's own month`,
      );
    }
    if (outage.startMs < window.startMs || end > window.endMs) {
      io.err(`sla-claims credit: ${field} crosses the edge of ${month}; only the part inside the month counts (compute the other month separately)`);
    }
  });
}
