/**
 * `sla-claims process <file|dir>… [--contract FILE] [--spend FILE] [--db DIR] [--now ISO] [--account ID] [--notify-slack] [--json]`:
 * the main job, locally — replays AWS Health events (a file holds one event or an array) in file order through the
 * same pipeline the Lambda runs, on DynamoDB Local, and prints the claim drafts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Claim } from '../claims/types.ts';
import { formatUsd } from '../credit/money.ts';
import { ContractError, loadContract, type Contract } from '../contract/contract.ts';
import { ingestPayload, quarantine, type IngestDeps } from '../pipeline/ingest.ts';
import { QuarantineStore, type QuarantineRecord } from '../pipeline/quarantine.ts';
import { CsvSpendSource, NO_SPEND, SpendFileError, type SpendSource } from '../spend/spend.ts';
import { webClientSlackApi } from '../slack/api.ts';
import { loadSlackConfig, SlackConfigError } from '../slack/config.ts';
import { notifyClaim, type NotifyResult } from '../slack/notify.ts';
import { DynamoClaimStore } from '../store/claim-store.ts';
import { dynamoStores } from '../store/stores.ts';
import { JavaMissingError, startLocalDynamoDb, type LocalDynamoDb } from '../store/local-dynamodb.ts';
import { parseInstant, UsageError } from './args.ts';
import type { Io } from './credit-command.ts';
import { renderTable } from './table.ts';

export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const EXAMPLE_CONTRACT = join(PACKAGE_ROOT, 'config', 'contract.example.yml');

export interface ProcessOptions {
  inputs: string[];
  contract: Contract;
  spend: SpendSource;
  /** Fixed "now" (replays); the real clock otherwise. */
  nowMs?: number;
  /** Account of saved Health API responses (default: the contract's only account, if it names exactly one). */
  account?: string;
  progress?: (done: number, total: number, quarantined: number) => void;
}

export interface ProcessReport {
  events: number;
  claims: Claim[];
  quarantined: QuarantineRecord[];
  incidents: number;
  elapsedMs: number;
}

interface RawInput {
  source: string;
  payload: unknown;
  /** Set when the file itself could not be read as JSON. */
  error?: string;
}

/** Files under the inputs in a stable order (directories: every *.json below, sorted by path). */
export function listInputFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`input: no such file or folder ${JSON.stringify(path)}`);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        if (statSync(child).isDirectory() || name.endsWith('.json')) walk(child);
      }
    } else files.push(path);
  };
  for (const input of inputs) walk(input);
  return files;
}

export function readInputs(files: readonly string[]): RawInput[] {
  const out: RawInput[] = [];
  for (const file of files) {
    const source = relative(process.cwd(), file) || file;
    const text = readFileSync(file, 'utf8');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      out.push({ source, payload: text, error: `${source}: not valid JSON: ${(error as Error).message}` });
      continue;
    }
    if (Array.isArray(data)) data.forEach((payload, i) => out.push({ source: `${source}#${i}`, payload }));
    else out.push({ source, payload: data });
  }
  return out;
}

export async function runProcess(local: LocalDynamoDb, options: ProcessOptions): Promise<ProcessReport> {
  const started = Date.now();
  const inputs = readInputs(listInputFiles(options.inputs));
  const stores = dynamoStores(local.db);
  const claimsStore = stores.claims;
  const deps: IngestDeps = {
    ...stores,
    contract: options.contract,
    spend: options.spend,
    now: () => options.nowMs ?? Date.now(),
  };
  const touched = new Set<string>();
  const incidents = new Set<string>();
  let quarantinedCount = 0;
  const concrete = options.contract.accounts.filter((a) => a !== '*');
  const account = options.account ?? (concrete.length === 1 ? concrete[0] : undefined);
  for (const [index, input] of inputs.entries()) {
    const outcomes = input.error
      ? [await quarantine(input.payload, input.source, input.error, deps)]
      : await ingestPayload(input.payload, input.source, deps, account);
    for (const outcome of outcomes) {
      if (outcome.kind === 'quarantined') quarantinedCount++;
      else {
        incidents.add(`${outcome.account}#${outcome.eventArn}`);
        for (const claim of outcome.claims) touched.add(claim.claimId);
      }
    }
    options.progress?.(index + 1, inputs.length, quarantinedCount);
  }
  const claims: Claim[] = [];
  for (const id of [...touched].sort()) {
    const claim = await claimsStore.getClaim(id);
    if (claim) claims.push(claim);
  }
  return {
    events: inputs.length,
    claims,
    quarantined: await new QuarantineStore(local.db).list(),
    incidents: incidents.size,
    elapsedMs: Date.now() - started,
  };
}

