import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimScope } from '../../src/claims/build.ts';
import { claimIdOf } from '../../src/claims/ids.ts';
import type { IncidentWindow } from '../../src/claims/types.ts';
import { parseContract } from '../../src/contract/contract.ts';
import type { NewClaim, StoredClaim } from '../../src/pipeline/ports.ts';
import { recomputeClaims, type ClaimTarget } from '../../src/pipeline/recompute.ts';
import { NO_SPEND } from '../../src/spend/spend.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';

let db: Db;
beforeAll(async () => {
  db = await freshDb('recompute-batch');
});
afterAll(() => db.client.destroy());

const contract = parseContract({ accounts: ['*'], coverage: [{ service: 'EC2', sla: 'ec2-instance', resources: ['*'] }] });
const now = () => Date.parse('2025-11-02T00:00:00Z');

function scope(i: number, tag: string): ClaimScope {
  const resource = `arn:aws:ec2:us-east-1:123456789012:instance/i-${tag}${String(i).padStart(6, '0')}`;
  return { scopeKey: `123456789012#ec2-instance#us-east-1#${resource}`, account: '123456789012', slaId: 'ec2-instance', region: 'us-east-1', resource, service: 'EC2' };
}

function window(arn: string, startHour: number, resource: string): IncidentWindow {
  return {
    eventArn: arn, service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', region: 'us-east-1', statusCode: 'closed',
    startMs: Date.parse(`2025-10-20T${String(startHour).padStart(2, '0')}:00:00Z`), endMs: Date.parse(`2025-10-20T${String(startHour + 2).padStart(2, '0')}:00:00Z`),
    lastUpdatedMs: Date.parse('2025-10-20T23:00:00Z'), description: 'Connectivity issues.', affectedResources: [resource], affectedResourceCount: 1,
  };
}

function targets(n: number, tag: string, arn: string, startHour: number): ClaimTarget[] {
  return Array.from({ length: n }, (_, i) => {
    const s = scope(i, tag);
    return { scope: s, month: '2025-10', patch: { [`123456789012#${arn}`]: window(arn, startHour, s.resource!) } };
  });
}

describe('new claims of a large event in batches of conditional Puts', () => {
  it('creates 250 new claims in 3 transactions, each audited once, and a redelivery writes nothing', async () => {
    const store = new DynamoClaimStore(db);
    const calls: number[] = [];
    const counting = Object.assign(Object.create(store) as DynamoClaimStore, {
      createMany: (claims: readonly NewClaim[]) => (calls.push(claims.length), store.createMany(claims)),
    });
    const t = targets(250, 'a', 'arn:event/A', 6);
    const first = await recomputeClaims(t, { claims: counting, contract, spend: NO_SPEND, now });
    expect(first.written).toBe(250);
    expect(first.claims).toHaveLength(250);
    expect(calls).toEqual([250]);
    const stored = await store.getForRecompute(first.claims.map((c) => c.claimId));
    expect(stored.size).toBe(250);
    for (const s of stored.values()) {
      expect(s.claim.version).toBe(1);
      expect(s.claim.downtimeMinutes).toBe(120);
      expect(s.audit.map((a) => a.action)).toEqual(['created']);
    }
    const again = await recomputeClaims(t, { claims: counting, contract, spend: NO_SPEND, now });
    expect(again.written).toBe(0);
    expect(calls).toEqual([250]);
  });

  it('loses no window when another incident creates one of the claims between the read and the batch', async () => {
    const store = new DynamoClaimStore(db);
    const t = targets(150, 'b', 'arn:event/B', 6);
    const raced = t[37]!;
    // Another incident's delivery creates claim 37 after this recompute read it as absent.
    let raceDone = false;
    const racing = Object.assign(Object.create(store) as DynamoClaimStore, {
      getForRecompute: async (ids: readonly string[]): Promise<Map<string, StoredClaim>> => {
        const read = await store.getForRecompute(ids);
        if (!raceDone && ids.includes(first(raced))) {
          raceDone = true;
          const other = await recomputeClaims([{ ...raced, patch: { '123456789012#arn:event/OTHER': window('arn:event/OTHER', 12, raced.scope.resource!) } }], { claims: store, contract, spend: NO_SPEND, now });
          expect(other.written).toBe(1);
        }
        return read;
      },
    });
    const result = await recomputeClaims(t, { claims: racing, contract, spend: NO_SPEND, now });
    expect(result.written).toBe(150);
    const after = (await store.getForRecompute([first(raced)])).get(first(raced))!;
    expect(Object.keys(after.windows).sort()).toEqual(['123456789012#arn:event/B', '123456789012#arn:event/OTHER']);
    expect(after.claim.downtimeMinutes).toBe(240);
    expect(after.claim.version).toBe(2);
    expect(after.audit.map((a) => a.action)).toEqual(['created', 'recomputed']);
    const all = await store.getForRecompute(result.claims.map((c) => c.claimId));
    expect(all.size).toBe(150);
    for (const [id, s] of all) if (id !== first(raced)) expect(s.audit.map((a) => a.action)).toEqual(['created']);
  });
});

