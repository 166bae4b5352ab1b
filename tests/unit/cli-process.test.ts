import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('names the command once ("sla-claims process: …", not "process: process:")', async () => {
    const { err } = await run(['process']);
    expect(err).toBe('sla-claims process: give at least one event file or folder, like `sla-claims process events/demo`');
  });

  it('names a missing contract or spend file once, without the system error repeating the path', async () => {
    const contract = await run(['process', 'events', '--contract', 'no-such.yml']);
    expect(contract.err).toBe('sla-claims process: contract no-such.yml: cannot read the file (no such file or directory)');
    const spend = await run(['process', 'events', '--contract', 'config/contract.example.yml', '--spend', 'no-such.csv']);
    expect(spend.code).toBe(2);
    expect(spend.err).toBe('sla-claims process: spend file no-such.csv: cannot read the file (no such file or directory)');
  });

  it('lists the valid options with an unknown one', async () => {
    const { code, err } = await run(['process', 'events', '--spnd', 'x.csv']);
    expect(code).toBe(2);
    expect(err).toBe(
      "sla-claims process: Unknown option '--spnd'; valid options: --contract VALUE, --spend VALUE, --db VALUE, --now VALUE, --account VALUE, --metrics VALUE, --notify-slack, --json",
    );
  });

  it('refuses a --db that names a file in one line (not EEXIST from mkdir), before anything starts', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sla-claims-db-')), 'store');
    writeFileSync(file, 'a file');
    const { code, err } = await run(['process', 'events/demo', '--contract', 'config/contract.example.yml', '--db', file]);
    expect(code).toBe(2);
    expect(err).toBe(`sla-claims process: --db: ${JSON.stringify(file)} is a file; expected a folder for the local store (created when missing)`);
  });

  it('checks the --notify-slack settings before starting anything (here: before looking for Java)', () => {
    const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const env: NodeJS.ProcessEnv = { PATH: bin };
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SLACK_') && k !== 'PATH') env[k] = v;
    const result = spawnSync(process.execPath, ['bin/sla-claims.js', 'process', 'events/demo', '--contract', 'config/contract.example.yml', '--notify-slack'], {
      env,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^sla-claims process: --notify-slack: .*SLACK_TEAM_ID is required but not set/m);
    expect(result.stderr).not.toMatch(/Java/);
  });

  it('documents every option and the exit statuses in --help', async () => {
    const { code, out } = await run(['process', '--help']);
    expect(code).toBe(0);
    for (const option of ['--contract', '--spend', '--db', '--now', '--account', '--notify-slack', '--json', '--tz', '--out', '--charges', '--outage']) {
      expect(out).toContain(option);
    }
    expect(out).toMatch(/exit status: 0 events processed; 3 nothing processed .*\n.*4 some inputs failed/);
  });

  it('documents every option of every command, and the exit statuses, in the README Commands section', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const commands = readme.slice(readme.indexOf('## Commands'), readme.indexOf('## How it works'));
    const { out } = await run(['--help']);
    const options = new Set(out.match(/--[a-z][a-z-]+/g));
    expect(options.size).toBeGreaterThan(10);
    for (const option of options) expect(commands).toMatch(new RegExp(`${option}(?![a-z-])`));
    expect(commands).toMatch(/\| 3 \| nothing went through/);
    expect(commands).toMatch(/\| 4 \| some inputs failed/);
    const prerequisites = readme.slice(readme.indexOf('## Prerequisites'), readme.indexOf('## Quick start'));
    expect(prerequisites).toMatch(/Node\.js ≥ 20\.19/);
    expect(prerequisites).toMatch(/Java 17 or newer/);
    expect(prerequisites).toMatch(/Chromium\*\* \(optional\)/);
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
