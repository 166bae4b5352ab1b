/**
 * A warm instance writes the claims of an incident's next update from its cached history while the history write is
 * in flight (src/store/incident-cache.ts, src/pipeline/ingest.ts). The guess must never change the result: when
 * another instance recorded updates meanwhile, or the update itself, the claims end as one instance that saw every
 * update computes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { ingestRaw, type IngestDeps } from '../../src/pipeline/ingest.ts';
import type { Db } from '../../src/store/clients.ts';
import { dynamoStores } from '../../src/store/stores.ts';
import { freshDb } from '../helpers/db.ts';
import { deps, TEST_CONTRACT, TEST_SPEND } from '../helpers/pipeline.ts';

const NOW = '2025-11-02T00:00:00Z';
const spec = (account: string): EnvelopeSpec => ({
  account,
  eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/AWS_DYNAMODB_OPERATIONAL_ISSUE_GUESS',
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:48:00Z',
  lastUpdated: '2025-10-20T07:00:00Z',
  status: 'open',
  description: 'Investigating increased error rates.',
});
/** u1 opens the incident; u2 (the newest) closes it at 09:40; u3 is a middle update, still open. */
const u1 = (account: string) => healthEnvelope(spec(account));
const u2 = (account: string, backup = false) =>
  healthEnvelope({ ...spec(account), lastUpdated: '2025-10-20T10:00:00Z', end: '2025-10-20T09:40:00Z', status: 'closed', description: 'Resolved: 06:48–09:40.', backup });
const u3 = (account: string) => healthEnvelope({ ...spec(account), lastUpdated: '2025-10-20T08:00:00Z', description: 'Mitigating.' });

let db: Db;
let requests = 0;
beforeAll(async () => {
  db = await freshDb('history-guess');
  db.doc.middlewareStack.add((next) => async (args) => {
    requests++;
    return next(args);
  }, { step: 'initialize', name: 'testRequestCounter' });
});
afterAll(() => db.client.destroy());

/** One instance without any cache: the reference every cached instance must agree with. */
function plain(): IngestDeps {
  return { ...dynamoStores(db), contract: TEST_CONTRACT, spend: TEST_SPEND, now: () => Date.parse(NOW) };
}

async function claimOf(account: string) {
  const claims = (await deps(db, NOW).claims.listClaimsByMonth('2025-10')).filter((c) => c.account === account);
  expect(claims).toHaveLength(1);
  const stored = (await deps(db, NOW).claims.getForRecompute([claims[0]!.claimId])).get(claims[0]!.claimId)!;
  return { claim: stored.claim, windows: Object.values(stored.windows) };
}

/** The figures and evidence that must not depend on which instance saw what. */
function figures(c: Awaited<ReturnType<typeof claimOf>>) {
  return {
    downtimeMinutes: c.claim.downtimeMinutes,
    creditCents: c.claim.creditCents,
    provisional: c.claim.provisional,
    evidence: c.claim.evidence.map((e) => [e.description, e.endTime]),
    windows: c.windows.map((w) => [w.endMs, w.statusCode, w.historyUpdates]),
  };
}

/** `d` with its history writes held until `gate` opens; `order` records what happened when. */
function heldHistory(d: IngestDeps, gate: Promise<void>, order: string[]): IngestDeps {
  const incidents = Object.create(d.incidents) as IngestDeps['incidents'];
  incidents.recordUpdate = async (...args) => {
    order.push('history write sent');
    await gate;
    const result = await d.incidents.recordUpdate(...args);
    order.push('history write answered');
    return result;
  };
  const claims = Object.create(d.claims) as IngestDeps['claims'];
  claims.saveRecomputed = async (...args) => {
    order.push('claim write');
    return d.claims.saveRecomputed(...args);
  };
  return { ...d, incidents, claims };
}

