/**
 * `sla-claims process <file|dir>… [--contract FILE] [--spend FILE] [--db DIR] [--now ISO] [--account ID] [--notify-slack] [--json]`:
 * the main job, locally — replays AWS Health events through the same pipeline the Lambda runs, on DynamoDB Local,
 * and prints the claim drafts. Arguments: `process-args.ts`; the replay: `process-run.ts`; the output:
 * `process-print.ts`.
 */
import type { LocalDynamoDb } from '../store/local-dynamodb.ts';
import type { Io } from './io.ts';
import { notifyClaims } from './local-slack.ts';
import { parseProcessArgs } from './process-args.ts';
import { basisLines, claimJson, claimsTable, failureLines, notEligibleLines, nothingClaimableNote, progressPrinter, reportSummary } from './process-print.ts';
import { runProcess, startStore, type ProcessReport } from './process-run.ts';

/** Exit statuses of `process` a script can branch on (2 is a bad command line, as for every command). */
export const PROCESS_EXIT = {
  /** At least one event went through the pipeline, and no input failed. */
  ok: 0,
  /** No event went through: no input, or every one quarantined or failed. */
  nothingProcessed: 3,
  /** Some inputs failed (listed at the end) or a transient error stopped the replay; the others were processed. */
  someFailed: 4,
} as const;

export function processExitCode(report: ProcessReport): number {
  if (report.processed === 0) return PROCESS_EXIT.nothingProcessed;
  if (report.failed.length || report.stoppedBy) return PROCESS_EXIT.someFailed;
  return PROCESS_EXIT.ok;
}

/** `start`: how the store is started (DynamoDB Local on --db; tests hand in a table on a running one). */
export async function processCommand(argv: string[], io: Io, start: (dbDir: string | undefined) => Promise<LocalDynamoDb> = startStore): Promise<number> {
  const args = parseProcessArgs(argv, io);
  const local = await start(args.dbDir);
  try {
    const report = await runProcess(local, {
      inputs: args.inputs,
      contract: args.contract,
      spend: args.spend,
      ...(args.nowMs === undefined ? {} : { nowMs: args.nowMs }),
      ...(args.account ? { account: args.account } : {}),
      ...(args.metrics ? { metrics: args.metrics.series } : {}),
      progress: progressPrinter(io, !args.json),
    });
    if (report.events === 0) io.err(`sla-claims: no events in ${args.inputs.join(', ')} (a folder is read for *.json files)`);
    if (args.slack) {
      const notified = await notifyClaims(local, report.claims, args.slack);
      report.claims = notified.claims;
      const posted = notified.results.filter((r) => r.action === 'posted').length;
      const updated = notified.results.filter((r) => r.action === 'updated').length;
      io.err(`slack: ${posted} posted, ${updated} updated, ${notified.results.length - posted - updated} unchanged or skipped`);
    }
    const nowMs = args.nowMs ?? Date.now();
    if (args.json) {
      io.out(
        JSON.stringify(
          { claims: report.claims.map(claimJson), quarantined: report.quarantined, failed: report.failed, ...(report.stoppedBy ? { stoppedBy: report.stoppedBy } : {}), ...(report.notEligible ? { notEligible: report.notEligible } : {}) },
          null,
          2,
        ),
      );
    } else {
      io.out(report.claims.length ? claimsTable(report.claims, nowMs) : 'No claim drafts: no covered outage in these events.');
      if (report.claims.some((c) => c.provisional)) io.out('* provisional: an event is still open; counted as down until now.');
      for (const line of basisLines(report.claims)) io.out(line);
      for (const line of notEligibleLines(report)) io.out(line);
      if (report.quarantined.length) {
        io.out('\nQuarantined (kept for review, nothing dropped):');
        for (const q of report.quarantined) io.out(`  ${q.source}: ${q.reason}`);
      }
      for (const line of failureLines(report)) io.out(line);
      io.out(`\n${reportSummary(report)}`);
    }
    const note = nothingClaimableNote(report.claims, nowMs);
    if (note) io.err(note);
    return processExitCode(report);
  } finally {
    await local.stop();
  }
}
