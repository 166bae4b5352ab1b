/**
 * `sla-claims process` end to end, each run on a fresh table of the shared DynamoDB Local (not a JVM per run), and
 * the replay itself: exit statuses a script can use, the notes on the defaults, a bad file that no longer stops it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROCESS_EXIT, processCommand } from '../../src/cli/process-command.ts';
import { runProcess } from '../../src/cli/process-run.ts';
import { loadContract } from '../../src/contract/contract.ts';
import { ingestPayload } from '../../src/pipeline/ingest.ts';
import { CsvSpendSource } from '../../src/spend/spend.ts';
import type { LocalDynamoDb } from '../../src/store/local-dynamodb.ts';
import { freshDb } from '../helpers/db.ts';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const start = async () => {
    const db = await freshDb('process-cmd');
    return { db, endpoint: inject('dynamoEndpoint'), port: 0, stop: async () => db.client.destroy() };
  };
  expect(argv[0]).toBe('process');
  const code = await processCommand(argv.slice(1), { out: (t) => out.push(t), err: (t) => err.push(t) }, start);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CONTRACT = ['--contract', 'config/contract.example.yml'];
const GOOD_EVENT = 'events/public-ec2-operational-issue-af-south-1.json';
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `sla-claims-${prefix}-`));

describe('sla-claims process: exit status', () => {
  it('exits 3 on a folder with no events, and says so', async () => {
    const { code, out, err } = await run(['process', tmp('empty'), ...CONTRACT, '--now', '2025-10-22T00:00:00Z']);
    expect(code).toBe(PROCESS_EXIT.nothingProcessed);
    expect(code).toBe(3);
    expect(out).toMatch(/^0 events → 0 incidents, 0 claim drafts .* 0 quarantined, in /m);
    expect(err).toMatch(/no events in .*sla-claims-empty-.* \(a folder is read for \*\.json files\)/);
  });

  it('exits 3 when every input is quarantined, and keeps the summary line', async () => {
    const { code, out } = await run(['process', 'events/bad-input', ...CONTRACT, '--now', '2025-10-22T00:00:00Z']);
    expect(code).toBe(3);
    expect(out).toMatch(/^2 events → 0 incidents, 0 claim drafts \(0 claimable, \$0\.00 owed\), 2 quarantined, in /m);
  });

  it('goes on past a file it cannot read, quarantines one that is not JSON, reports both, and exits 4', async () => {
    const dir = tmp('mixed');
    writeFileSync(join(dir, 'a-not-json.json'), '{ nope');
    symlinkSync(join(dir, 'gone'), join(dir, 'b-unreadable.json'));
    copyFileSync(GOOD_EVENT, join(dir, 'c-good.json'));
    mkdirSync(join(dir, 'd'));
    copyFileSync('events/demo/2025-10-20-us-east-1.json', join(dir, 'd', 'outage.json'));
    const { code, out } = await run(['process', dir, ...CONTRACT, '--spend', 'config/spend.example.csv', '--now', '2025-10-22T00:00:00Z']);
    expect(code).toBe(PROCESS_EXIT.someFailed);
    expect(out).toMatch(/Failed \(not processed; the replay went on past them\):\n {2}.*b-unreadable\.json: cannot read the file \(no such file or directory\)/);
    // The file named once: the quarantine's source, then the reason.
    expect(out).toMatch(/ {2}.*a-not-json\.json: not valid JSON: /);
    expect(out).not.toMatch(/a-not-json\.json: .*a-not-json\.json/);
    // The files after the bad one were processed: the demo outage's claims are there.
    // ⚠: the DynamoDB terms are not confirmed on the AWS page (issue 10, rule 7 adds the marker to the sla column).
    expect(out).toMatch(/123456789012 +dynamodb ⚠ +us-east-1 +2025-10 +172 .* \$500\.00 +yes/);
    expect(out).toMatch(/1 quarantined, 1 failed, in /);
  });

  it('run "the natural way" (no --spend, no --now), says which defaults it used and why nothing is claimable', async () => {
    const { code, out, err } = await run(['process', 'events/demo']);
    expect(code).toBe(0);
    expect(err).toMatch(/no --contract given; using the example contract config\/contract\.example\.yml/);
    expect(err).toMatch(/no --spend given; charges are unknown, so credits show as percentages without amounts \(pass --spend FILE\.csv, like config\/spend\.example\.csv\)/);
    expect(err).toMatch(/no --now given; replaying as of now \(\d{4}-\d{2}-\d{2}\), so a claim past its filing deadline is kept but not claimable/);
    expect(err).toMatch(/nothing is claimable: of \d+ claims with a credit, \d+ past the filing deadline as of \d{4}-\d{2}-\d{2} \(replay as of an earlier day with --now ISO\)/);
    expect(out).toMatch(/charges unknown +no \(late\)/);
  });

  it('gives real amounts as the README example runs it (--spend, --now), with no note', async () => {
    const { code, out, err } = await run(['process', 'events/demo', ...CONTRACT, '--spend', 'config/spend.example.csv', '--now', '2025-10-22T00:00:00Z']);
    expect(code).toBe(0);
    expect(err).not.toMatch(/nothing is claimable|no --spend|no --now/);
    expect(out).toMatch(/\(6 claimable, \$3,120\.49 owed; 1 with charges unknown\), 0 quarantined, in /);
  });

  it('says which covered scopes are not claimable under their SLA, in text and JSON (EC2 Region-level on API errors)', async () => {
    const argv = ['process', 'events/demo', ...CONTRACT, '--spend', 'config/spend.example.csv', '--now', '2025-10-22T00:00:00Z'];
    const text = await run(argv);
    expect(text.out).toMatch(/Not claimable under the SLA \(no claim drafted\)\n {2}123456789012 {2}ec2-region {2}us-east-1\n {4}EC2 Region-level: not claimable — API\/launch errors are not Region Unavailable/);
    expect(text.out).not.toMatch(/^\S+ +ec2-region +us-east-1 +2025-10/m);
    const json = await run([...argv, '--json']);
    const report = JSON.parse(json.out) as { claims: { slaId: string }[]; notEligible: { slaId: string; account: string; reason: string }[] };
    expect(report.claims.map((c) => c.slaId)).not.toContain('ec2-region');
    expect(report.notEligible.map((n) => `${n.account} ${n.slaId}`).sort()).toEqual(['123456789012 ec2-region', '210987654321 ec2-region']);
  });
});

describe('runProcess: a bad input does not stop the replay', () => {
  let local: LocalDynamoDb;
  beforeAll(async () => {
    const db = await freshDb('replay');
    local = { db, endpoint: inject('dynamoEndpoint'), port: 0, stop: async () => db.client.destroy() };
  });
  afterAll(async () => local.stop());

  const options = (inputs: string[], failOn: string, error: Error) => ({
    inputs,
    contract: loadContract('config/contract.example.yml'),
    spend: CsvSpendSource.fromFile('config/spend.example.csv'),
    nowMs: Date.parse('2025-10-22T00:00:00Z'),
    ingest: ((raw, source, deps, account) =>
      source.includes(failOn) ? Promise.reject(error) : ingestPayload(raw, source, deps, account)) as typeof ingestPayload,
  });

  it('records an input whose ingest throws a non-transient error, and processes the ones after it', async () => {
    const report = await runProcess(local, options([GOOD_EVENT, 'events/demo'], 'af-south-1', new TypeError("Cannot read properties of undefined (reading 'x')")));
    expect(report.failed).toEqual([{ source: GOOD_EVENT, error: "TypeError: Cannot read properties of undefined (reading 'x')" }]);
    expect(report.stoppedBy).toBeUndefined();
    expect(report.processed).toBe(report.events - 1);
    expect(report.claims.filter((c) => c.month === '2025-10').length).toBeGreaterThan(0);
  });

  it('stops at a transient error (the store stopped answering), reporting where', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    const report = await runProcess(local, options([GOOD_EVENT, 'events/demo'], 'af-south-1', refused));
    expect(report.stoppedBy).toEqual({ source: GOOD_EVENT, error: 'connect ECONNREFUSED 127.0.0.1:8000' });
    expect(report.processed).toBe(0);
    expect(report.failed).toEqual([]);
  });
});
