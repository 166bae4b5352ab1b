/**
 * Reconciliation (issue 9, item 4) on DynamoDB Local: credits from Cost Explorer (the real SDK client answered by
 * aws-sdk-client-mock with GetCostAndUsage shapes) and from a CSV, matched to filed claims, recorded, flagged.
 */
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import type { Db } from '../../src/store/clients.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { loadSummaryWithHistory } from '../../src/summary/history.ts';
import { CostExplorerBillCredits, CreditsFileError, CsvBillCredits } from '../../src/tracking/bill-credits.ts';
import { decide, matchCredits, reconcileCredits } from '../../src/tracking/reconcile-credits.ts';
import { DynamoTrackingStore } from '../../src/tracking/tracking-store.ts';
import { freshDb } from '../helpers/db.ts';
import { sampleClaim } from '../helpers/claims.ts';

const ce = new CostExplorerClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
const ceMock = mockClient(ce);
let db: Db;
let store: DynamoClaimStore;
beforeAll(async () => {
  db = await freshDb('reconcile');
  store = new DynamoClaimStore(db);
});
afterAll(() => db.client.destroy());
beforeEach(() => ceMock.reset());

const filed = (id: string, over: Partial<Claim> = {}, filedAt = '2025-11-03T10:00:00.000Z'): Claim =>
  sampleClaim({ claimId: id, status: 'submitted', filing: { via: 'support-api', caseId: `case-${id}`, filedAt, filedBy: 'system' }, ...over });

describe('matchCredits and decide (pure)', () => {
  it('matches by account, service and bill month from the filing on, exact amount first, oldest filing next; leaves a too-big credit', () => {
    const a = filed('a', { creditCents: 50_000 }, '2025-11-01T00:00:00.000Z');
    const b = filed('b', { creditCents: 30_000 }, '2025-11-05T00:00:00.000Z');
    const other = filed('c', { creditCents: 10_000, account: '210987654321' });
    const { matches, unmatchedCents } = matchCredits([a, b, other], [
      { account: '123456789012', service: 'DYNAMODB', month: '2025-10', cents: 30_000 }, // before any filing: not ours
      { account: '123456789012', service: 'DYNAMODB', month: '2025-11', cents: 30_000 }, // exactly b's
      { account: '123456789012', service: 'LAMBDA', month: '2025-12', cents: 5_000 }, // no Lambda claim
      { account: '123456789012', service: 'DYNAMODB', month: '2025-12', cents: 20_000 }, // part of a's
      { account: '210987654321', service: 'DYNAMODB', month: '2025-12', cents: 99_999 }, // more than claimed: promotional
    ]);
    expect(Object.fromEntries(matches)).toEqual({
      a: { paidCents: 20_000, billMonth: '2025-12' },
      b: { paidCents: 30_000, billMonth: '2025-11' },
      c: { paidCents: 0, billMonth: null },
    });
    expect(unmatchedCents).toBe(30_000 + 5_000 + 99_999);
  });

  it('flags partial and missing credits only 60 days after filing', () => {
    const c = filed('x', { creditCents: 50_000 });
    const day59 = Date.parse('2026-01-01T10:00:00Z');
    const day60 = Date.parse('2026-01-02T10:00:00Z');
    expect(decide(c, { paidCents: 0, billMonth: null }, day59, '2026-01')).toEqual({ kind: 'none' });
    expect(decide(c, { paidCents: 0, billMonth: null }, day60, '2026-01')).toMatchObject({ kind: 'record', payment: { paidCents: 0, flag: 'missing' } });
    expect(decide(c, { paidCents: 1_000, billMonth: '2025-12' }, day59, '2026-01')).toMatchObject({ kind: 'record', payment: { paidCents: 1_000 } });
    expect(decide(c, { paidCents: 1_000, billMonth: '2025-12' }, day60, '2026-01')).toMatchObject({ kind: 'credit', payment: { paidCents: 1_000, flag: 'partial' } });
    expect(decide(c, { paidCents: 50_000, billMonth: '2025-12' }, day59, '2026-01')).toMatchObject({ kind: 'credit', payment: { paidCents: 50_000 } });
    const recorded = { ...c, payment: { paidCents: 0, billMonth: '2026-01', matchedAt: '', flag: 'missing' as const } };
    expect(decide(recorded, { paidCents: 0, billMonth: null }, Date.parse('2026-02-10T00:00:00Z'), '2026-02')).toEqual({ kind: 'none' });
  });
});

