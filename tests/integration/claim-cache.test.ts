/**
 * The claim cache of a warm instance (src/store/claim-cache.ts): a real update writes its claim without reading it
 * (2 requests), and a cached claim that another instance or a decision changed since only costs a failed condition,
 * never a wrong claim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { ingestRaw } from '../../src/pipeline/ingest.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { ClaimCache } from '../../src/store/claim-cache.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';
import { deps, withCache } from '../helpers/pipeline.ts';
import type { StoredClaim } from '../../src/pipeline/ports.ts';

const base: EnvelopeSpec = {
  account: '123456789012',
  eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/AWS_DYNAMODB_OPERATIONAL_ISSUE_CACHE',
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:00:00Z',
  lastUpdated: '2025-10-20T06:30:00Z',
  status: 'open',
  description: 'Investigating increased error rates.',
};

/** Three updates of incident `n` (day `n` of October), closed at 08:40 (160 minutes). */
function updates(n: number, account = base.account): Record<string, unknown>[] {
  const day = String(n).padStart(2, '0');
  const b = { ...base, account, eventArn: `${base.eventArn}_${n}`, start: `2025-10-${day}T06:00:00Z`, lastUpdated: `2025-10-${day}T06:30:00Z` };
  return [
    healthEnvelope(b),
    healthEnvelope({ ...b, lastUpdated: `2025-10-${day}T07:30:00Z`, description: 'Identified.' }),
    healthEnvelope({ ...b, lastUpdated: `2025-10-${day}T09:00:00Z`, end: `2025-10-${day}T08:40:00Z`, status: 'closed', description: 'Resolved.' }),
  ];
}

let db: Db;
beforeAll(async () => {
  db = await freshDb('claim-cache');
});
afterAll(() => db.client.destroy());

function counting(table: Db): () => number {
  let n = 0;
  table.doc.middlewareStack.add((next) => async (args) => {
    n++;
    return next(args);
  }, { step: 'initialize', name: 'cacheTestCounter' });
  return () => n;
}

describe('a warm instance', () => {
  it('writes a known claim without reading it: 2 requests per real update', async () => {
    const table = await freshDb('claim-cache-count');
    const count = counting(table);
    const d = deps(table, '2025-11-02T00:00:00Z');
    for (const e of updates(1)) await ingestRaw(e, 't', d); // the first update reads (nothing cached yet)
    const before = count();
    for (const e of updates(2)) await ingestRaw(e, 't', d);
    expect(count() - before).toBe(6);
    const [claim] = await new DynamoClaimStore(table).listClaimsByMonth('2025-10');
    expect(claim).toMatchObject({ downtimeMinutes: 320, version: 6 });
    table.client.destroy();
  });
});

describe('two instances with their own caches on one table', () => {
  it('end with the claim a single instance computes, whatever they cached', async () => {
    const account = '210987654321';
    const a = deps(db, '2025-11-02T00:00:00Z');
    const b = deps(db, '2025-11-02T00:00:00Z');
    // Incidents 1–6 of one scope, their updates dealt alternately to a and b: each write of one was made on a claim
    // the other cached earlier.
    const all = [1, 2, 3, 4, 5, 6].flatMap((n) => updates(n, account));
    for (const [i, e] of all.entries()) await ingestRaw(e, 't', i % 2 ? b : a);
    const reference = deps(db, '2025-11-02T00:00:00Z');
    const other = '310987654321';
    for (const e of [1, 2, 3, 4, 5, 6].flatMap((n) => updates(n, other))) await ingestRaw(e, 't', { ...reference, claims: new DynamoClaimStore(db) });
    const claims = await new DynamoClaimStore(db).listClaimsByMonth('2025-10');
    const mine = claims.find((c) => c.account === account)!;
    const single = claims.find((c) => c.account === other)!;
    expect(mine.downtimeMinutes).toBe(6 * 160);
    expect({ d: mine.downtimeMinutes, p: mine.creditPercent, e: mine.evidence.length, v: mine.version }).toEqual({ d: single.downtimeMinutes, p: single.creditPercent, e: single.evidence.length, v: single.version });
  });

  it('returns an approved claim whose numbers change to pending approval, though its cache holds the draft', async () => {
    const account = '410987654321';
    const d = deps(db, '2025-11-02T00:00:00Z');
    for (const e of updates(1, account)) await ingestRaw(e, 't', d);
    const store = new DynamoClaimStore(db);
    let claim = (await store.listClaimsByMonth('2025-10')).find((c) => c.account === account)!;
    for (const [from, to] of [['draft', 'pending_approval'], ['pending_approval', 'approved']] as const) {
      const moved = await store.transition({ claimId: claim.claimId, from, to, expectedVersion: claim.version, actor: 'U1', at: '2025-11-01T00:00:00.000Z' });
      if (!moved.ok) throw new Error('transition failed');
      claim = moved.claim;
    }
    for (const e of updates(2, account)) await ingestRaw(e, 't', d); // d's cache still holds the draft
    const after = (await store.listClaimsByMonth('2025-10')).find((c) => c.account === account)!;
    expect(after).toMatchObject({ status: 'pending_approval', downtimeMinutes: 320 });
    expect(after.decidedBy).toBeUndefined();
  });
});

describe('ClaimCache bounds', () => {
  const stored = (id: string, pad = 0): StoredClaim => ({ claim: { claimId: id, pad: 'x'.repeat(pad) } as never, windows: {}, audit: [] });

  it('keeps at most its entries, least recently used out first', () => {
    const cache = new ClaimCache({ entries: 2, bytes: 1e9, entryBytes: 1e9 });
    cache.set('a', stored('a'));
    cache.set('b', stored('b'));
    cache.get('a');
    cache.set('c', stored('c'));
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });

  it('keeps at most its bytes, refuses one claim over the entry limit, and forgets on null', () => {
    const cache = new ClaimCache({ entries: 100, bytes: 2000, entryBytes: 1500 });
    cache.set('a', stored('a', 1000));
    cache.set('b', stored('b', 1000));
    expect([cache.has('a'), cache.has('b')]).toEqual([false, true]);
    cache.set('big', stored('big', 1600));
    expect(cache.has('big')).toBe(false);
    cache.set('b', null);
    expect(cache.size).toBe(0);
  });
});
