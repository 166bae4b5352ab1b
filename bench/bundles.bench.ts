/**
 * Lambda bundles: each function's zip size (`sls package`, the settings of serverless.yml) and its cold init, the
 * time to load the bundle in a fresh `node` process (median of N runs), against a raw baseline in the same run: a
 * bundle that only imports @aws-sdk/client-dynamodb, built by esbuild with the same settings.
 *
 * Run: npm run bench:bundles [-- --runs 15]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 11;
const ZIP_GOAL = 1_000_000;
const INIT_GOAL_MS = 150;

const work = mkdtempSync(join(tmpdir(), 'sla-bundles-'));
// Its own, emptied esbuild work folder: files left by an interrupted earlier build (other settings) would be zipped too.
const WORK_FOLDER = '.esbuild-bench';
rmSync(WORK_FOLDER, { recursive: true, force: true });
const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_ESBUILD_WORK_FOLDER: WORK_FOLDER };
for (const key of Object.keys(env)) if (key.startsWith('AWS_') && key !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete env[key];
execFileSync('npx', ['sls', 'package', '--stage', 'bench', '--package', join(work, 'pkg')], { env, stdio: 'pipe', timeout: 300_000 });

const service = parse(readFileSync('serverless.yml', 'utf8')) as {
  functions: Record<string, { handler: string }>;
  custom: { esbuild: { target: string; format: 'esm' | 'cjs'; minify: boolean; banner?: { js: string }; mainFields?: string[] } };
};

/** Loads `file` in a fresh node process and prints how long the import took (module evaluation, no node start-up). */
function initMs(file: string, dir: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: { PATH: process.env.PATH, TABLE_NAME: 'bench', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  return Number(out);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// The baseline: the same esbuild settings, only the DynamoDB client.
const baseDir = join(work, 'baseline');
mkdirSync(baseDir, { recursive: true });
writeFileSync(join(baseDir, 'package.json'), '{"type":"module"}');
const es = service.custom.esbuild;
const baseFile = es.format === 'esm' ? 'baseline.js' : 'baseline.cjs';
await build({
  stdin: { contents: "export { DynamoDBClient } from '@aws-sdk/client-dynamodb';", resolveDir: resolve('.') },
  bundle: true,
  platform: 'node',
  target: es.target,
  format: es.format,
  minify: es.minify,
  ...(es.banner ? { banner: es.banner } : {}),
  ...(es.mainFields ? { mainFields: es.mainFields } : {}),
  outfile: join(baseDir, baseFile),
  logLevel: 'silent',
});
const baselineBytes = statSync(join(baseDir, baseFile)).size;

const rows: string[][] = [];
const init: Record<string, number[]> = { baseline: [] };
const functions = Object.entries(service.functions);
for (const [name] of functions) {
  const dir = join(work, 'unzipped', name);
  mkdirSync(dir, { recursive: true });
  execFileSync('unzip', ['-q', '-o', join(work, 'pkg', `${name}.zip`), '-d', dir]);
  init[name] = [];
}
// Interleaved runs, so a noisy moment of the machine hits every bundle alike.
for (let i = 0; i < RUNS; i++) {
  init.baseline!.push(initMs(`./${baseFile}`, baseDir));
  for (const [name, fn] of functions) {
    const dir = join(work, 'unzipped', name);
    const file = readdirSync(join(dir, 'handlers')).find((f) => f.startsWith(fn.handler.split('/')[1]!.split('.')[0]! + '.') && !f.endsWith('.map'))!;
    init[name]!.push(initMs(`./handlers/${file}`, dir));
  }
}
const baseInit = median(init.baseline!);
const baseZip = (() => {
  execFileSync('zip', ['-q', '-9', join(work, 'baseline.zip'), baseFile], { cwd: baseDir });
  return statSync(join(work, 'baseline.zip')).size;
})();

for (const [name] of functions) {
  const zip = statSync(join(work, 'pkg', `${name}.zip`)).size;
  const ms = median(init[name]!);
  rows.push([`${name} zip < 1 MB`, `${(zip / 1e6).toFixed(3)} MB`, `${(baseZip / 1e6).toFixed(3)} MB`, (zip / baseZip).toFixed(2), zip < ZIP_GOAL ? 'yes' : 'NO']);
  rows.push([`${name} cold init < ${INIT_GOAL_MS} ms`, `${ms.toFixed(1)} ms`, `${baseInit.toFixed(1)} ms`, (ms / baseInit).toFixed(2), ms < INIT_GOAL_MS ? 'yes' : 'NO']);
}

console.log(`Bundles (sls package, serverless.yml esbuild settings: ${es.format}, minify ${es.minify}); init = median of ${RUNS} fresh node processes (${process.version}).`);
console.log(`Baseline: a bundle of @aws-sdk/client-dynamodb only, same settings (${(baselineBytes / 1e6).toFixed(3)} MB code).\n`);
const header = ['goal', 'figure', 'baseline', 'ratio', 'met?'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
