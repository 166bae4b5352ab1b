/** `sla-claims demo` (what `npm start` runs), on a fresh table of the shared DynamoDB Local. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo-command.ts';
import { main } from '../../src/cli/main.ts';
import { freshDb } from '../helpers/db.ts';

async function demo(argv: string[]) {
  const out: string[] = [];
  const start = async () => {
    const db = await freshDb('demo');
    return { db, endpoint: inject('dynamoEndpoint'), port: 0, stop: async () => db.client.destroy() };
  };
  const code = await demoCommand(argv, { out: (t) => out.push(t), err: (t) => out.push(t) }, start);
  return { code, out: out.join('\n') };
}

describe('sla-claims demo', () => {
  it('takes the --account its quarantine note suggests, so the saved Health API response is processed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-demo-'));
    const plain = await demo(['--out', join(dir, 'a.html')]);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/pass --account/);
    expect(plain.out).toMatch(/, 3 quarantined, in /);
    const withAccount = await demo(['--out', join(dir, 'b.html'), '--account', '123456789012']);
    expect(withAccount.code).toBe(0);
    expect(withAccount.out).not.toMatch(/pass --account/);
    expect(withAccount.out).toMatch(/, 2 quarantined, in /);
    expect(withAccount.out).toMatch(/AWS owes \$3,120\.49 in SLA credits for 2025-10 across 6 claimable claims/);
    expect(existsSync(join(dir, 'b.html'))).toBe(true);
    expect(existsSync(join(dir, 'b.txt'))).toBe(true);
  });

  it('drafts no EC2 Region-level claim for 20 October 2025 and says why; windows follow the updates (issue 10, rules 3–5)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-demo-'));
    const { code, out } = await demo(['--out', join(dir, 'c.html')]);
    expect(code).toBe(0);
    const table = out.slice(out.indexOf('Claim drafts'), out.indexOf('Not claimable under the SLA'));
    expect(table).not.toMatch(/ec2-region/);
    expect(out).toMatch(/Not claimable under the SLA \(no claim drafted\)\n {2}123456789012 {2}ec2-region {2}us-east-1\n {4}EC2 Region-level: not claimable — API\/launch errors are not Region Unavailable/);
    // Lambda 06:51–21:15 (864 minutes), no longer the event's 06:48–21:20 (872).
    expect(table).toMatch(/123456789012 +lambda +us-east-1 +2025-10 +864 /);
    expect(table).toMatch(/210987654321 +dynamodb ⚠ +us-east-1 +2025-10 +172 /);
    // The synthetic S3 and Route 53 events (events/demo/README.md): S3 on the Standard class only ($2,555.50 of the
    // Region's $4,395.50 S3 charges), Route 53 per period: two 20-minute periods are 1 + 1 days of $8.00, not 7 days.
    expect(table).toMatch(/123456789012 +s3-standard ⚠ +us-east-1 +2025-10 +120 +99\.7312 +10 % +\$255\.55 /);
    expect(table).toMatch(/123456789012 +route53 ⚠ +global +2025-10 +40 +99\.9104 +2 d +\$16\.00 /);
  });

  it('approves as the named demo approver and files on the local fake Support API: the manual account is ready to file, the others filed unless their terms are unconfirmed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-demo-'));
    const run = await demo(['--out', join(dir, 'f.html'), '--account', '123456789012']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('approved by demo-approver (sla-claims demo, no Slack)');
    const lines = run.out.split('\n').filter((l) => /^ {2}(filed|ready to file) /.test(l));
    expect(lines).toHaveLength(6);
    // Confirmed terms (the verified ELB page, Lambda's negotiated terms) are filed automatically.
    expect(lines.filter((l) => l.startsWith('  filed ')).length).toBeGreaterThanOrEqual(1);
    // 210987654321 files by hand (config/contract.example.yml).
    expect(lines.find((l) => l.includes('210987654321#dynamodb'))).toMatch(/ready to file .*filing: manual/);
    for (const line of lines) {
      // A filed claim prints its case ids; a ready one why a person must file it.
      if (line.startsWith('  filed ')) expect(line).toMatch(/: case \d{10} \(case-\d{12}-2025-[0-9a-f]{16}\)$/);
      else expect(line).toMatch(/: (the contract says filing: manual|terms unconfirmed: not filed automatically)/);
    }
  });

  it.each([
    [['demo', '--account', '12'], 'sla-claims demo: --account: expected a 12-digit AWS account id (got "12")'],
    [['demo', '--out', 'x.txt'], 'sla-claims demo: --out: expected an .html file name, like out/summary.html; the text part is written next to it as .txt (got "x.txt")'],
  ])('rejects %j in one line with exit 2, before starting anything', async (argv, message) => {
    const err: string[] = [];
    const code = await main(argv, { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err).toEqual([message]);
  });
});
