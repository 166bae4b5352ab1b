import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { listSlaIds } from '../../src/sla/index.ts';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// As of the day after the outage: without --now the clock decides, and after 2025-12-31 the claim is late.
const OCT_2025 = ['--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-20T06:48:00Z/2025-10-20T09:40:00Z', '--charges', '5000', '--now', '2025-10-22T00:00:00Z'];

describe('sla-claims credit', () => {
  it('reports the 20 October 2025 DynamoDB outage: 172 minutes, 10 %, $500.00, claimable, due 2025-12-31', async () => {
    const { code, out } = await run(['credit', ...OCT_2025, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({
      sla: 'dynamodb',
      month: '2025-10',
      minutesInMonth: 44640,
      downtimeMinutes: 172,
      creditPercent: 10,
      creditCents: 50000,
      claimable: true,
      deadline: '2025-12-31',
      provisional: false,
    });
    expect(result.uptimePercent).toBeCloseTo(99.6147, 4);
  });

  it('prints a readable table for people', async () => {
    const { code, out } = await run(['credit', ...OCT_2025]);
    expect(code).toBe(0);
    expect(out).toMatch(/Downtime\s+172 minutes/);
    expect(out).toMatch(/Credit\s+\$500\.00 \(10 % of \$5,000\.00\)/);
    expect(out).toMatch(/Deadline\s+2025-12-31/);
  });

  it('marks an open outage provisional, counted up to --now', async () => {
    const { out } = await run(['credit', '--sla', 'lambda', '--month', '2025-10', '--outage', '2025-10-20T06:48:00Z/', '--now', '2025-10-20T07:48:00Z', '--json']);
    expect(JSON.parse(out)).toMatchObject({ downtimeMinutes: 60, provisional: true, creditCents: null, claimable: false });
  });

  it.each([
    [['credit', '--sla', 'nope', '--month', '2025-10'], /unknown SLA id "nope"; valid ids: .*dynamodb/],
    [['credit', '--month', '2025-10'], /--sla is required/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-13'], /month: expected YYYY-MM.*"2025-13"/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', 'yesterday/today'], /--outage #1 start.*"yesterday"/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-20T06:48:00/2025-10-20T09:40:00Z'], /time zone/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-01/2025-10-02'], /--outage #1 start: .*time zone.*"2025-10-01"/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-01T00:00Z/2025-10-02T00:00Z', '--now', '2025-10-22'], /--now: .*"2025-10-22"/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-20T09:48:00Z/2025-10-20T09:40:00Z'], /END .* is before START/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-20T06:48:00Z'], /expected START\/END/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--charges', '-5'], /--charges: .*"-5"/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--charges', '12,3.4.5'], /--charges: .*"12,3.4.5"/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--bogus'], /Unknown option '--bogus'/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--bogus'], /Unknown option '--bogus'; valid options: --sla VALUE, --month VALUE, --outage VALUE, --charges VALUE, --now VALUE, --json$/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--charges', '5000'], /--outage is required: START\/END/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-09-20T06:48:00Z/2025-09-20T09:40:00Z'], /--outage #1: 2025-09-20T06:48:00Z\/2025-09-20T09:40:00Z is outside --month 2025-10 \(2025-10-01T00:00:00.000Z to 2025-11-01T00:00:00.000Z\)/],
    [['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-20T06:48:00Z/2025-10-20T07:00:00Z', '--outage', '2025-11-01T00:00:00Z/'], /--outage #2: .* is outside --month 2025-10/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('rejects %j with one line and exit code 2', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.split('\n')).toHaveLength(1);
  });
});

describe('sla-claims credit: late claims and edges, as in the pipeline', () => {
  it('says "no (late)" once the deadline has passed as of --now, and JSON has claimable false, late true', async () => {
    const argv = ['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-20T06:48:00Z/2025-10-20T09:40:00Z', '--charges', '5000', '--now', '2026-01-05T00:00:00Z'];
    const table = await run(argv);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/Claimable\s+no \(late: the deadline 2025-12-31 has passed as of 2026-01-05/);
    expect(table.out).not.toMatch(/Claimable\s+yes/);
    const json = JSON.parse((await run([...argv, '--json'])).out);
    expect(json).toMatchObject({ creditCents: 50000, claimable: false, late: true, deadline: '2025-12-31' });
    // On the deadline day itself the claim can still be filed.
    const lastDay = JSON.parse((await run([...argv.slice(0, -1), '2025-12-31T23:00:00Z', '--json'])).out);
    expect(lastDay).toMatchObject({ claimable: true, late: false });
  });

  it('defaults --now to the clock: a 2016 outage is late today', async () => {
    const { out } = await run(['credit', '--sla', 'dynamodb', '--month', '2016-06', '--outage', '2016-06-01T00:00:00Z/2016-06-01T03:00:00Z', '--charges', '5000', '--json']);
    expect(JSON.parse(out)).toMatchObject({ creditCents: 50000, claimable: false, late: true });
  });

  it('clips an outage that crosses the month and says so on stderr', async () => {
    const { code, out, err } = await run(['credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-09-30T23:00:00Z/2025-10-01T01:00:00Z', '--now', '2025-10-22T00:00:00Z', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ downtimeMinutes: 60 });
    expect(err).toMatch(/--outage #1 crosses the edge of 2025-10; only the part inside the month counts/);
  });
});

describe('sla-claims slas', () => {
  it('lists every catalog entry as a table and as JSON', async () => {
    const table = await run(['slas']);
    expect(table.code).toBe(0);
    for (const id of listSlaIds()) expect(table.out).toContain(id);
    const json = await run(['slas', '--json']);
    const parsed = JSON.parse(json.out) as { id: string }[];
    expect(parsed.map((s) => s.id)).toEqual(listSlaIds());
  });
});

describe('sla-claims slas: version date, confirmation, credit base (issue 10, rules 6 and 7)', () => {
  const row = (out: string, id: string) => out.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';

  it('shows per SLA its name, version date, prior versions, credit base, commitment and which parts are unconfirmed', async () => {
    const { code, out } = await run(['slas']);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^id\s+name\s+commitment\s+credit tiers\s+credit base\s+version\s+prior versions\s+confirmed$/);
    expect(row(out, 'rds-multi-az')).toMatch(/Amazon RDS .*99\.95 %.*resource\s+2024-01-22\s+—\s+yes$/);
    expect(row(out, 's3-standard')).toMatch(/99\.9 %.*service-region\s+2023-11-28\s+2019-07-31\s+no: tiers$/);
    expect(row(out, 'route53')).toMatch(/service-global\s+\?\s+—\s+no: commitment, tiers, credit base$/);
    expect(row(out, 'ec2-region')).toMatch(/\?\s+2018-02-12, 2022-05-05\s+no: commitment, tiers, credit base$/);
    expect(out).toContain('never filed automatically');
    // The exact charges counted (src/sla/credit-bases.ts), not only the base's kind.
    expect(out).toMatch(/^ {2}s3-standard: the storage, request, retrieval and early-delete charges of S3 Standard/m);
    expect(out).toMatch(/^ {2}route53: the month's Route 53 DNS query charges/m);
    const json = JSON.parse((await run(['slas', '--json'])).out) as { id: string; creditBaseExcluded: string | null }[];
    expect(json.find((s) => s.id === 'ec2-region')?.creditBaseExcluded).toMatch(/upfront/i);
  });

  it('credit uses the SLA version in force at the outage and says which, and whether it is confirmed', async () => {
    const old = ['credit', '--sla', 's3-standard', '--month', '2023-11', '--outage', '2023-11-10T10:00:00Z/2023-11-10T11:00:00Z', '--charges', '1000', '--now', '2023-11-20T00:00:00Z'];
    const text = (await run(old)).out;
    expect(text).toMatch(/^SLA\s+Amazon S3 — all requests not otherwise specified \(Amazon S3 and Amazon S3 Glacier\) \(s3-standard\)/);
    expect(text).toMatch(/Terms\s+version 2019-07-31, confirmed on the AWS page/);
    expect(JSON.parse((await run([...old, '--json'])).out).terms).toEqual({ versionDate: '2019-07-31', confirmed: true, unconfirmed: [] });
    const now = (await run(['credit', ...OCT_2025])).out;
    expect(now).toMatch(/Terms\s+version \? \(date not readable\), ⚠ unconfirmed \(commitment, tiers, creditBase\)/);
  });

  it('--at shows the versions in force then; --json carries the unconfirmed parts and the version dates', async () => {
    const { out } = await run(['slas', '--at', '2021-06-01T00:00:00Z']);
    expect(row(out, 's3-standard')).toMatch(/2019-07-31\s+2019-07-31\s+yes$/);
    expect(row(out, 'elb-single')).toContain('none (oldest 2022-07-25)');
    const json = JSON.parse((await run(['slas', '--json'])).out) as { id: string; versions: string[]; source: { unconfirmed: { part: string }[] } }[];
    const s3 = json.find((s) => s.id === 's3-standard')!;
    expect(s3.versions).toEqual(['2019-07-31', '2023-11-28']);
    expect(s3.source.unconfirmed.map((u) => u.part)).toEqual(['tiers', 'measurement']);
  });

  it.each([
    [['slas', '--at', '2021-06-01'], /^sla-claims slas: --at: expected an ISO-8601 instant with a time zone.*"2021-06-01"/],
    [['slas', '--verbose'], /^sla-claims slas: Unknown option '--verbose'; valid options: --json, --at VALUE$/],
  ])('refuses %j in one line with exit code 2', async (argv, message) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toMatch(message);
  });
});

describe('the installed bin', () => {
  it('refuses a date without a time and zone in any TZ (it would be read in local time)', () => {
    for (const tz of ['Asia/Tokyo', 'America/New_York']) {
      const r = spawnSync(process.execPath, ['bin/sla-claims.js', 'credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-01/2025-10-02'], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('"2025-10-01"');
    }
    const ok = execFileSync(process.execPath, ['bin/sla-claims.js', 'credit', '--sla', 'dynamodb', '--month', '2025-10', '--outage', '2025-10-01 00:00+09:00/2025-10-02T00:00:00+09:00', '--json'], {
      env: { ...process.env, TZ: 'Asia/Tokyo' },
      encoding: 'utf8',
      // Its stderr note (the outage starts on 30 September UTC, so it is clipped) is expected; keep the run quiet.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(JSON.parse(ok)).toMatchObject({ downtimeMinutes: 1440 - 540 });
  });

  it('runs through npx in any TZ and exits 2 on bad input', () => {
    const out = execFileSync('npx', ['sla-claims', 'credit', ...OCT_2025, '--json'], {
      env: { ...process.env, TZ: 'Asia/Kolkata' },
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toMatchObject({ downtimeMinutes: 172, creditCents: 50000, deadline: '2025-12-31' });
    const bad = spawnSync('npx', ['sla-claims', 'credit', '--sla', 'nope', '--month', '2025-10'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown SLA id');
  });
});
