/**
 * `sla-claims summary --month YYYY-MM [--db DIR] [--out FILE.html] [--json] [--now ISO] [--tz ZONE]`
 *
 * Renders the monthly summary email from the local store that `sla-claims process --db DIR` filled (DynamoDB Local is
 * started on that folder, read, and stopped), writes the HTML part to --out (default out/summary-YYYY-MM.html) and the
 * text part next to it (.txt), and prints where they are and a short summary; --json prints the aggregated model.
 * Nothing is sent and no marker is written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { formatUsd } from '../credit/money.ts';
import type { ClaimStore } from '../store/claim-store.ts';
import { DynamoClaimStore } from '../store/claim-store.ts';
import { MONTH_RE } from '../summary/config.ts';
import { loadSummaryWithHistory } from '../summary/history.ts';
import type { SummaryModel } from '../summary/model.ts';
import { renderSummaryEmail, type RenderOptions, type SummaryEmail } from '../summary/render.ts';
import { parseInstant, parseOptions, UsageError } from './args.ts';
import type { Io } from './io.ts';
import { htmlOutFile, startStore, storeFolderToRead } from './paths.ts';

/** Where the local store lives when --db is not given (the folder `sla-claims process` uses by default). */
export const DEFAULT_DB_DIR = '.dynamodb';

export function defaultSummaryFile(month: string): string {
  return `out/summary-${month}.html`;
}

/** The text part's file: FILE.html → FILE.txt (or FILE + .txt). */
export function textFileFor(htmlFile: string): string {
  return /\.html?$/i.test(htmlFile) ? htmlFile.replace(/\.html?$/i, '.txt') : `${htmlFile}.txt`;
}

export interface SummaryFiles {
  htmlFile: string;
  textFile: string;
  model: SummaryModel;
  email: SummaryEmail;
}

export interface WriteSummaryOptions {
  timeZone?: string;
  render?: RenderOptions;
}

/**
 * Builds the summary of `month` from an already running store and writes FILE.html and FILE.txt.
 * `now` (epoch ms or Date) is the generation time: days left are counted from it.
 */
export async function writeSummaryFiles(
  store: ClaimStore,
  month: string,
  outFile: string = defaultSummaryFile(month),
  now: number | Date = Date.now(),
  options: WriteSummaryOptions = {},
): Promise<SummaryFiles> {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const model = await loadSummaryWithHistory(store, month, { nowMs, ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
  const email = renderSummaryEmail(model, options.render);
  const htmlFile = resolve(outFile);
  const textFile = textFileFor(htmlFile);
  mkdirSync(dirname(htmlFile), { recursive: true });
  writeFileSync(htmlFile, email.html, 'utf8');
  writeFileSync(textFile, email.text, 'utf8');
  return { htmlFile, textFile, model, email };
}

function shortSummary(files: SummaryFiles): string {
  const m = files.model;
  const lines = [`${m.monthLabel}: ${m.claimCount} claim${m.claimCount === 1 ? '' : 's'}`];
  if (m.nothingOwed) {
    lines.push(m.claimCount === 0 ? 'Nothing is owed: no SLA credit claims for this month.' : 'Nothing is owed for this month.');
  } else {
    lines.push(`Credit owed ${formatUsd(m.owedCents)}; still to file ${formatUsd(m.toFileCents)}; submitted ${formatUsd(m.submittedCents)}.`);
  }
  if (m.needsAction.length) {
    const soonest = m.needsAction[0]!;
    lines.push(`${m.needsAction.length} claim${m.needsAction.length === 1 ? ' needs' : 's need'} action; soonest deadline ${soonest.deadline} (${soonest.daysLeft} days left).`);
  }
  const flags = [
    m.provisional.length ? `${m.provisional.length} provisional` : '',
    m.chargesUnknown.length ? `${m.chargesUnknown.length} with charges unknown` : '',
  ].filter(Boolean);
  if (flags.length) lines.push(`Flagged: ${flags.join(', ')}.`);
  lines.push(`Subject: ${files.email.subject}`);
  return lines.join('\n');
}

export async function summaryCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    {
      month: { type: 'string' },
      db: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      now: { type: 'string' },
      tz: { type: 'string' },
    },
    true,
  );
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; usage: summary --month YYYY-MM [--db DIR] [--out FILE.html] [--json] [--now ISO] [--tz ZONE]`);
  const month = values.month;
  if (month === undefined) throw new UsageError('--month: required, like --month 2025-10');
  if (!MONTH_RE.test(month) || Number(month.slice(0, 4)) < 1970) {
    throw new UsageError(`--month: expected YYYY-MM, like 2025-10 (got ${JSON.stringify(month)})`);
  }
  const outFile = htmlOutFile(values.out ?? defaultSummaryFile(month));
  if (values.tz !== undefined && !IANAZone.isValidZone(values.tz)) {
    throw new UsageError(`--tz: expected an IANA time zone, like Europe/London (got ${JSON.stringify(values.tz)})`);
  }
  const nowMs = values.now !== undefined ? parseInstant(values.now, '--now') : Date.now();
  // Checked before DynamoDB Local starts: started on a folder without a store, it would create an empty one there.
  const dbDir = storeFolderToRead(values.db ?? DEFAULT_DB_DIR);
  const local = await startStore(dbDir);
  let files: SummaryFiles;
  try {
    files = await writeSummaryFiles(new DynamoClaimStore(local.db), month, outFile, nowMs, values.tz ? { timeZone: values.tz } : {});
  } finally {
    await local.stop();
  }
  if (values.json) {
    io.out(JSON.stringify(files.model, null, 2));
    return 0;
  }
  io.out(`HTML: ${files.htmlFile}`);
  io.out(`Text: ${files.textFile}`);
  io.out(shortSummary(files));
  return 0;
}
