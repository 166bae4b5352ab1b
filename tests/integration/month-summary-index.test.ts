/**
 * The narrow month index (gsi2, INCLUDE of the summary's fields) on DynamoDB Local: a month read through it returns
 * every claim of the month, whichever write path made or changed it (create, version-conditional UpdateItem, PartiQL
 * batch UPDATE, transactional create, human transition), with the stored values of the summary's fields, including a
 * claim whose key part is over its byte budget; nothing of other months; and none of the heavy attributes.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextClaim, recomputeAudit } from '../../src/claims/build.ts';
import { claimIdOf, KEY_PART_BYTES, scopeKeyOf } from '../../src/claims/ids.ts';
import type { Claim } from '../../src/claims/types.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { keys, MONTH_SUMMARY_ATTRIBUTES, MONTH_SUMMARY_INDEX } from '../../src/store/table.ts';
import { readMonthOptions } from '../../src/summary/load.ts';
import { SUMMARY_FIELDS } from '../../src/summary/model.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';

let db: Db;
let store: DynamoClaimStore;

beforeAll(async () => {
  db = await freshDb('month-index');
  store = new DynamoClaimStore(db);
});
afterAll(() => db.client.destroy());

function claim(account: string, region: string, month: string, resource: string | null = null, overrides: Partial<Claim> = {}): Claim {
  const claimId = claimIdOf(scopeKeyOf(account, 'dynamodb', resource ?? region), month);
  return sampleClaim({ claimId, account, region, resource, month, deadline: '2025-12-31', ...overrides });
}

const pick = (c: Claim) => Object.fromEntries(SUMMARY_FIELDS.filter((f) => c[f] !== undefined).map((f) => [f, c[f]]));

describe('the narrow month index (gsi2)', () => {
  it('returns every claim of the month as stored after each write path, and nothing of other months', async () => {
    const at = '2025-10-21T00:00:00.000Z';
    // Created, then recomputed (version-conditional UpdateItem of the changed fields).
    const updated = await store.saveComputedClaim(claim('111111111111', 'us-east-1', '2025-10'));
    const recomputed = await store.saveComputedClaim({ ...claim('111111111111', 'us-east-1', '2025-10'), creditCents: 77_777, updatedAt: at });
    expect(recomputed.version).toBe(2);
    // A resource of 2 000 bytes: its key part becomes a bounded prefix + SHA-256.
    const longArn = `arn:aws:ec2:us-east-1:111111111111:instance/i-${'x'.repeat(2000)}`;
    const long = await store.saveComputedClaim(claim('111111111111', 'us-east-1', '2025-10', longArn));
    expect(Buffer.byteLength(long.claimId)).toBeLessThan(Buffer.byteLength(longArn));
    expect(Buffer.byteLength(long.claimId.split('#')[2]!)).toBeLessThanOrEqual(KEY_PART_BYTES);
    // Two claims changed in one PartiQL BatchExecuteStatement (UPDATE … WHERE "version" = ?).
    const a = await store.saveComputedClaim(claim('222222222222', 'eu-west-1', '2025-10'));
    const b = await store.saveComputedClaim(claim('333333333333', 'eu-west-1', '2025-10'));
    const stored = await store.getForRecompute([a.claimId, b.claimId]);
    const writes = [a, b].map((c) => {
      const expected = stored.get(c.claimId)!;
      const next = nextClaim(expected.claim, { ...expected.claim, creditCents: 12_345, updatedAt: at });
      return { next, windows: expected.windows, expected, audit: recomputeAudit(expected.claim, next) };
    });
    expect((await store.saveManyRecomputed(writes)).map((r) => r.ok)).toEqual([true, true]);
    // Created in a transaction (a large event's new claims).
    const fresh = claim('444444444444', 'ap-northeast-1', '2025-10');
    const created = nextClaim(null, fresh);
    expect([...(await store.createMany([{ next: created, windows: {}, audit: recomputeAudit(null, created) }]))]).toEqual([fresh.claimId]);
    // A human transition (transaction with its audit item).
    const moved = await store.transition({ claimId: updated.claimId, from: 'draft', to: 'pending_approval', expectedVersion: 2, actor: 'U1', at });
    expect(moved.ok).toBe(true);
    // Claims of the months on either side.
    await store.saveComputedClaim(claim('111111111111', 'us-east-1', '2025-09'));
    await store.saveComputedClaim(claim('111111111111', 'us-east-1', '2025-11'));

    const october = [updated.claimId, long.claimId, a.claimId, b.claimId, fresh.claimId];
    for (const options of [readMonthOptions(), { ...readMonthOptions(), pageSize: 1, concurrency: 3 }]) {
      const read = await store.listClaimsByMonthConcurrently('2025-10', options);
      expect(read.map((c) => c.claimId).sort()).toEqual([...october].sort());
      for (const c of read) expect(c).toEqual(pick((await store.getClaim(c.claimId))!));
    }
    const byId = new Map((await store.listClaimsByMonthConcurrently('2025-10', readMonthOptions())).map((c) => [c.claimId, c]));
    expect(byId.get(updated.claimId)).toMatchObject({ status: 'pending_approval', creditCents: 77_777 });
    expect(byId.get(a.claimId)?.creditCents).toBe(12_345);
    expect(byId.get(long.claimId)?.resource).toBe(longArn);
    expect((await store.listClaimsByMonthConcurrently('2025-09', readMonthOptions())).map((c) => c.claimId)).toEqual([claim('111111111111', 'us-east-1', '2025-09').claimId]);
  });

  it('holds only the projected attributes: no evidence, windows or audit log', async () => {
    const c = await store.saveComputedClaim(claim('555555555555', 'us-west-2', '2025-08'));
    const { Items } = await db.doc.send(
      new QueryCommand({ TableName: db.tableName, IndexName: MONTH_SUMMARY_INDEX, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.monthIndex('2025-08') } }),
    );
    expect(Items).toHaveLength(1);
    const allowed = new Set<string>([...MONTH_SUMMARY_ATTRIBUTES, 'pk', 'sk', 'gsi1pk', 'gsi1sk']);
    expect(Object.keys(Items![0]!).filter((k) => !allowed.has(k))).toEqual([]);
    expect(Items![0]).toMatchObject({ claimId: c.claimId, status: 'draft' });
  });

  it('refuses a field the index does not hold, naming it', async () => {
    await expect(store.listClaimsByMonthConcurrently('2025-10', { fields: ['claimId', 'evidence'] })).rejects.toThrow(/not in the gsi2 projection \(got \["evidence"\]\)/);
  });
});