describe('reconcileCredits on DynamoDB Local', () => {
  async function stored(id: string, creditCents: number, filedAt: string, status: 'submitted' | 'credited' = 'submitted'): Promise<Claim> {
    let claim = await store.saveComputedClaim(sampleClaim({ claimId: `123456789012#dynamodb#${id}#2025-10`, creditCents }));
    for (const to of ['pending_approval', 'approved', 'submitted', ...(status === 'credited' ? ['credited' as const] : [])] as const) {
      const r = await store.transition({ claimId: claim.claimId, from: claim.status, to, expectedVersion: claim.version, actor: 'U1', at: filedAt });
      if (!r.ok) throw new Error('setup');
      claim = r.claim;
    }
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: { pk: `CLAIM#${claim.claimId}`, sk: 'CLAIM' },
        UpdateExpression: 'SET filing = :f',
        ExpressionAttributeValues: { ':f': { via: 'support-api', caseId: `case-${id}`, filedAt, filedBy: 'system' } },
      }),
    );
    return (await store.getClaim(claim.claimId))!;
  }

  it('records the credits Cost Explorer shows (record type Credit), credits the claims, flags partial and missing ones', async () => {
    const full = await stored('full', 50_000, '2025-11-03T10:00:00.000Z');
    const part = await stored('part', 184_200, '2025-11-04T10:00:00.000Z', 'credited');
    const none = await stored('none', 12_345, '2025-11-05T10:00:00.000Z');
    ceMock
      .on(GetCostAndUsageCommand)
      .resolvesOnce({
        ResultsByTime: [
          { TimePeriod: { Start: '2025-11-01', End: '2025-12-01' }, Total: {}, Groups: [], Estimated: false },
          {
            TimePeriod: { Start: '2025-12-01', End: '2026-01-01' },
            Total: {},
            Groups: [{ Keys: ['123456789012', 'Amazon DynamoDB'], Metrics: { UnblendedCost: { Amount: '-500.0000001', Unit: 'USD' } } }],
            Estimated: false,
          },
        ],
        NextPageToken: 'next',
      })
      .resolves({
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-01-01', End: '2026-02-01' },
            Total: {},
            Groups: [{ Keys: ['123456789012', 'Amazon DynamoDB'], Metrics: { UnblendedCost: { Amount: '-1000', Unit: 'USD' } } }],
            Estimated: true,
          },
        ],
      });
    const now = Date.parse('2026-01-10T00:00:00Z'); // more than 60 days after every filing
    const deps = { store, tracking: new DynamoTrackingStore(db), bill: new CostExplorerBillCredits(ce), now: () => now };
    const report = await reconcileCredits(deps, { months: ['2025-10'] });
    const calls = ceMock.commandCalls(GetCostAndUsageCommand);
    expect(calls.map((c) => c.args[0].input.NextPageToken)).toEqual([undefined, 'next']);
    expect(calls[0]!.args[0].input).toMatchObject({
      TimePeriod: { Start: '2025-11-01', End: '2026-02-01' },
      Granularity: 'MONTHLY',
      Filter: { And: [{ Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } }, { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['123456789012'] } }] },
      GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }, { Type: 'DIMENSION', Key: 'SERVICE' }],
    });
    expect(report.credited).toEqual([full.claimId]);
    expect(report.partial).toEqual([part.claimId]);
    expect(report.missing).toEqual([none.claimId]);
    const [f, p, n] = await Promise.all([full, part, none].map((c) => store.getClaim(c.claimId)));
    expect(f).toMatchObject({ status: 'credited', payment: { paidCents: 50_000, billMonth: '2025-12' } });
    expect(p).toMatchObject({ status: 'credited', payment: { paidCents: 100_000, billMonth: '2026-01', flag: 'partial' } });
    expect(n).toMatchObject({ status: 'submitted', payment: { paidCents: 0, flag: 'missing' } });
    expect((await store.listAudit(full.claimId)).at(-1)).toMatchObject({ from: 'submitted', to: 'credited', detail: { paidCents: '50000', billMonth: '2025-12' } });
    expect((await store.listAudit(none.claimId)).at(-1)).toMatchObject({ action: 'payment-missing' });

    // A second run with the same bill writes nothing.
    const versions = (await Promise.all([full, part, none].map((c) => store.getClaim(c.claimId)))).map((c) => c!.version);
    ceMock.reset();
    ceMock.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [
        { TimePeriod: { Start: '2025-12-01', End: '2026-01-01' }, Groups: [{ Keys: ['123456789012', 'Amazon DynamoDB'], Metrics: { UnblendedCost: { Amount: '-500', Unit: 'USD' } } }] },
        { TimePeriod: { Start: '2026-01-01', End: '2026-02-01' }, Groups: [{ Keys: ['123456789012', 'Amazon DynamoDB'], Metrics: { UnblendedCost: { Amount: '-1000', Unit: 'USD' } } }] },
      ],
    });
    await reconcileCredits(deps, { months: ['2025-10'] });
    expect((await Promise.all([full, part, none].map((c) => store.getClaim(c.claimId)))).map((c) => c!.version)).toEqual(versions);

    // The January summary: recovered this month, paid vs claimed, the flags, from the store.
    const model = await loadSummaryWithHistory(store, '2026-01', { nowMs: now });
    expect(model.recoveredCents).toBe(100_000);
    expect(model.paidVsClaimed).toEqual({ paidCents: 150_000, claimedCents: 50_000 + 184_200 + 12_345, percent: 60.8 });
    expect(model.paymentFlags.map((l) => [l.claimId, l.paymentFlag])).toEqual([[part.claimId, 'partial'], [none.claimId, 'missing']]);
  });
});

