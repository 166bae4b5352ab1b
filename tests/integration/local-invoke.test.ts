/**
 * `npm run local:invoke` (scripts/local-invoke.ts): the deployed shape (the esbuild bundle, `sls invoke local`) on
 * DynamoDB Local, without AWS. Every JSON file under events/ is invocable: each ends processed or quarantined.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

function eventFiles(dir = 'events'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? eventFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
}

describe('npm run local:invoke', () => {
  it('invokes healthEvent on every file under events/, in one run against one table', () => {
    const files = eventFiles().sort();
    expect(files.length).toBeGreaterThanOrEqual(9);
    rmSync('.esbuild-test-invoke', { recursive: true, force: true });
    const env = { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', SLS_ESBUILD_WORK_FOLDER: '.esbuild-test-invoke' };
    const out = execFileSync(
      process.execPath,
      // --limit 2: the demo batch (25 events) is one delivery per element; two show it, the CLI tests cover the rest.
      ['bin/run-ts.js', 'scripts/local-invoke.ts', 'healthEvent', ...files, '--endpoint', inject('dynamoEndpoint'), '--limit', '2', '--json'],
      { env, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const results = JSON.parse(out.slice(out.lastIndexOf('\n[') + 1)) as { file: string; result: { outcomes: Record<string, unknown>[] } }[];
    const expected = files.flatMap((f) => (f.startsWith('events/demo/') ? [`${f}[0]`, `${f}[1]`] : [f]));
    expect(results.map((r) => r.file)).toEqual(expected);
    for (const { file, result } of results) {
      expect(result.outcomes.length, file).toBeGreaterThan(0);
      for (const o of result.outcomes) expect('quarantined' in o || ['applied', 'same', 'older', 'duplicate'].includes(o.state as string), file).toBe(true);
    }
    // The bad-input examples are quarantined; every other EventBridge-shaped file is processed. (A Health API
    // response, events/health-api-*.json, is the backfill's and the CLI's input: the EventBridge function quarantines it.)
    for (const { file, result } of results) {
      const eventBridge = !file.startsWith('events/bad-input/') && /"source":\s*"aws.health"/.test(readFileSync(file.replace(/\[\d+\]$/, ''), 'utf8'));
      expect(result.outcomes.every((o) => ('quarantined' in o) !== eventBridge), file).toBe(true);
    }
  }, 600_000);

  it('refuses an unknown option with the valid ones, exit 2', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['bin/run-ts.js', 'scripts/local-invoke.ts', 'healthEvent', '--nope'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
      stderr = String((error as { stderr: string }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/unknown option --nope \(valid: --contract, --spend, --endpoint, --limit, --json\)/);
  });
});
