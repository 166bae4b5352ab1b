/** Expiry (issue 9, item 5) on DynamoDB Local: unfiled claims past their deadline become expired, once, audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import type { Db } from '../../src/store/clients.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { expireClaims, EXPIRABLE, monthsPastDeadline } from '../../src/tracking/expire-claims.ts';
import { buildSummaryModel } from '../../src/summary/model.ts';
import { loadSummaryWithHistory } from '../../src/summary/history.ts';
import { freshDb } from '../helpers/db.ts';
import { sampleClaim } from '../helpers/claims.ts';

let db: Db;
let store: DynamoClaimStore;
beforeAll(async () => {
  db = await freshDb('expire');
  store = new DynamoClaimStore(db);
});
afterAll(() => db.client.destroy());

/** A stored claim moved along the state machine to `status`. */
async function stored(id: string, month: string, status: Claim['status'], overrides: Partial<Claim> = {}): Promise<Claim> {
  let claim = await store.saveComputedClaim(sampleClaim({ claimId: `123456789012#dynamodb#${id}#${month}`, month, deadline: '', ...overrides }));
  const path: Claim['status'][] = { draft: [], pending_approval: ['pending_approval'], approved: ['pending_approval', 'approved'], ready_to_file: ['pending_approval', 'approved', 'ready_to_file'], submitted: ['pending_approval', 'approved', 'submitted'], rejected: ['pending_approval', 'rejected'] }[status as 'draft'] ?? [];
  for (const to of path) {
    const r = await store.transition({ claimId: claim.claimId, from: claim.status, to, expectedVersion: claim.version, actor: 'U1', at: '2025-08-01T00:00:00.000Z' });
    if (!r.ok) throw new Error('setup transition failed');
    claim = r.claim;
  }
  return claim;
}

describe('expireClaims', () => {
  it('knows which months are past their deadline (end of the second month after)', () => {
    expect(monthsPastDeadline(Date.parse('2025-10-22T00:00:00Z'), 2)).toEqual(['2025-07', '2025-06']);
    // 1 November: October 31 (August's deadline) has just passed.
    expect(monthsPastDeadline(Date.parse('2025-11-01T00:30:00Z'), 1)).toEqual(['2025-08']);
    expect(EXPIRABLE).toEqual(['draft', 'pending_approval', 'approved', 'ready_to_file']);
  });

  it('expires every unfiled claim past its deadline, once and audited; filed, rejected and timely claims stay as they are', async () => {
    const july = await Promise.all([
      stored('a', '2025-07', 'draft'),
      stored('b', '2025-07', 'pending_approval'),
      stored('c', '2025-07', 'approved'),
      stored('d', '2025-07', 'ready_to_file'),
      stored('e', '2025-07', 'submitted'),
      stored('f', '2025-07', 'rejected'),
    ]);
    const august = await stored('g', '2025-08', 'draft');
    const now = Date.parse('2025-10-22T00:00:00Z');
    const report = await expireClaims({ store, now: () => now }, { months: ['2025-07', '2025-08'] });
    expect(report.expired.map((e) => [e.claimId.split('#')[2], e.from, e.deadline]).sort()).toEqual([
      ['a', 'draft', '2025-09-30'],
      ['b', 'pending_approval', '2025-09-30'],
      ['c', 'approved', '2025-09-30'],
      ['d', 'ready_to_file', '2025-09-30'],
    ]);
    const after = await Promise.all([...july, august].map((c) => store.getClaim(c.claimId)));
    expect(after.map((c) => c?.status)).toEqual(['expired', 'expired', 'expired', 'expired', 'submitted', 'rejected', 'draft']);
    const audit = await store.listAudit(july[0]!.claimId);
    expect(audit.at(-1)).toMatchObject({ actor: 'system', action: 'transition', from: 'draft', to: 'expired', reason: 'not submitted by the deadline 2025-09-30; AWS no longer accepts the claim' });
    // A second run changes nothing.
    const again = await expireClaims({ store, now: () => now }, { months: ['2025-07', '2025-08'] });
    expect(again.expired).toEqual([]);
    expect((await store.listAudit(july[0]!.claimId)).filter((a) => a.to === 'expired')).toHaveLength(1);
  });

  it('20 parallel runs expire a claim once', async () => {
    const claim = await stored('race', '2025-05', 'approved');
    const now = Date.parse('2025-10-22T00:00:00Z');
    const reports = await Promise.all(Array.from({ length: 20 }, () => expireClaims({ store, now: () => now }, { months: ['2025-05'] })));
    expect(reports.flatMap((r) => r.expired).filter((e) => e.claimId === claim.claimId)).toHaveLength(1);
    expect((await store.listAudit(claim.claimId)).filter((a) => a.to === 'expired')).toHaveLength(1);
  });

  it('the summary shows the expired money as missed, read from the store', async () => {
    const now = Date.parse('2025-11-01T08:00:00Z');
    const model = await loadSummaryWithHistory(store, '2025-10', { nowMs: now });
    // July's four expired $500 claims, and August's draft whose deadline (31 October) passed before the expiry ran,
    // are earlier months' missed money; nothing of October is.
    expect(model.missedEarlierCents).toBe(5 * 50_000);
    expect(model.missedEarlierDeadlines).toEqual(['2025-09-30', '2025-10-31']);
    expect(model.missedCents).toBe(0);
    const direct = buildSummaryModel({ month: '2025-07', claims: await store.listClaimsByMonth('2025-07'), nowMs: now });
    expect(direct.missedCents).toBe(4 * 50_000);
    expect(direct.toFileCents).toBe(0);
    expect(direct.submittedCents).toBe(50_000);
  });

  it('rejects a bad month naming it, before writing anything', async () => {
    await expect(expireClaims({ store, now: () => Date.now() }, { months: ['2025-13'] })).rejects.toThrow('month: expected YYYY-MM, like 2025-10 (got "2025-13")');
  });
});
