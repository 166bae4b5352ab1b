/** `sla-claims slas` and `sla-claims credit`. */
import { parseArgs } from 'node:util';
import { computeCredit } from '../credit/engine.ts';
import { formatUsd, InvalidAmountError, parseUsdToCents } from '../credit/money.ts';
import { InvalidMonthError, monthWindow } from '../credit/month.ts';
import { getSla, listSlaIds, SLA_CATALOG } from '../sla/index.ts';
import type { SlaDefinition } from '../sla/types.ts';
import { joinNegativeValues, parseInstant, parseOutage, UsageError } from './args.ts';
import { renderPairs, renderTable } from './table.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function tiersText(sla: SlaDefinition): string {
  if (sla.measurement === 'days-of-charges') {
    return (sla.dayTiers ?? [])
      .map((t) => `${t.minMinutes}${t.maxMinutes === null ? '+' : `–${t.maxMinutes}`} min → ${t.days} d`)
      .join('; ');
  }
  return sla.tiers.map((t) => `<${t.below}${t.atLeast === null ? '' : ` ≥${t.atLeast}`} → ${t.creditPercent}%`).join('; ');
}

export function slasCommand(argv: string[], io: Io): number {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, strict: true });
  if (values.json) {
    io.out(JSON.stringify(SLA_CATALOG, null, 2));
    return 0;
  }
  io.out(
    renderTable(
      ['id', 'services', 'scope', 'commitment', 'measured by', 'credit tiers', 'verified', 'page updated'],
      SLA_CATALOG.map((s) => [
        s.id,
        s.services.join(','),
        s.scope,
        `${s.commitmentPercent} %`,
        s.measurement,
        tiersText(s),
        s.source.verified ? 'yes' : 'partly',
        s.source.lastUpdated ?? '?',
      ]),
    ),
  );
  return 0;
}

export function creditCommand(argv: string[], io: Io, nowMs = Date.now()): number {
  const { values } = parseArgs({
    args: joinNegativeValues(argv, ['--charges']),
    options: {
      sla: { type: 'string' },
      month: { type: 'string' },
      outage: { type: 'string', multiple: true },
      charges: { type: 'string' },
      now: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.sla) throw new UsageError(`--sla is required; one of: ${listSlaIds().join(', ')}`);
  const sla = getSla(values.sla);
  if (!sla) throw new UsageError(`--sla: unknown SLA id ${JSON.stringify(values.sla)}; valid ids: ${listSlaIds().join(', ')}`);
  if (!values.month) throw new UsageError('--month is required (YYYY-MM)');
  try {
    monthWindow(values.month);
  } catch (error) {
    if (error instanceof InvalidMonthError) throw new UsageError(`--${error.message}`);
    throw error;
  }
  const outages = (values.outage ?? []).map((text, index) => parseOutage(text, index));
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
  const result = computeCredit({ sla, month: values.month, outages, chargesCents, nowMs: now });

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
      ['SLA', `${sla.name} (${sla.id}), commitment ${sla.commitmentPercent} %`],
      ['Month', `${result.month} (${result.minutesInMonth.toLocaleString('en-US')} minutes)`],
      ['Downtime', `${result.downtimeMinutes} minutes${result.provisional ? ' (provisional: an outage is still open)' : ''}`],
      ['Uptime', `${result.uptimePercent.toFixed(4)} %`],
      ['Tier', result.tierText ?? 'commitment met: no credit'],
      ['Credit', credit],
      ['Claimable', result.claimable ? 'yes' : result.creditCents === null ? 'unknown (charges unknown)' : 'no (AWS credits only amounts over $1.00)'],
      ['Deadline', `${result.deadline} (end of the second billing cycle after the incident month)`],
    ]),
  );
  return 0;
}