describe('claims read ahead (while the incident write is in flight)', () => {
  it('a stale read-ahead (the claim changed since) is caught by the version condition and loses no window', async () => {
    const store = new DynamoClaimStore(db);
    const [target] = targets(1, 'c', 'arn:event/C', 6);
    const id = first(target!);
    // Read ahead while the claim was still absent; then another incident creates it.
    const stale = { ids: new Set([id]), claims: await store.getForRecompute([id]) };
    expect(stale.claims.size).toBe(0);
    await recomputeClaims([{ ...target!, patch: { '123456789012#arn:event/OTHER': window('arn:event/OTHER', 12, target!.scope.resource!) } }], { claims: store, contract, spend: NO_SPEND, now });
    let reads = 0;
    const counting = Object.assign(Object.create(store) as DynamoClaimStore, {
      getForRecompute: (ids: readonly string[]) => (reads++, store.getForRecompute(ids)),
    });
    const result = await recomputeClaims([target!], { claims: counting, contract, spend: NO_SPEND, now }, stale);
    expect(reads).toBe(0); // the read-ahead stood in for the read; the failed condition returned the current item
    expect(result.written).toBe(1);
    const after = (await store.getForRecompute([id])).get(id)!;
    expect(Object.keys(after.windows).sort()).toEqual(['123456789012#arn:event/C', '123456789012#arn:event/OTHER']);
    expect(after.claim.version).toBe(2);
    expect(after.audit.map((a) => a.action)).toEqual(['created', 'recomputed']);
  });
});

function first(target: ClaimTarget): string {
  return claimIdOf(target.scope.scopeKey, target.month);
}

describe('several claims of one update in one request (PartiQL batch)', () => {
  it('a claim changed since it was read is recomputed from the item the failed statement returns; the other is written once', async () => {
    const store = new DynamoClaimStore(db);
    const [a, b] = targets(2, 'd', 'arn:event/D', 6);
    await recomputeClaims([a!, b!], { claims: store, contract, spend: NO_SPEND, now });
    const read = await store.getForRecompute([first(a!), first(b!)]);
    // Another incident changes claim b after this recompute read both.
    await recomputeClaims([{ ...b!, patch: { '123456789012#arn:event/OTHER': window('arn:event/OTHER', 12, b!.scope.resource!) } }], { claims: store, contract, spend: NO_SPEND, now });
    let batches = 0;
    const counting = Object.assign(Object.create(store) as DynamoClaimStore, {
      saveManyRecomputed: (writes: Parameters<DynamoClaimStore['saveManyRecomputed']>[0]) => (batches++, store.saveManyRecomputed(writes)),
    });
    const later = (t: ClaimTarget): ClaimTarget => ({ ...t, patch: { '123456789012#arn:event/D': window('arn:event/D', 7, t.scope.resource!) } });
    const result = await recomputeClaims([later(a!), later(b!)], { claims: counting, contract, spend: NO_SPEND, now }, { ids: new Set(read.keys()), claims: read });
    expect(batches).toBe(1);
    expect(result.written).toBe(2);
    const after = await store.getForRecompute([first(a!), first(b!)]);
    expect(after.get(first(a!))!.claim.version).toBe(2);
    expect(after.get(first(a!))!.audit.map((x) => x.action)).toEqual(['created', 'recomputed']);
    const bb = after.get(first(b!))!;
    expect(Object.keys(bb.windows).sort()).toEqual(['123456789012#arn:event/D', '123456789012#arn:event/OTHER']);
    expect(bb.claim.version).toBe(3);
    expect(bb.claim.downtimeMinutes).toBe(240);
    expect(bb.audit.map((x) => x.action)).toEqual(['created', 'recomputed', 'recomputed']);
  });
});
