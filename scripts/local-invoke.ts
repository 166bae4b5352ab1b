/**
 * Runs the deployed shape locally, without an AWS account: starts DynamoDB Local (or uses --endpoint), creates the
 * table, sets the environment (endpoint, table, contract file, spend source, dummy credentials) and invokes a
 * function of serverless.yml with `sls invoke local` (the same esbuild bundle as a deploy) on each event file in turn,
 * against the same table.
 *
 *   npm run local:invoke -- healthEvent events/health-synthetic-multiple-services-us-east-1.json [more.json…]
 *   npm run local:invoke -- claimsRefresh
 *
 * A file holding a JSON array (events/demo/: a batch for the CLI) is one delivery per element, in order.
 * Options: --contract FILE (default config/contract.example.yml), --spend FILE (a spend CSV; default none),
 * --endpoint URL (an already running DynamoDB Local), --limit N (at most N elements of an array file),
 * --json (print one JSON array of {file, result} at the end).
 * Functions that need Slack or SES (slackNotify, slackInteractions, monthlySummary) need real secrets and are not
 * covered here; see docs/slack.md for the Slack demo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLocalDb } from '../src/store/clients.ts';
import { startLocalDynamoDb, type LocalDynamoDb } from '../src/store/local-dynamodb.ts';
import { ensureTable } from '../src/store/table.ts';

const STAGE = 'local';
/** serverless.yml's custom.tableName for the stage. */
const TABLE = `sla-claims-${STAGE}`;

function usage(message: string): never {
  console.error(`local:invoke: ${message}\nusage: npm run local:invoke -- FUNCTION [EVENT.json…] [--contract FILE] [--spend FILE] [--endpoint URL] [--limit N] [--json]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const options: { contract: string; spend?: string; endpoint?: string; limit?: string; json: boolean } = { contract: 'config/contract.example.yml', json: false };
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--json') options.json = true;
  else if (a === '--contract' || a === '--spend' || a === '--endpoint' || a === '--limit') {
    const value = args[++i];
    if (!value) usage(`${a} needs a value`);
    options[a.slice(2) as 'contract' | 'spend' | 'endpoint' | 'limit'] = value;
  } else if (a.startsWith('--')) usage(`unknown option ${a} (valid: --contract, --spend, --endpoint, --limit, --json)`);
  else positional.push(a);
}
const [fn, ...files] = positional;
if (!fn) usage('name a function of serverless.yml (e.g. healthEvent)');
const limit = options.limit === undefined ? Infinity : Number(options.limit);
if (!(limit >= 1)) usage(`--limit: expected a positive number (got ${JSON.stringify(options.limit)})`);

/** One invocation per event: a file, or each element (up to --limit) of a file holding an array. */
const scratch = mkdtempSync(join(tmpdir(), 'sla-local-invoke-'));
const invocations: { label: string | null; path: string | null }[] = [];
for (const file of files) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    usage(`${file}: not a readable JSON file (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) {
    invocations.push({ label: file, path: file });
    continue;
  }
  parsed.slice(0, limit).forEach((event, index) => {
    const path = join(scratch, `${invocations.length}.json`);
    writeFileSync(path, JSON.stringify(event));
    invocations.push({ label: `${file}[${index}]`, path });
  });
}
if (invocations.length === 0) invocations.push({ label: null, path: null });

let local: LocalDynamoDb | undefined;
let endpoint = options.endpoint;
if (!endpoint) {
  local = await startLocalDynamoDb({ tableName: TABLE });
  endpoint = local.endpoint;
} else {
  const db = createLocalDb(TABLE, endpoint);
  await ensureTable(db.client, TABLE);
  db.client.destroy();
}

const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1' };
// Only dummy credentials: nothing may reach a real AWS account from here.
for (const key of Object.keys(env)) if (key.startsWith('AWS_') && key !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete env[key];
Object.assign(env, { DYNAMODB_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
const fnEnv = [
  `TABLE_NAME=${TABLE}`,
  `CONTRACT_FILE=${resolve(options.contract)}`,
  ...(options.spend ? ['SPEND_SOURCE=file', `SPEND_FILE=${resolve(options.spend)}`] : ['SPEND_SOURCE=none']),
  // The backfill's account (Lambda reads it from the function ARN).
  'HEALTH_ACCOUNT_ID=123456789012',
].flatMap((e) => ['-e', e]);

const results: { file: string | null; result: unknown }[] = [];
let failed = 0;
try {
  for (const { label: file, path } of invocations) {
    const argv = ['sls', 'invoke', 'local', '--stage', STAGE, '-f', fn, ...(path ? ['-p', path] : []), ...fnEnv];
    let out: string;
    try {
      out = execFileSync('npx', argv, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
    } catch (error) {
      failed++;
      const e = error as { stdout?: string; status?: number };
      console.error(`local:invoke: ${fn} failed on ${file ?? '(no event)'} (exit ${e.status ?? '?'})\n${e.stdout ?? ''}`);
      continue;
    }
    const start = out.lastIndexOf('\n{');
    const text = out.slice(start + 1);
    let result: unknown = text;
    try {
      result = JSON.parse(text);
    } catch {
      // not JSON: printed as is
    }
    results.push({ file, result });
    if (!options.json) process.stdout.write(`== ${fn} ${file ?? '(no event)'}\n${out.trimEnd()}\n`);
  }
} finally {
  await local?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
if (options.json) process.stdout.write(`${JSON.stringify(results)}\n`);
if (failed) process.exit(1);