describe('a warm instance guessing the history', () => {
  it('writes the next update’s claim while the history write is in flight, with the figures of a plain instance', async () => {
    const reference = plain();
    await ingestRaw(u1('100000000001'), 'guess', reference);
    await ingestRaw(u2('100000000001'), 'guess', reference);

    const warm = deps(db, NOW);
    await ingestRaw(u1('100000000002'), 'guess', warm);
    const order: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const pending = ingestRaw(u2('100000000002'), 'guess', heldHistory(warm, gate, order));
    await new Promise((r) => setTimeout(r, 300));
    // The claim was written before the history write was even let through.
    expect(order).toEqual(['history write sent', 'claim write']);
    open();
    const before = requests;
    const outcome = await pending;
    expect(order).toEqual(['history write sent', 'claim write', 'history write answered']);
    expect(outcome).toMatchObject({ kind: 'processed', state: 'applied', matched: 1 });
    expect(requests - before).toBe(1); // only the history write was still to go: nothing is recomputed after it
    expect(figures(await claimOf('100000000002'))).toEqual(figures(await claimOf('100000000001')));
    expect((await claimOf('100000000002')).claim.downtimeMinutes).toBe(172);
  });

  it('recomputes from the stored history when another instance recorded an update meanwhile', async () => {
    const reference = plain();
    for (const u of [u1, u2, u3]) await ingestRaw(u('100000000003'), 'guess', reference);

    const a = deps(db, NOW);
    const b = deps(db, NOW); // another instance, its own caches
    await ingestRaw(u1('100000000004'), 'guess', a);
    await ingestRaw(u2('100000000004'), 'guess', b); // closes the incident; a's cache still holds only u1
    const logged: string[] = [];
    const log = { info: (message: string) => logged.push(message), warn: (message: string) => logged.push(message) };
    const outcome = await ingestRaw(u3('100000000004'), 'guess', { ...a, log }); // a guesses {u1, u3}: an open outage
    expect(logged).toContain('history guess superseded: recomputing from the stored history');
    expect(outcome).toMatchObject({ kind: 'processed', state: 'older' });
    const claim = await claimOf('100000000004');
    expect(figures(claim)).toEqual(figures(await claimOf('100000000003')));
    expect(claim.claim.downtimeMinutes).toBe(172);
    expect(claim.claim.provisional).toBe(false);
    // The guessed open window (from a history as long as b's) never replaced b's: one creation, one recompute.
    expect((await a.claims.listAudit(claim.claim.claimId)).map((e) => e.action)).toEqual(['created', 'recomputed']);
  });

  it('reports a duplicate when the update itself was recorded by another instance, and changes nothing', async () => {
    const a = deps(db, NOW);
    const b = deps(db, NOW);
    await ingestRaw(u1('100000000005'), 'guess', a);
    await ingestRaw(u2('100000000005'), 'guess', b);
    const version = (await claimOf('100000000005')).claim.version;
    const outcome = await ingestRaw(u2('100000000005'), 'guess', a); // a's cache lacks u2: it guesses {u1, u2}
    expect(outcome).toMatchObject({ kind: 'processed', state: 'duplicate', claims: [] });
    expect((await claimOf('100000000005')).claim.version).toBe(version);
  });

  it('leaves the claims right when the history write fails after the guessed claim write, once redelivered', async () => {
    const reference = plain();
    for (const u of [u1, u2]) await ingestRaw(u('100000000006'), 'guess', reference);

    const warm = deps(db, NOW);
    await ingestRaw(u1('100000000007'), 'guess', warm);
    const failing = Object.create(warm.incidents) as IngestDeps['incidents'];
    failing.recordUpdate = async () => {
      await new Promise((r) => setTimeout(r, 50)); // after the guessed claim write
      throw Object.assign(new Error('connection reset'), { name: 'TimeoutError' });
    };
    await expect(ingestRaw(u2('100000000007'), 'guess', { ...warm, incidents: failing })).rejects.toThrow('connection reset');
    const redelivered = await ingestRaw(u2('100000000007'), 'guess', warm);
    expect(redelivered).toMatchObject({ kind: 'processed' });
    expect(figures(await claimOf('100000000007'))).toEqual(figures(await claimOf('100000000006')));
    expect((await warm.incidents.getIncident('100000000007', spec('x').eventArn))!.updates).toHaveLength(2);
  });
});

describe('an incident the warm instance has not seen', () => {
  it('is guessed new, and the guess yields when another instance recorded its earlier updates', async () => {
    const reference = plain();
    for (const u of [u1, u2]) await ingestRaw(u('100000000010'), 'guess', reference);

    const a = deps(db, NOW);
    const b = deps(db, NOW);
    // a holds the scope's claim (another incident of the same month), not this incident's history
    const other = { ...spec('100000000011'), eventArn: `${spec('x').eventArn}-OTHER`, start: '2025-10-05T01:00:00Z', lastUpdated: '2025-10-05T02:00:00Z', end: '2025-10-05T01:30:00Z', status: 'closed' as const };
    await ingestRaw(healthEnvelope(other), 'guess', a);
    await ingestRaw(u1('100000000011'), 'guess', b);
    const logged: string[] = [];
    const log = { info: (message: string) => logged.push(message), warn: (message: string) => logged.push(message) };
    const outcome = await ingestRaw(u2('100000000011'), 'guess', { ...a, log }); // a guesses the history {u2}
    expect(logged).toContain('history guess superseded: recomputing from the stored history');
    expect(outcome).toMatchObject({ kind: 'processed', state: 'applied' });
    const claim = await claimOf('100000000011');
    expect(claim.claim.downtimeMinutes).toBe(172 + 30);
    const windowOf = (c: Awaited<ReturnType<typeof claimOf>>) => c.windows.filter((w) => w.eventArn === spec('x').eventArn).map((w) => [w.startMs, w.endMs, w.statusCode, w.historyUpdates]);
    expect(windowOf(claim)).toEqual(windowOf(await claimOf('100000000010')));
    // created by a, then b's window, then the confirmed one: no guessed version in between
    expect((await a.claims.listAudit(claim.claim.claimId)).map((e) => e.action)).toEqual(['created', 'recomputed', 'recomputed']);
  });
});

describe('a failed claim write', () => {
  it('leaves the update to its redelivery, which writes the claim on the same instance', async () => {
    const warm = deps(db, NOW);
    await ingestRaw(u1('100000000009'), 'guess', warm);
    const claims = Object.create(warm.claims) as IngestDeps['claims'];
    const fail = async () => {
      throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    };
    claims.saveRecomputed = fail;
    claims.saveManyRecomputed = fail;
    await expect(ingestRaw(u2('100000000009'), 'guess', { ...warm, claims })).rejects.toThrow('throttled');
    const copy = await ingestRaw(u2('100000000009', true), 'guess', warm);
    expect(copy).toMatchObject({ kind: 'processed', state: 'same' });
    expect((await claimOf('100000000009')).claim.downtimeMinutes).toBe(172);
  });
});
