/**
 * The command line of `sla-claims process`, checked in full before DynamoDB Local starts: paths, the contract, the
 * spend file, `--now`, `--account`, `--db`, the Slack settings of `--notify-slack`. The defaults taken are said on
 * stderr, with what they mean for the result.
 */
import { relative } from 'node:path';
import { parseContractYaml, ContractError, type Contract } from '../contract/contract.ts';
import { CsvSpendSource, NO_SPEND, SpendFileError, type SpendSource } from '../spend/spend.ts';
import { MetricsCsvError, parseMetricsCsv, seriesFromRows } from '../metrics/csv.ts';
import type { ScopeSeries } from '../metrics/types.ts';
import { parseInstant, parseOptions, UsageError } from './args.ts';
import type { Io } from './io.ts';
import { loadLocalSlack, type LocalSlack } from './local-slack.ts';
import { EXAMPLE_CONTRACT, EXAMPLE_SPEND, readTextFile, storeFolderToFill } from './paths.ts';
import { listInputFiles } from './process-run.ts';

export const PROCESS_OPTIONS = {
  contract: { type: 'string' },
  spend: { type: 'string' },
  db: { type: 'string' },
  now: { type: 'string' },
  account: { type: 'string' },
  metrics: { type: 'string' },
  'notify-slack': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

export interface ProcessArgs {
  inputs: string[];
  contract: Contract;
  spend: SpendSource;
  /** Undefined: the real clock. */
  nowMs: number | undefined;
  account: string | undefined;
  dbDir: string | undefined;
  slack: LocalSlack | null;
  json: boolean;
  /** Measured series read from --metrics (undefined: none given). */
  metrics?: MetricsArg;
}

export interface MetricsArg {
  path: string;
  series: ScopeSeries[];
  /** Rows whose metric no recipe of the contract's SLAs reads. */
  unmatched: number;
}

/** `--metrics FILE`: the datapoints, checked in full (a bad row is a one-line usage error), as series per scope. */
export function loadMetrics(path: string, contract: Contract): MetricsArg {
  try {
    const rows = parseMetricsCsv(readTextFile(path, `metrics file ${path}`), `metrics file ${path}`);
    const { series, unmatched } = seriesFromRows(rows, contract.slas);
    return { path, series, unmatched };
  } catch (error) {
    if (error instanceof MetricsCsvError) throw new UsageError(error.message);
    throw error;
  }
}

const rel = (path: string) => relative(process.cwd(), path) || path;

export function loadSpend(path: string | undefined): SpendSource {
  if (!path) return NO_SPEND;
  try {
    return new CsvSpendSource(readTextFile(path, `spend file ${path}`), `spend file ${path}`);
  } catch (error) {
    if (error instanceof SpendFileError) throw new UsageError(error.message);
    throw error;
  }
}

export function loadContractArg(path: string | undefined, io: Io): Contract {
  const file = path ?? EXAMPLE_CONTRACT;
  if (!path) io.err(`sla-claims: no --contract given; using the example contract ${rel(EXAMPLE_CONTRACT)}`);
  try {
    return parseContractYaml(readTextFile(file, `contract ${file}`), `contract ${file}`);
  } catch (error) {
    if (error instanceof ContractError) throw new UsageError(error.message);
    throw error;
  }
}

export function parseProcessArgs(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): ProcessArgs {
  const { values, positionals } = parseOptions(argv, PROCESS_OPTIONS, true);
  if (positionals.length === 0) throw new UsageError('give at least one event file or folder, like `sla-claims process events/demo`');
  listInputFiles(positionals); // fail fast on a missing path
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new UsageError(`--account: expected a 12-digit AWS account id (got ${JSON.stringify(values.account)})`);
  }
  const nowMs = values.now === undefined ? undefined : parseInstant(values.now, '--now');
  const dbDir = values.db === undefined ? undefined : storeFolderToFill(values.db);
  const slack = values['notify-slack'] ? loadLocalSlack(env) : null;
  const contract = loadContractArg(values.contract, io);
  const spend = loadSpend(values.spend);
  const metrics = values.metrics === undefined ? undefined : loadMetrics(values.metrics, contract);
  if (metrics?.unmatched) io.err(`sla-claims: ${metrics.unmatched} rows of ${rel(metrics.path)} match no measurement recipe of the contract's SLAs; ignored`);
  if (values.spend === undefined) {
    io.err(`sla-claims: no --spend given; charges are unknown, so credits show as percentages without amounts (pass --spend FILE.csv, like ${rel(EXAMPLE_SPEND)})`);
  }
  if (nowMs === undefined) {
    io.err(
      `sla-claims: no --now given; replaying as of now (${new Date().toISOString().slice(0, 10)}), so a claim past its filing deadline is kept but not claimable (pass --now ISO to replay as of an earlier day, like --now 2025-10-22T00:00:00Z)`,
    );
  }
  return {
    inputs: positionals,
    contract,
    spend,
    nowMs,
    account: values.account,
    dbDir,
    slack,
    json: values.json,
    ...(metrics ? { metrics } : {}),
  };
}
