/**
 * Two updates of one incident processed at the same time, interleaved at the worst moment: the older one read the
 * history before the newer one was recorded, and its claim write loses the version race to the newer one's. Its
 * retry must not put the older window back over the newer one (arrival-order independence under concurrency).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { ingestRaw, type IngestDeps } from '../../src/pipeline/ingest.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';
import { deps } from '../helpers/pipeline.ts';

const base: EnvelopeSpec = {
  account: '123456789012',
  eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/AWS_DYNAMODB_OPERATIONAL_ISSUE_RACE',
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:48:00Z',
  lastUpdated: '2025-10-20T07:30:00Z',
  status: 'open',
  description: 'Investigating increased error rates.',
};
const older = (account: string) => healthEnvelope({ ...base, account, end: '2025-10-20T07:20:00Z', status: 'closed', description: 'First estimate: resolved at 07:20.' });
const newer = (account: string) => healthEnvelope({ ...base, account, lastUpdated: '2025-10-20T10:00:00Z', end: '2025-10-20T09:40:00Z', status: 'closed', description: 'Final: 06:48–09:40.' });

let db: Db;
beforeAll(async () => {
  db = await freshDb('ingest-race');
});
afterAll(() => db.client.destroy());

/** `d` with every claim write held until `gate` opens (the older update's writes, after its reads). */
function heldWrites(d: IngestDeps, gate: Promise<void>, reachedWrite: () => void): IngestDeps {
  const claims = Object.create(d.claims) as IngestDeps['claims'];
  const hold = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    reachedWrite();
    await gate;
    return f(...a);
  };
  claims.saveRecomputed = hold(d.claims.saveRecomputed.bind(d.claims));
  if (d.claims.saveManyRecomputed) claims.saveManyRecomputed = hold(d.claims.saveManyRecomputed.bind(d.claims));
  if (d.claims.createMany) claims.createMany = hold(d.claims.createMany.bind(d.claims));
  return { ...d, claims };
}

for (const [name, first, second] of [
  ['the older update read first and wrote last', older, newer],
  ['the newer update read first and wrote last', newer, older],
] as const) {
  it(`keeps the newest window of the incident: ${name}`, async () => {
    const d = deps(db, '2025-11-02T00:00:00Z');
    const account = name.includes('older update read') ? '111111111111' : '222222222222';
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let reached!: () => void;
    const atWrite = new Promise<void>((r) => (reached = r));
    const slow = ingestRaw(first(account), 'race', heldWrites(d, gate, reached));
    await atWrite; // the first update has recorded itself and read the claim; its write waits
    await ingestRaw(second(account), 'race', d);
    open();
    await slow;
    const [claim] = (await d.claims.listClaimsByMonth('2025-10')).filter((c) => c.account === account);
    expect(claim).toMatchObject({ downtimeMinutes: 172 });
    expect(claim!.evidence.map((e) => e.description)).toEqual(['Final: 06:48–09:40.']);
  });
}
