/** `sla-claims demo` (what `npm start` runs), on a fresh table of the shared DynamoDB Local. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo-command.ts';
import { main } from '../../src/cli/main.ts';
import { formatUsd } from '../../src/credit/money.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { createLocalDb } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';

async function demo(argv: string[]) {
  const out: string[] = [];
  let tableName = '';
  const start = async () => {
    const db = await freshDb('demo');
    tableName = db.tableName;
    return { db, endpoint: inject('dynamoEndpoint'), port: 0, stop: async () => db.client.destroy() };
  };
  const code = await demoCommand(argv, { out: (t) => out.push(t), err: (t) => out.push(t) }, start);
  return { code, out: out.join('\n'), tableName };
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

  it('ends with AWS answering the filed case, tracking it to credited, and the synthetic bill\'s credit recorded as paid; the email\'s recovered and paid-vs-claimed figures match the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-demo-'));
    const run = await demo(['--out', join(dir, 't.html'), '--account', '123456789012']);
    expect(run.code).toBe(0);
    const tracking = run.out.slice(run.out.indexOf('Tracking the cases'), run.out.indexOf('\nReconciliation'));
    const reconciliation = run.out.slice(run.out.indexOf('Reconciliation (credits on the bill: events/demo/credits-2025-10.csv, synthetic)'), run.out.indexOf('\nSummary'));
    expect(tracking).toMatch(/ {2}AWS answered {3}123456789012#lambda#us-east-1#2025-10 on case \d{10}: "We have confirmed the impact to your account, and a service credit of \$920\.14 has been applied to your account\."/);
    expect(tracking).toMatch(/ {2}credited {7}123456789012#lambda#us-east-1#2025-10 \(AWS states the credit; the bill confirms the amount\)/);
    expect(tracking).toContain('1 case read: 1 credited, 0 denied, 0 "AWS replied"');
    expect(reconciliation).toContain('  paid           123456789012#lambda#us-east-1#2025-10: $920.14 of $920.14 claimed, on the 2025-10 bill');
    // The promotional EC2 credit of the synthetic bill is not taken for an SLA credit.
    expect(reconciliation).toContain('  left over      $100.00 of credits on the bill match no filed claim');

    // Against the store: the claim is credited with the payment, audited; the email's figures are the store's.
    const db = createLocalDb(run.tableName, inject('dynamoEndpoint'));
    try {
      const store = new DynamoClaimStore(db);
      const claims = [...(await store.listClaimsByMonth('2025-10')), ...(await store.listClaimsByMonth('2025-07'))];
      const credited = claims.filter((c) => c.status === 'credited');
      expect(credited.map((c) => [c.claimId, c.payment?.paidCents, c.payment?.billMonth, c.tracking?.outcome, c.tracking?.caseStatus])).toEqual([
        ['123456789012#lambda#us-east-1#2025-10', 92014, '2025-10', 'credited', 'resolved'],
      ]);
      expect((await store.listAudit(credited[0]!.claimId)).map((a) => [a.actor, a.action])).toEqual(expect.arrayContaining([['aws-support', 'transition'], ['system', 'payment-recorded']]));
      // The demo's guarantees: one filed (here credited, i.e. submitted or later), ready to file, expired.
      expect(claims.some((c) => c.status === 'ready_to_file')).toBe(true);
      expect(claims.some((c) => c.status === 'expired')).toBe(true);
      const filed = claims.filter((c) => ['submitted', 'credited', 'denied'].includes(c.status));
      const paid = filed.reduce((n, c) => n + (c.payment?.paidCents ?? 0), 0);
      const claimed = filed.reduce((n, c) => n + (c.creditCents ?? 0), 0);
      const recovered = claims.filter((c) => c.payment?.billMonth === '2025-10').reduce((n, c) => n + (c.payment?.paidCents ?? 0), 0);
      const text = readFileSync(join(dir, 't.txt'), 'utf8');
      expect(text).toContain(`Recovered this month: ${formatUsd(recovered)} (credits on the October 2025 bill)`);
      expect(text).toContain(`Paid vs claimed: ${formatUsd(paid)} paid of ${formatUsd(claimed)} claimed (100 %)`);
      expect(text).toContain(`Filed:          ${formatUsd(claimed)} (1 claim; paid ${formatUsd(paid)}, denied $0.00)`);
      expect([recovered, paid, claimed]).toEqual([92014, 92014, 92014]);
      expect(run.out).toContain('  AWS paid $920.14 of the $920.14 filed (1 credited); $2,200.35 still owed.');
    } finally {
      db.client.destroy();
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