describe('CsvBillCredits (local)', () => {
  it('reads the Credit rows of a spend file with record_type, or every row of a credits-only file; amounts may be negative', async () => {
    const spend = new CsvBillCredits(
      ['account,month,service,region,amount,record_type', '123456789012,2025-12,DYNAMODB,us-east-1,5000.00,Usage', '123456789012,2025-12,DYNAMODB,us-east-1,-500.00,Credit', '123456789012,2025-12,dynamodb,us-east-1,-1.25,Credit'].join('\n'),
    );
    expect(await spend.credits(['123456789012'], ['2025-12'])).toEqual([{ account: '123456789012', service: 'DYNAMODB', month: '2025-12', cents: 50_125 }]);
    const only = new CsvBillCredits('account,month,service,amount\n210987654321,2026-01,LAMBDA,46.01\n');
    expect(await only.credits(['210987654321'], ['2026-01', '2025-12'])).toEqual([{ account: '210987654321', service: 'LAMBDA', month: '2026-01', cents: 4_601 }]);
    expect(await only.credits(['123456789012'], ['2026-01'])).toEqual([]);
  });

  it('names the line, the field and the value of a bad row', () => {
    expect(() => new CsvBillCredits('account,month,service,amount\n1234,2025-12,EC2,1\n', 'credits.csv')).toThrow(new CreditsFileError('credits.csv line 2: account: expected a 12-digit AWS account id (got "1234")'));
    expect(() => new CsvBillCredits('account,month,service,amount\n123456789012,2025-12,EC2,1.234\n', 'credits.csv')).toThrow(/credits\.csv line 2: amount: expected a non-negative US-dollar amount .*\(got "1\.234"\)/);
    expect(() => new CsvBillCredits('account,month,amount\n', 'credits.csv')).toThrow(/missing service/);
  });
});
