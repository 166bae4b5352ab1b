/**
 * Runs the deployed shape locally, without an AWS account: starts DynamoDB Local (or uses --endpoint), creates the
 * table, sets the environment (endpoint, table, contract file, spend source, dummy credentials) and invokes a
 * function of serverless.yml with `sls invoke local` (the same esbuild bundle as a deploy) on each event file in turn,
 * against the same table.
 *
 *   npm run local:invoke -- healthEvent events/health-synthetic-multiple-services-us-east-1.json [more.json…]
 *   npm run local:invoke -- claimsRefresh
 *
 * Options: --contract FILE (default config/contract.example.yml), --spend FILE (a spend CSV; default none),
 * --endpoint URL (an already running DynamoDB Local), --json (print one JSON array of {file, result} at the end).
 * Functions that need Slack or SES (slackNotify, slackInteractions, monthlySummary) need real secrets and are not
 * covered here; see docs/slack.md for the Slack demo.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createLocalDb } from '../src/store/clients.ts';
import { startLocalDynamoDb, type LocalDynamoDb } from '../src/store/local-dynamodb.ts';
import { ensureTable } from '../src/store/table.ts';

const STAGE = 'local';
/** serverless.yml's custom.tableName for the stage. */
const TABLE = `sla-claims-${STAGE}`;

function usage(message: string): never {
  console.error(`local:invoke: ${message}\nusage: npm run local:invoke -- FUNCTION [EVENT.json…] [--contract FILE] [--spend FILE] [--endpoint URL] [--json]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const options: { contract: string; spend?: string; endpoint?: string; json: boolean } = { contract: 'config/contract.example.yml', json: false };
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--json') options.json = true;
  else if (a === '--contract' || a === '--spend' || a === '--endpoint') {
    const value = args[++i];
    if (!value) usage(`${a} needs a value`);
    options[a.slice(2) as 'contract' | 'spend' | 'endpoint'] = value;
  } else if (a.startsWith('--')) usage(`unknown option ${a} (valid: --contract, --spend, --endpoint, --json)`);
  else positional.push(a);
}
const [fn, ...files] = positional;
if (!fn) usage('name a function of serverless.yml (e.g. healthEvent)');

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
  for (const file of files.length ? files : [null]) {
    const argv = ['sls', 'invoke', 'local', '--stage', STAGE, '-f', fn, ...(file ? ['-p', file] : []), ...fnEnv];
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
}
if (options.json) process.stdout.write(`${JSON.stringify(results)}\n`);
if (failed) process.exit(1);
