/**
 * Fleet claims (src/claims/fleet.ts) through the real pipeline on DynamoDB Local: one claim per account, SLA, Region
 * and month for a resource-level SLA, each resource credited on its own downtime, whatever the order of the events.
 */
import { describe, expect, it } from 'vitest';
import { parseContract } from '../../src/contract/contract.ts';
import { ingestRaw, type IngestOutcome } from '../../src/pipeline/ingest.ts';
import { fleetResources } from '../../src/pipeline/ports.ts';
import { CsvSpendSource, NO_SPEND } from '../../src/spend/spend.ts';
import type { Claim } from '../../src/claims/types.ts';
import { freshDb } from '../helpers/db.ts';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { deps } from '../helpers/pipeline.ts';

const ACCOUNT = '123456789012';
const contract = parseContract({ accounts: ['*'], coverage: [{ service: 'EC2', regions: ['*'], sla: 'ec2-instance', resources: ['*'] }] });
const instance = (i: number) => `i-${i.toString(16).padStart(17, '0')}`;
const ec2 = (name: string, start: string, end: string, ids: string[]): Record<string, unknown> =>
  healthEnvelope({
    account: ACCOUNT,
    eventArn: `arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/${name}`,
    service: 'EC2',
    eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
    scope: 'ACCOUNT_SPECIFIC',
    region: 'us-east-1',
    start,
    end,
    lastUpdated: end,
    status: 'closed',
    description: 'Connectivity issues for instances in a single Availability Zone.',
    entities: ids.map((entityValue) => ({ entityValue, status: 'IMPAIRED' })),
  } satisfies EnvelopeSpec);
const claimsOf = (o: IngestOutcome): Claim[] => (o.kind === 'processed' ? o.claims : []);