export function claimsTable(claims: readonly Claim[], nowMs = Date.now()): string {
  return renderTable(
    ['account', 'sla', 'region / resource', 'month', 'down min', 'uptime %', 'credit', 'amount', 'claimable', 'deadline', 'status'],
    claims.map((c) => [
      c.account,
      c.slaId,
      shorten(c.resource ?? c.region, 40),
      c.month,
      `${c.downtimeMinutes}${c.provisional ? '*' : ''}`,
      c.uptimePercent.toFixed(4),
      c.creditDays !== null ? `${c.creditDays} d` : `${c.creditPercent} %`,
      c.creditCents === null ? 'charges unknown' : formatUsd(c.creditCents),
      c.claimable ? 'yes' : c.deadline < new Date(nowMs).toISOString().slice(0, 10) ? 'no (late)' : 'no',
      c.deadline,
      c.status,
    ]),
  );
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
    `${report.quarantined.length} quarantined, in ${(report.elapsedMs / 1000).toFixed(1)} s`
  );
}

export function claimJson(claim: Claim) {
  return {
    ...claim,
    eventArns: [...new Set(claim.evidence.map((e) => e.eventArn))],
  };
}

export function loadSpend(path: string | undefined): SpendSource {
  if (!path) return NO_SPEND;
  try {
    return CsvSpendSource.fromFile(path);
  } catch (error) {
    if (error instanceof SpendFileError) throw new UsageError(error.message);
    throw error;
  }
}

export function loadContractArg(path: string | undefined, io: Io): Contract {
  const file = path ?? EXAMPLE_CONTRACT;
  if (!path) io.err(`sla-claims: no --contract given; using the example contract ${relative(process.cwd(), EXAMPLE_CONTRACT)}`);
  try {
    return loadContract(file);
  } catch (error) {
    if (error instanceof ContractError) throw new UsageError(error.message);
    throw error;
  }
}

/** Starts DynamoDB Local, turning "no Java" into a one-line usage error. */
export async function startStore(dbDir: string | undefined): Promise<LocalDynamoDb> {
  try {
    return await startLocalDynamoDb(dbDir ? { dbDir } : {});
  } catch (error) {
    if (error instanceof JavaMissingError) throw new UsageError(error.message);
    throw error;
  }
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

/**
 * Local stand-in for the DynamoDB stream → slackNotify path: posts each claim with `notifyClaim`, configured from
 * SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS, SLACK_BOT_TOKEN (local runs only; in AWS the token is in SSM)
 * and optionally SLACK_API_URL (a fake Slack Web API). Returns the claims as they are afterwards.
 */
export async function notifyClaims(
  local: LocalDynamoDb,
  claims: readonly Claim[],
  env: NodeJS.ProcessEnv = process.env,
  now: () => Date = () => new Date(),
): Promise<{ claims: Claim[]; results: NotifyResult[] }> {
  let config;
  try {
    config = loadSlackConfig(env);
  } catch (error) {
    if (error instanceof SlackConfigError) throw new UsageError(`--notify-slack: ${error.message}`);
    throw error;
  }
  const token = env.SLACK_BOT_TOKEN;
  if (!token) throw new UsageError('--notify-slack: SLACK_BOT_TOKEN must hold the bot token (xoxb-…) for local runs');
  const store = new DynamoClaimStore(local.db);
  const slack = webClientSlackApi({ token: async () => token, ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}) });
  const results: NotifyResult[] = [];
  const after: Claim[] = [];
  for (const claim of claims) {
    results.push(await notifyClaim(claim, { store, slack, config, now }));
    after.push((await store.getClaim(claim.claimId)) ?? claim);
  }
  return { claims: after, results };
}

export async function processCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      contract: { type: 'string' },
      spend: { type: 'string' },
      db: { type: 'string' },
      now: { type: 'string' },
      account: { type: 'string' },
      'notify-slack': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new UsageError('process: give at least one event file or folder');
  listInputFiles(positionals); // fail fast on a missing path
  const contract = loadContractArg(values.contract, io);
  const spend = loadSpend(values.spend);
  const nowMs = values.now === undefined ? undefined : parseInstant(values.now, '--now');
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new UsageError(`--account: expected a 12-digit AWS account id (got ${JSON.stringify(values.account)})`);
  }
  const local = await startStore(values.db);
  try {
    const report = await runProcess(local, {
      inputs: positionals,
      contract,
      spend,
      ...(nowMs === undefined ? {} : { nowMs }),
      ...(values.account ? { account: values.account } : {}),
      progress: progressPrinter(io, !values.json),
    });
    if (values['notify-slack']) {
      const notified = await notifyClaims(local, report.claims);
      report.claims = notified.claims;
      const posted = notified.results.filter((r) => r.action === 'posted').length;
      const updated = notified.results.filter((r) => r.action === 'updated').length;
      io.err(`slack: ${posted} posted, ${updated} updated, ${notified.results.length - posted - updated} unchanged or skipped`);
    }
    if (values.json) {
      io.out(JSON.stringify({ claims: report.claims.map(claimJson), quarantined: report.quarantined }, null, 2));
    } else {
      io.out(report.claims.length ? claimsTable(report.claims, nowMs) : 'No claim drafts: no covered outage in these events.');
      if (report.claims.some((c) => c.provisional)) io.out('* provisional: an event is still open; counted as down until now.');
      if (report.quarantined.length) {
        io.out('\nQuarantined (kept for review, nothing dropped):');
        for (const q of report.quarantined) io.out(`  ${q.source}: ${q.reason}`);
      }
      io.out(`\n${reportSummary(report)}`);
    }
    return 0;
  } finally {
    await local.stop();
  }
}
