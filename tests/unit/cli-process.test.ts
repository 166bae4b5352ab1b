import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sla-claims process: arguments', () => {
  it.each([
    [['process'], /give at least one event file or folder/],
    [['process', 'no/such/dir'], /no such file or folder "no\/such\/dir"/],
    [['process', 'events', '--contract', 'no-such.yml'], /contract no-such\.yml: cannot read the file/],
    [['process', 'events', '--contract', 'config/contract.example.yml', '--spend', 'README.md'], /spend file README\.md: header must contain/],
    [['process', 'events', '--contract', 'config/contract.example.yml', '--account', '12'], /--account: expected a 12-digit AWS account id \(got "12"\)/],
    [['process', 'events', '--contract', 'config/contract.example.yml', '--now', 'tomorrow'], /--now: .*"tomorrow"/],
  ])('rejects %j with one line and exit code 2', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('stops with a clear message saying what to install when Java is missing', () => {
    // A PATH with node and npx but no java.
    const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = spawnSync(process.execPath, ['bin/sla-claims.js', 'process', 'events/demo', '--contract', 'config/contract.example.yml'], {
      env: { ...process.env, PATH: bin },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/DynamoDB Local needs Java 17 or newer/);
    expect(result.stderr).toMatch(/apt-get install -y openjdk-17-jre-headless/);
  });
});
