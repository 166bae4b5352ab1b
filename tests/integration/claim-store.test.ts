import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import type { Db } from '../../src/store/clients.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { freshDb } from '../helpers/db.ts';
import { batchPutAll } from '../../src/store/dynamo.ts';
import { sampleClaim } from '../helpers/claims.ts';

let db: Db;
let store: DynamoClaimStore;

beforeAll(async () => {
  db = await freshDb('claims');
  store = new DynamoClaimStore(db);
});
afterAll(() => db.client.destroy());

describe('DynamoClaimStore on DynamoDB Local', () => {
  it('creates a claim as draft v1 with a "created" audit entry, and a recompute with equal numbers writes nothing', async () => {
    const claim = sampleClaim({ claimId: 'c-create' });
    const saved = await store.saveComputedClaim(claim);
    expect(saved.status).toBe('draft');
    expect(saved.version).toBe(1);
    const again = await store.saveComputedClaim({ ...claim, updatedAt: '2025-10-21T00:00:00.000Z' });
    expect(again.version).toBe(1);
    expect((await store.listAudit('c-create')).map((a) => a.action)).toEqual(['created']);
  });

  it('makes exactly one transition out of 20 parallel approvals of the same version', async () => {
    const claim = await store.saveComputedClaim(sampleClaim({ claimId: 'c-race' }));
    const pending = await store.transition({
      claimId: claim.claimId, from: 'draft', to: 'pending_approval', expectedVersion: claim.version, actor: 'system', at: '2025-10-21T00:00:00.000Z',
    });
    expect(pending.ok).toBe(true);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.transition({
          claimId: claim.claimId, from: 'pending_approval', to: 'approved', expectedVersion: 2, actor: `U${i}`,
          at: `2025-10-21T00:00:${String(i).padStart(2, '0')}.000Z`, patch: { decidedBy: `U${i}` },
        }),
      ),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const final = await store.getClaim(claim.claimId);
    expect(final?.status).toBe('approved');
    expect(final?.version).toBe(3);
    for (const r of results) if (!r.ok) expect(r.current?.decidedBy).toBe(final?.decidedBy);
    const transitions = (await store.listAudit(claim.claimId)).filter((a) => a.to === 'approved');
    expect(transitions).toHaveLength(1);
  });

  it('refuses a transition from the wrong state or version and changes nothing', async () => {
    const claim = await store.saveComputedClaim(sampleClaim({ claimId: 'c-wrong' }));
    const stale = await store.transition({
      claimId: claim.claimId, from: 'draft', to: 'pending_approval', expectedVersion: 7, actor: 'x', at: '2025-10-21T00:00:00.000Z',
    });
    expect(stale).toEqual({ ok: false, current: expect.objectContaining({ status: 'draft', version: 1 }) });
    await expect(
      store.transition({ claimId: claim.claimId, from: 'draft', to: 'approved', expectedVersion: 1, actor: 'x', at: '2025-10-21T00:00:00.000Z' }),
    ).rejects.toThrow(/not allowed/);
    const missing = await store.transition({
      claimId: 'nope', from: 'draft', to: 'pending_approval', expectedVersion: 1, actor: 'x', at: '2025-10-21T00:00:00.000Z',
    });
    expect(missing).toEqual({ ok: false, current: null });
  });

  it('sends an approved claim whose credit changed back to pending approval, keeping its Slack message', async () => {
    const claim = await store.saveComputedClaim(sampleClaim({ claimId: 'c-recompute' }));
    await store.transition({ claimId: claim.claimId, from: 'draft', to: 'pending_approval', expectedVersion: 1, actor: 'system', at: '2025-10-21T00:00:00.000Z' });
    expect(await store.setSlackRef(claim.claimId, { channel: 'C1', ts: '1.2' }, 2)).toBe(true);
    await store.transition({ claimId: claim.claimId, from: 'pending_approval', to: 'approved', expectedVersion: 2, actor: 'U1', at: '2025-10-21T00:01:00.000Z' });
    const bigger = await store.saveComputedClaim({ ...claim, creditPercent: 25, creditCents: 125000, updatedAt: '2025-10-22T00:00:00.000Z' });
    expect(bigger.status).toBe('pending_approval');
    expect(bigger.version).toBe(4);
    expect(bigger.slack).toEqual({ channel: 'C1', ts: '1.2' });
    expect(bigger.createdAt).toBe(claim.createdAt);
  });

  it('keeps a Slack reference written between a recompute\'s read and its write', async () => {
    const claim = await store.saveComputedClaim(sampleClaim({ claimId: 'c-slack-race' }));
    const readByRecompute = await store.getClaim(claim.claimId);
    expect(await store.setSlackRef(claim.claimId, { channel: 'C1', ts: '2.0', shownVersion: 1 }, 1)).toBe(true);
    const saved = await store.saveComputedClaimIfCurrent({ ...claim, downtimeMinutes: 200, creditCents: 60000, updatedAt: '2025-10-21T00:00:00.000Z' }, readByRecompute);
    expect(saved?.version).toBe(2);
    const stored = await store.getClaim(claim.claimId);
    expect(stored).toMatchObject({ version: 2, creditCents: 60000, slack: { channel: 'C1', ts: '2.0', shownVersion: 1 } });
  });

  it('lists a month through the index, page by page, without mixing months', async () => {
    const month = '2024-02';
    for (let i = 0; i < 25; i++) {
      await store.saveComputedClaim(sampleClaim({ claimId: `m-${i}`, month, account: String(100000000000 + i) }));
    }
    await store.saveComputedClaim(sampleClaim({ claimId: 'other-month', month: '2024-03' }));
    const first = await store.listClaimsByMonthPage(month, { limit: 10 });
    expect(first.claims).toHaveLength(10);
    expect(first.next).toBeDefined();
    const all = await store.listClaimsByMonth(month);
    expect(all).toHaveLength(25);
    expect(new Set(all.map((c) => c.claimId)).size).toBe(25);
    expect(all.every((c: Claim) => c.month === month)).toBe(true);
  });

  it('reads a month in pages of 500 (DynamoDB Local slows down sharply on unlimited pages of a large partition)', async () => {
    const month = '2024-05';
    const items = Array.from({ length: 1200 }, (_, i) => ({ ...sampleClaim({ claimId: `p-${i}`, month }), pk: `CLAIM#p-${i}`, sk: 'CLAIM', gsi1pk: `MONTH#${month}`, gsi1sk: `p-${String(i).padStart(5, '0')}`, type: 'claim' }));
    await batchPutAll(db, items);
    const queries: (number | undefined)[] = [];
    db.doc.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries.push((args.input as { Limit?: number }).Limit);
      return next(args);
    }, { step: 'initialize', name: 'pageCounter' });
    try {
      expect(await store.listClaimsByMonth(month)).toHaveLength(1200);
      expect(queries).toEqual([500, 500, 500]);
      queries.length = 0;
      expect(await store.listStoredByMonth(month)).toHaveLength(1200);
      expect(queries).toEqual([500, 500, 500]);
    } finally {
      db.doc.middlewareStack.remove('pageCounter');
    }
  });

  it('audits every computed change exactly once, the inline log moving to audit items as it grows', async () => {
    const claim = await store.saveComputedClaim(sampleClaim({ claimId: 'c-audit-log' }));
    for (let i = 1; i <= 85; i++) {
      await store.saveComputedClaim({ ...claim, downtimeMinutes: 100 + i, creditCents: 50000 + i, updatedAt: `2025-10-21T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z` });
    }
    const audit = await store.listAudit(claim.claimId);
    expect(audit.map((a) => a.version)).toEqual(Array.from({ length: 86 }, (_, i) => i + 1));
    expect(audit.map((a) => a.action)).toEqual(['created', ...Array(85).fill('recomputed')]);
    const stored = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: { pk: `CLAIM#${claim.claimId}`, sk: 'CLAIM' } }));
    expect((stored.Item!.auditLog as unknown[]).length).toBeLessThanOrEqual(40);
    expect(await store.getClaim(claim.claimId)).toMatchObject({ version: 86, downtimeMinutes: 185 });
  });
});