describe('fleet claims', () => {
  it('makes ONE claim for 10 000 affected instances, its full resource list stored in bounded items', async () => {
    const db = await freshDb('fleet-big');
    const base = { ...deps(db, '2025-11-15T00:00:00Z', contract), spend: NO_SPEND };
    let listsWritten = 0;
    const claims = new Proxy(base.claims, {
      get(target, key) {
        if (key === 'putResourceLists') return async (chunks: Parameters<typeof target.putResourceLists>[0]) => ((listsWritten += chunks.length), target.putResourceLists(chunks));
        const value = (target as unknown as Record<PropertyKey, unknown>)[key];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const d = { ...base, claims };
    const ids = Array.from({ length: 10_000 }, (_, i) => instance(i));
    const out = await ingestRaw(ec2('BIG', '2025-10-20T06:48:00Z', '2025-10-20T09:40:00Z', ids), 't', d);
    const [claim, ...more] = claimsOf(out);
    expect(more).toHaveLength(0);
    expect(claim).toMatchObject({ claimId: `${ACCOUNT}#ec2-instance#us-east-1#2025-10`, resource: null, downtimeMinutes: 172, fleet: { resourceCount: 10_000 } });
    const part = claim!.fleet!.parts[0]!;
    expect(part).toMatchObject({ resourceCount: 10_000, downtimeMinutes: 172, resources: ids.slice(0, 20) });
    expect(part.chunks!.length).toBeGreaterThan(1);
    // The claim's full list reads back, in order, from the lists ingest stored.
    expect(await fleetResources(claim!.fleet!.parts, d.claims)).toEqual(ids);
    // The claim's window names the same lists (the single incident's part is its list).
    const stored = await d.claims.getForRecompute([claim!.claimId]);
    const window = Object.values(stored.get(claim!.claimId)!.windows)[0]!;
    expect(window).toMatchObject({ affectedResourceCount: 10_000, resourceChunks: part.chunks });
    // The lists went out once, before the claim; a redelivery writes nothing, lists included.
    expect(listsWritten).toBe(part.chunks!.length);
    const again = await ingestRaw(ec2('BIG', '2025-10-20T06:48:00Z', '2025-10-20T09:40:00Z', ids), 't', d);
    expect(again).toMatchObject({ state: 'duplicate', claims: [] });
    expect(listsWritten).toBe(part.chunks!.length);
    db.client.destroy();
  }, 60_000);

  it('credits each group of instances on the incidents that hit it, the same in either order', async () => {
    // A: i-0..i-29 for 3 h; B: i-20..i-49 for 8 h, overlapping A by 1 h. Parts: only B (8 h), both (10 h), only A (3 h).
    const a = ec2('A', '2025-10-20T00:00:00Z', '2025-10-20T03:00:00Z', Array.from({ length: 30 }, (_, i) => instance(i)));
    const b = ec2('B', '2025-10-20T02:00:00Z', '2025-10-20T10:00:00Z', Array.from({ length: 30 }, (_, i) => instance(i + 20)));
    const results: Claim[] = [];
    for (const [name, order] of [['ab', [a, b]], ['ba', [b, a]]] as const) {
      const db = await freshDb(`fleet-${name}`);
      const d = { ...deps(db, '2025-11-15T00:00:00Z', contract), spend: NO_SPEND };
      for (const e of order) await ingestRaw(e, 't', d);
      const stored = await d.claims.getForRecompute([`${ACCOUNT}#ec2-instance#us-east-1#2025-10`]);
      results.push(stored.get(`${ACCOUNT}#ec2-instance#us-east-1#2025-10`)!.claim);
      db.client.destroy();
    }
    const [ab, ba] = results;
    expect(ab!.fleet).toEqual(ba!.fleet);
    expect(ab!.fleet!.resourceCount).toBe(50);
    expect(ab!.fleet!.parts.map((p) => [p.resourceCount, p.downtimeMinutes, p.resources[0], p.incidents.length])).toEqual([
      [10, 600, instance(20), 2],
      [20, 480, instance(30), 1],
      [20, 180, instance(0), 1],
    ]);
    // The claim shows the worst part; ec2-instance: < 99.0 % (600 of 44 640 minutes → 98.66 %) is the 30 % tier.
    expect(ab).toMatchObject({ downtimeMinutes: 600, creditPercent: ab!.fleet!.parts[0]!.creditPercent });
    expect(ab!.evidence).toHaveLength(2);
  }, 60_000);

  it('adds up each resource’s own charges and credit, and leaves the total unknown while one is unknown', async () => {
    const ids = ['i-a', 'i-b', 'i-c'];
    const rows = (withC: boolean) =>
      ['account,month,service,region,resource,amount', `${ACCOUNT},2025-10,EC2,us-east-1,i-a,100.00`, `${ACCOUNT},2025-10,EC2,us-east-1,i-b,50.00`, ...(withC ? [`${ACCOUNT},2025-10,EC2,us-east-1,i-c,25.00`] : []), `${ACCOUNT},2025-10,EC2,us-east-1,,9999.00`].join('\n');
    for (const withC of [true, false]) {
      const db = await freshDb('fleet-spend');
      const d = { ...deps(db, '2025-11-15T00:00:00Z', contract), spend: new CsvSpendSource(rows(withC)) };
      // 10 h down: 98.66 % uptime.
      const [claim] = claimsOf(await ingestRaw(ec2('S', '2025-10-20T00:00:00Z', '2025-10-20T10:00:00Z', ids), 't', d));
      const pct = claim!.creditPercent;
      expect(pct).toBeGreaterThan(0);
      if (withC) {
        // The Region's own 9 999 USD row is not the base: only the three instances' 175 USD.
        expect(claim).toMatchObject({ chargesCents: 17_500, creditCents: (17_500 * pct) / 100, chargesKnown: true });
        expect(claim!.fleet!.parts[0]).toMatchObject({ chargesCents: 17_500, creditCents: (17_500 * pct) / 100 });
      } else {
        expect(claim).toMatchObject({ chargesCents: null, creditCents: null, chargesKnown: false, claimable: false });
      }
      db.client.destroy();
    }
  }, 60_000);
});
