/**
 * `sla-claims demo` (what `npm start` runs): the main job, locally, on the embedded DynamoDB —
 * every event under events/ (AWS's own samples, the bad ones included, and a realistic replay of the
 * 20 October 2025 us-east-1 outage) through the real pipeline with the example contract and spend file,
 * then the claim drafts, what was quarantined, filing on a local fake AWS Support API, AWS's answers tracked and the
 * credits of a synthetic bill reconciled, and the monthly summary email for October 2025.
 */
import { join, relative } from 'node:path';
import { formatUsd } from '../credit/money.ts';
import { loadContract } from '../contract/contract.ts';
import { DynamoClaimStore } from '../store/claim-store.ts';
import type { LocalDynamoDb } from '../store/local-dynamodb.ts';
import { parseInstant, parseOptions, UsageError } from './args.ts';
import type { Io } from './io.ts';
import { EXAMPLE_CONTRACT, EXAMPLE_SPEND, htmlOutFile, PACKAGE_ROOT, storeFolderToFill } from './paths.ts';
import { loadMetrics, loadSpend } from './process-args.ts';
import { processExitCode } from './process-command.ts';
import { basisLines, claimsTable, failureLines, notEligibleLines, progressPrinter, reportSummary } from './process-print.ts';
import { runProcess, startStore } from './process-run.ts';
import { writeSummaryFiles } from './summary-command.ts';
import { demoFilingLines, fileDemoClaims } from './demo-filing.ts';
import { DEMO_CREDITS, demoTrackingLines, trackDemoCases } from './demo-tracking.ts';
import { startFakeSupport } from './local-support.ts';

/** Synthetic CloudWatch datapoints for some of the 20 October scopes (documented in the file), so both bases show. */
export const DEMO_METRICS = join(PACKAGE_ROOT, 'events', 'demo', 'metrics-2025-10-20.csv');

/** The replay runs "as of" the day after the outage, when every October claim can still be filed. */
export const DEMO_NOW = '2025-10-22T00:00:00Z';
export const DEMO_MONTH = '2025-10';

/** `start`: how the store is started (DynamoDB Local; tests hand in a table on a running one). */
export async function demoCommand(argv: string[], io: Io, start: (dbDir: string | undefined) => Promise<LocalDynamoDb> = startStore): Promise<number> {
  const { values } = parseOptions(argv, {
    db: { type: 'string' },
    now: { type: 'string' },
    out: { type: 'string' },
    account: { type: 'string' },
  });
  const nowIso = values.now ?? DEMO_NOW;
  const nowMs = parseInstant(nowIso, '--now');
  // The account of the saved Health API response under events/ (it does not say whose it is).
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new UsageError(`--account: expected a 12-digit AWS account id (got ${JSON.stringify(values.account)})`);
  }
  const outFile = htmlOutFile(values.out ?? join('out', `summary-${DEMO_MONTH}.html`));
  const dbDir = values.db === undefined ? undefined : storeFolderToFill(values.db);
  const eventsDir = join(PACKAGE_ROOT, 'events');
  const contract = loadContract(EXAMPLE_CONTRACT);
  const spend = loadSpend(EXAMPLE_SPEND);
  const metrics = loadMetrics(DEMO_METRICS, contract);
  const rel = (p: string) => relative(process.cwd(), p) || '.';

  io.out(`sla-claims demo: replaying ${rel(eventsDir)}/ as of ${nowIso}`);
  io.out(`  contract ${rel(EXAMPLE_CONTRACT)}, spend ${rel(EXAMPLE_SPEND)}, DynamoDB Local ${dbDir ? `in ${dbDir}` : 'in memory'}`);
  io.out(`  measured metrics ${rel(DEMO_METRICS)} (synthetic CloudWatch datapoints for ${metrics.series.length} scope${metrics.series.length === 1 ? '' : 's'})`);
  io.out('  starting DynamoDB Local (Java)…');
  const local = await start(dbDir);
  try {
    const report = await runProcess(local, {
      inputs: [eventsDir],
      contract,
      spend,
      nowMs,
      ...(values.account ? { account: values.account } : {}),
      metrics: metrics.series,
      progress: progressPrinter(io, true),
    });
    io.out('\nClaim drafts');
    io.out(claimsTable(report.claims, nowMs));
    if (report.claims.some((c) => c.provisional)) io.out('* provisional: an event is still open (or went stale); counted as down until now.');
    for (const line of basisLines(report.claims)) io.out(line);
    for (const line of notEligibleLines(report)) io.out(line);
    io.out('\nQuarantined (kept with the raw payload for review; nothing is dropped)');
    for (const q of report.quarantined) io.out(`  ${q.source}\n    ${q.reason}`);
    for (const line of failureLines(report)) io.out(line);
    // Filing (issue 9): approve as the demo approver, file on the local fake Support API; then AWS answers the cases,
    // tracking reads them and reconciliation matches the synthetic bill's credits.
    const support = await startFakeSupport({ now: () => new Date(nowMs) });
    let paidLine: string;
    let paidCents = 0;
    try {
      const filing = await fileDemoClaims(local, report.claims, contract, nowMs, support);
      for (const line of demoFilingLines(filing, dbDir)) io.out(line);
      const submitted = filing.results.filter((r) => r.result.action === 'submitted').map((r) => r.claim);
      const tracked = await trackDemoCases(local, support, submitted, nowMs);
      for (const line of demoTrackingLines(tracked, rel(DEMO_CREDITS))) io.out(line);
      const paid = tracked.claims.reduce((n, c) => n + (c.payment?.paidCents ?? 0), 0);
      paidCents = paid;
      const claimed = tracked.claims.reduce((n, c) => n + (c.creditCents ?? 0), 0);
      paidLine = `AWS paid ${formatUsd(paid)} of the ${formatUsd(claimed)} filed (${tracked.claims.filter((c) => c.status === 'credited').length} credited)`;
    } finally {
      await support.close();
    }
    const files = await writeSummaryFiles(new DynamoClaimStore(local.db), DEMO_MONTH, outFile, nowMs);
    const claimable = report.claims.filter((c) => c.claimable);
    io.out('\nSummary');
    io.out(`  ${reportSummary(report)}`);
    const owed = claimable.reduce((s, c) => s + (c.creditCents ?? 0), 0);
    io.out(`  AWS owes ${formatUsd(owed)} in SLA credits for ${DEMO_MONTH} across ${claimable.length} claimable claims; file by ${claimable[0]?.deadline ?? 'n/a'}.`);
    // Paid money is no longer owed: say what is left, so the two lines do not read as $3,120.49 still due.
    io.out(`  ${paidLine}; ${formatUsd(Math.max(0, owed - paidCents))} still owed.`);
    io.out(`  Monthly summary email: ${rel(files.htmlFile)} (open it in a browser) and ${rel(files.textFile)}`);
    io.out('  Next: approve claims in Slack (docs/slack.md), deploy with `npx sls deploy` (README).');
    return processExitCode(report);
  } finally {
    await local.stop();
  }
}
