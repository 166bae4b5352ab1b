import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { ingestPayload, ingestRaw, type IngestDeps } from '../../src/pipeline/ingest.ts';
import { DynamoIncidentStore as IncidentStore } from '../../src/store/incident-store.ts';
import { QuarantineStore } from '../../src/pipeline/quarantine.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';
import { deps } from '../helpers/pipeline.ts';
import { parseContract } from '../../src/contract/contract.ts';
import { CsvSpendSource } from '../../src/spend/spend.ts';

const DDB_ARN = 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/AWS_DYNAMODB_OPERATIONAL_ISSUE_TEST1';
const base: EnvelopeSpec = {
  account: '123456789012',
  eventArn: DDB_ARN,
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:48:00Z',
  end: '2025-10-20T09:40:00Z',
  lastUpdated: '2025-10-20T09:45:00Z',
  status: 'closed',
  description: 'Increased error rates for DynamoDB in US-EAST-1. Resolved.',
};

let db: Db;
beforeAll(async () => {
  db = await freshDb('ingest');
});
afterAll(() => db.client.destroy());

/** Every item of one table (tests only; the product never scans). */
async function allItems(table: Db): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await table.doc.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start }));
    out.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}

describe('exactly-once effect under at-least-once delivery', () => {
  it('one event delivered 10 times in a row and 10 times in parallel gives one incident and one claim', async () => {
    const table = await freshDb('dup');
    const d = deps(table);
    const event = healthEnvelope(base);
    const backup = healthEnvelope({ ...base, backup: true });
    for (let i = 0; i < 10; i++) await ingestRaw(i % 2 ? backup : event, 'test', d);
    await Promise.all(Array.from({ length: 10 }, (_, i) => ingestRaw(i % 2 ? event : backup, 'test', d)));
    const items = await allItems(table);
    expect(items.filter((i) => i.type === 'incident')).toHaveLength(1);
    const claims = items.filter((i) => i.type === 'claim');
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ downtimeMinutes: 172, creditPercent: 10, creditCents: 50000, version: 1, status: 'draft', claimable: true });
    const audit = await new DynamoClaimStore(table).listAudit(claims[0]!.claimId as string);
    expect(audit.map((a) => a.action)).toEqual(['created']);
    table.client.destroy();
  });

  it('gives the same final claim for every permutation of a 5-update sequence', async () => {
    const table = await freshDb('perm');
    const updates: Partial<EnvelopeSpec>[] = [
      { lastUpdated: '2025-10-20T07:00:00Z', status: 'open', end: null, description: 'Investigating DynamoDB errors.' },
      { lastUpdated: '2025-10-20T08:00:00Z', status: 'open', end: null, description: 'Identified.' },
      { lastUpdated: '2025-10-20T09:00:00Z', status: 'open', end: null, start: '2025-10-20T06:40:00Z', description: 'Start revised.' },
      { lastUpdated: '2025-10-20T09:45:00Z', status: 'closed', end: '2025-10-20T09:40:00Z', start: '2025-10-20T06:40:00Z', description: 'Resolved.' },
      { lastUpdated: '2025-10-21T10:00:00Z', status: 'closed', end: '2025-10-20T09:40:00Z', start: '2025-10-20T06:48:00Z', description: 'Final: 06:48–09:40.' },
    ];
    const permutations = (xs: number[]): number[][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    const orders = permutations([0, 1, 2, 3, 4]);
    expect(orders).toHaveLength(120);
    const d: IngestDeps = { ...deps(table), now: () => Date.parse('2025-11-15T00:00:00Z') };
    // Each permutation is its own account, so all 120 replays share one table and run 8 at a time.
    const accountOf = (n: number) => String(100_000_000_000 + n);
    for (let i = 0; i < orders.length; i += 8) {
      await Promise.all(
        orders.slice(i, i + 8).map(async (order, k) => {
          for (const u of order) await ingestRaw(healthEnvelope({ ...base, ...updates[u], account: accountOf(i + k) }), 'perm', d);
        }),
      );
    }
    const store = new DynamoClaimStore(table);
    const finals = await store.listClaimsByMonth('2025-10');
    expect(finals).toHaveLength(120);
    const comparable = finals.map((c) => ({
      downtimeMinutes: c.downtimeMinutes,
      creditPercent: c.creditPercent,
      provisional: c.provisional,
      evidence: c.evidence.map((e) => ({ ...e })),
    }));
    for (const c of comparable) expect(c).toEqual(comparable[0]);
    expect(comparable[0]).toMatchObject({ downtimeMinutes: 172, creditPercent: 10, provisional: false });
    expect(comparable[0]!.evidence[0]).toMatchObject({ statusCode: 'closed', description: 'Final: 06:48–09:40.', startTime: '2025-10-20T06:48:00.000Z' });
    table.client.destroy();
  }, 180_000);

  it('counts every incident of a claim scope when different events are processed at the same time', async () => {
    const table = await freshDb('scope-race');
    const d = deps(table);
    // 12 separate DynamoDB events in October, 30 minutes each, none overlapping, all delivered at once.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const day = String(i + 1).padStart(2, '0');
        return ingestRaw(
          healthEnvelope({ ...base, eventArn: `${DDB_ARN}-race-${i}`, start: `2025-10-${day}T10:00:00Z`, end: `2025-10-${day}T10:30:00Z`, lastUpdated: `2025-10-${day}T11:00:00Z` }),
          'race',
          d,
        );
      }),
    );
    const [claim] = await new DynamoClaimStore(table).listClaimsByMonth('2025-10');
    expect(claim).toMatchObject({ downtimeMinutes: 360, creditPercent: 10 });
    expect(claim!.evidence).toHaveLength(12);
    table.client.destroy();
  });

  it('redoes an update whose processing crashed halfway when it is delivered again', async () => {
    const table = await freshDb('crash');
    const d = deps(table);
    const claims = d.claims;
    let failures = 1;
    const flaky = Object.create(claims) as typeof claims;
    // The claim write is the last step (the incident already holds the update); structural change: this was
    // saveComputedClaimIfCurrent before claims embedded their windows.
    flaky.saveRecomputed = async (...args) => {
      if (failures-- > 0) throw new Error('simulated crash after the incident was written');
      return claims.saveRecomputed(...args);
    };
    const event = healthEnvelope({ ...base, eventArn: `${DDB_ARN}-crash` });
    await expect(ingestRaw(event, 'crash', { ...d, claims: flaky })).rejects.toThrow(/simulated crash/);
    expect(await claims.listClaimsByMonth('2025-10')).toHaveLength(0);
    const retry = await ingestRaw(event, 'crash', { ...d, claims: flaky });
    expect(retry).toMatchObject({ kind: 'processed', state: 'same' });
    expect((await claims.listClaimsByMonth('2025-10'))[0]).toMatchObject({ downtimeMinutes: 172, creditCents: 50000 });
    expect(await ingestRaw(event, 'crash', d)).toMatchObject({ state: 'duplicate' });
    table.client.destroy();
  });

  it('never lets an older update overwrite a newer one', async () => {
    const d = deps(db);
    const arn = `${DDB_ARN}-order`;
    await ingestRaw(healthEnvelope({ ...base, eventArn: arn }), 't', d);
    const older = await ingestRaw(healthEnvelope({ ...base, eventArn: arn, lastUpdated: '2025-10-20T07:00:00Z', status: 'open', end: null }), 't', d);
    expect(older).toMatchObject({ kind: 'processed', state: 'older' });
    const state = await new IncidentStore(db).getState('123456789012', arn);
    expect(state).toMatchObject({ statusCode: 'closed', endTime: '2025-10-20T09:40:00.000Z' });
  });
});

describe('open events and months', () => {
  it('counts an open event as down until now (provisional), then settles when it closes', async () => {
    const table = await freshDb('open');
    const arn = `${DDB_ARN}-open`;
    const open = { ...base, eventArn: arn, end: null, status: 'open' as const, lastUpdated: '2025-10-20T07:00:00Z' };
    const first = await ingestRaw(healthEnvelope(open), 't', deps(table, '2025-10-20T08:48:00Z'));
    expect(first.kind === 'processed' && first.claims[0]).toMatchObject({ downtimeMinutes: 120, provisional: true });
    const closed = await ingestRaw(healthEnvelope({ ...base, eventArn: arn }), 't', deps(table, '2025-10-20T12:00:00Z'));
    expect(closed.kind === 'processed' && closed.claims[0]).toMatchObject({ downtimeMinutes: 172, provisional: false, version: 2 });
    table.client.destroy();
  });

  it('splits an outage across a month boundary into two claims that add up', async () => {
    const table = await freshDb('split');
    await ingestRaw(
      healthEnvelope({ ...base, eventArn: `${DDB_ARN}-split`, start: '2025-10-31T23:00:00Z', end: '2025-11-01T01:30:00Z', lastUpdated: '2025-11-01T02:00:00Z' }),
      't',
      deps(table),
    );
    const store = new DynamoClaimStore(table);
    const oct = await store.listClaimsByMonth('2025-10');
    const nov = await store.listClaimsByMonth('2025-11');
    expect(oct.map((c) => c.downtimeMinutes)).toEqual([60]);
    expect(nov.map((c) => c.downtimeMinutes)).toEqual([90]);
    expect(nov[0]).toMatchObject({ chargesCents: 400000, deadline: '2026-01-31' });
    table.client.destroy();
  });

  it('ends a service window at the update that says it recovered (MULTIPLE_SERVICES)', async () => {
    const table = await freshDb('multi');
    const multi = {
      ...base,
      eventArn: 'arn:aws:health:us-east-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/X1',
      service: 'MULTIPLE_SERVICES',
      eventTypeCode: 'AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE',
    };
    const d = deps(table);
    // Delivered out of order: closing update first.
    await ingestRaw(healthEnvelope({ ...multi, end: '2025-10-20T21:20:00Z', lastUpdated: '2025-10-20T21:53:00Z', description: 'The following AWS services were previously impacted but are now operating normally: DYNAMODB, LAMBDA.' }), 't', d);
    await ingestRaw(healthEnvelope({ ...multi, end: null, status: 'open', lastUpdated: '2025-10-20T09:40:00Z', description: 'The following AWS services were previously impacted but are now operating normally: DYNAMODB.\n\nThe following AWS services are impacted: LAMBDA.' }), 't', d);
    const claims = await new DynamoClaimStore(table).listClaimsByMonth('2025-10');
    const bySla = Object.fromEntries(claims.map((c) => [c.slaId, c.downtimeMinutes]));
    expect(bySla).toEqual({ dynamodb: 172, lambda: 872 });
    table.client.destroy();
  });
});

describe('contract matching', () => {
  it('creates no claim and no error for an uncovered service or Region', async () => {
    const table = await freshDb('uncovered');
    const d = deps(table);
    const s3 = await ingestRaw(healthEnvelope({ ...base, eventArn: `${DDB_ARN}-s3`, service: 'S3', eventTypeCode: 'AWS_S3_OPERATIONAL_ISSUE' }), 't', d);
    const region = await ingestRaw(healthEnvelope({ ...base, eventArn: `${DDB_ARN}-eu`, region: 'eu-west-1' }), 't', d);
    expect(s3).toMatchObject({ kind: 'processed', matched: 0, claims: [] });
    expect(region).toMatchObject({ kind: 'processed', matched: 0, claims: [] });
    expect((await allItems(table)).filter((i) => i.type === 'claim')).toHaveLength(0);
    table.client.destroy();
  });

  it('prices a global service on its charges in every Region', async () => {
    const table = await freshDb('global');
    const contract = parseContract({ accounts: ['*'], coverage: [{ service: 'CLOUDFRONT', sla: 'cloudfront' }] });
    const spend = new CsvSpendSource(
      ['account,month,service,region,amount', '123456789012,2025-10,CLOUDFRONT,global,700', '123456789012,2025-10,CLOUDFRONT,us-east-1,300'].join('\n'),
    );
    const out = await ingestRaw(
      healthEnvelope({ ...base, eventArn: 'arn:aws:health:global::event/CLOUDFRONT/AWS_CLOUDFRONT_OPERATIONAL_ISSUE/G1', service: 'CLOUDFRONT', eventTypeCode: 'AWS_CLOUDFRONT_OPERATIONAL_ISSUE', region: 'global' }),
      't',
      { ...deps(table, '2025-11-15T00:00:00Z', contract), spend },
    );
    expect(out.kind === 'processed' && out.claims[0]).toMatchObject({ region: 'global', chargesCents: 100000, creditPercent: 10, creditCents: 10000 });
    table.client.destroy();
  });

  it('makes one resource-level (fleet) claim covering every affected resource and none for scheduled changes', async () => {
    const table = await freshDb('resources');
    const d = deps(table);
    const ec2 = { ...base, eventArn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_INSTANCE_ISSUE/R1', service: 'EC2', eventTypeCode: 'AWS_EC2_INSTANCE_ISSUE', scope: 'ACCOUNT_SPECIFIC' as const };
    const out = await ingestRaw(healthEnvelope({ ...ec2, entities: [{ entityValue: 'i-1' }, { entityValue: 'i-2' }, { entityValue: 'i-3', status: 'UNIMPAIRED' }] }), 't', d);
    expect(out.kind === 'processed' && out.claims.map((c) => [c.resource, c.fleet?.resourceCount, c.fleet?.parts.flatMap((p) => p.resources)])).toEqual([[null, 2, ['i-1', 'i-2']]]);
    const scheduled = await ingestRaw(healthEnvelope({ ...ec2, eventArn: `${ec2.eventArn}-s`, category: 'scheduledChange', entities: [{ entityValue: 'i-1' }] }), 't', d);
    expect(scheduled).toMatchObject({ matched: 0 });
    table.client.destroy();
  });
});

describe('bad input corpus: parsed correctly or quarantined, nothing lost, no crash', () => {
  const d = () => deps(db);
  const ev = (patch: (e: Record<string, any>) => void) => {
    const e = healthEnvelope({ ...base, eventArn: `${DDB_ARN}-bad-${Math.random().toString(36).slice(2)}` }) as Record<string, any>;
    patch(e);
    return e;
  };
  type Case = [string, () => unknown, 'processed' | 'quarantined', (RegExp | Record<string, unknown>)?];
  const cases: Case[] = [
    ['no endTime (open)', () => ev((e) => { delete e.detail.endTime; e.detail.statusCode = 'open'; }), 'processed', { statusCode: 'open', endTime: null }],
    ['closed without endTime', () => ev((e) => { delete e.detail.endTime; }), 'processed', { statusCode: 'closed', endTime: '2025-10-20T09:45:00.000Z' }],
    ['missing lastUpdatedTime', () => ev((e) => { delete e.detail.lastUpdatedTime; }), 'processed', { lastUpdatedTime: '2025-10-20T09:45:00.000Z', endTime: '2025-10-20T09:40:00.000Z' }],
    ['missing statusCode', () => ev((e) => { delete e.detail.statusCode; }), 'processed', { statusCode: 'closed' }],
    ['legacy ARN', () => ev((e) => { e.detail.eventArn = 'arn:aws:health:us-east-1::event/AWS_DYNAMODB_OPERATIONAL_ISSUE_90353408594353980'; }), 'processed', { eventArn: 'arn:aws:health:us-east-1::event/AWS_DYNAMODB_OPERATIONAL_ISSUE_90353408594353980', services: ['DYNAMODB'] }],
    ['wrong weekday', () => ev((e) => { e.detail.startTime = 'Sat, 20 Oct 2025 06:48:00 GMT'; }), 'processed', { startTime: '2025-10-20T06:48:00.000Z' }],
    ['one-digit day', () => ev((e) => { e.detail.startTime = 'Mon, 6 Oct 2025 06:48:00 GMT'; e.detail.endTime = 'Mon, 6 Oct 2025 07:48:00 GMT'; e.detail.lastUpdatedTime = 'Mon, 6 Oct 2025 07:50:00 GMT'; }), 'processed', { startTime: '2025-10-06T06:48:00.000Z', endTime: '2025-10-06T07:48:00.000Z' }],
    ['garbage date', () => ev((e) => { e.detail.startTime = 'yesterday-ish'; }), 'quarantined', /detail\.startTime.*yesterday-ish/],
    ['no time zone', () => ev((e) => { e.detail.startTime = 'Mon, 20 Oct 2025 06:48:00'; }), 'quarantined', /detail\.startTime/],
    ['empty strings', () => ev((e) => { e.detail.eventArn = ''; }), 'quarantined', /detail\.eventArn/],
    ['end before start', () => ev((e) => { e.detail.endTime = 'Mon, 20 Oct 2025 05:00:00 GMT'; }), 'quarantined', /endTime/],
    ['not an object', () => 'hello', 'quarantined'],
    ['wrong source', () => ev((e) => { e.source = 'aws.ec2'; }), 'quarantined', /source.*aws\.ec2/],
    ['MULTIPLE_SERVICES without services', () => ev((e) => { e.detail.service = 'MULTIPLE_SERVICES'; e.detail.eventDescription[0].latestDescription = 'Something happened.'; }), 'quarantined', /detail\.service/],
  ];
  it.each(cases.map(([name, make, expected, reason]) => ({ name, make, expected, reason })))(
    '$name → $expected',
    async ({ make, expected, reason }) => {
      const raw = make();
      const outcome = await ingestRaw(raw, 'corpus', d());
      expect(outcome.kind).toBe(expected);
      if (outcome.kind === 'processed') {
        // The documented fallback, not just "no crash".
        expect(await new IncidentStore(db).getState(outcome.account, outcome.eventArn)).toMatchObject(reason as Record<string, unknown>);
      }
      if (outcome.kind === 'quarantined') {
        if (reason) expect(outcome.reason).toMatch(reason as RegExp);
        const kept = await new QuarantineStore(db).raw(outcome.id);
        expect(kept).toBe(typeof raw === 'string' ? raw : JSON.stringify(raw));
      }
    },
  );

  it('handles an event with 10 000 affected entities and keeps every one, in items under 400 KB', async () => {
    const table = await freshDb('big');
    const entities = Array.from({ length: 10_000 }, (_, i) => ({ entityValue: `arn:aws:ec2:us-east-1:123456789012:instance/i-${i.toString(16).padStart(17, '0')}`, status: 'IMPAIRED' }));
    const arn = 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/BIG';
    const raw = healthEnvelope({ ...base, eventArn: arn, service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', scope: 'ACCOUNT_SPECIFIC', entities: entities.slice(0, 10_000) });
    // Two of the 10 000 resources are covered (the full-coverage case is measured in bench/pipeline.bench.ts).
    const contract = parseContract({
      accounts: ['*'],
      coverage: [{ service: 'EC2', sla: 'ec2-instance', resources: [entities[42]!.entityValue, 'i-00000000000000fff'] }],
    });
    const outcome = await ingestRaw(raw, 'big', deps(table, '2025-11-15T00:00:00Z', contract));
    expect(outcome.kind).toBe('processed');
    const stored = await new IncidentStore(table).listEntities('123456789012', arn);
    expect(stored).toHaveLength(10_000);
    const items = await allItems(table);
    const biggest = Math.max(...items.map((i) => JSON.stringify(i).length));
    expect(biggest).toBeLessThan(400 * 1024);
    expect(outcome.kind === 'processed' && outcome.claims.flatMap((c) => c.fleet!.parts.flatMap((p) => p.resources))).toEqual([entities[42]!.entityValue, entities[4095]!.entityValue].sort());
    table.client.destroy();
  }, 120_000);

  it('keeps an event whose record would pass the 400 KB item limit (1 MB description)', async () => {
    const raw = ev((e) => { e.detail.eventDescription[0].latestDescription = 'x'.repeat(1024 * 1024); });
    const outcome = await ingestRaw(raw, 'huge', d());
    expect(outcome.kind).toBe('processed');
    if (outcome.kind !== 'processed') return;
    const state = await new IncidentStore(db).getState(outcome.account, outcome.eventArn);
    expect(state!.description.length).toBeLessThanOrEqual(32 * 1024 + 200);
  });

  it('quarantines a 1 MB unparseable payload and returns it byte for byte', async () => {
    const raw = { source: 'aws.health', 'detail-type': 'AWS Health Event', detail: { blob: 'y'.repeat(1024 * 1024) } };
    const outcome = await ingestRaw(raw, 'huge-bad', d());
    expect(outcome.kind).toBe('quarantined');
    if (outcome.kind !== 'quarantined') return;
    expect(await new QuarantineStore(db).raw(outcome.id)).toBe(JSON.stringify(raw));
    const list = await new QuarantineStore(db).list();
    expect(list.find((q) => q.id === outcome.id)).toMatchObject({ source: 'huge-bad', rawBytes: JSON.stringify(raw).length });
  });

  it('quarantines an outage too long to be believed (a typo\'d year) instead of drafting years of claims', async () => {
    const raw = ev((e) => { e.detail.startTime = 'Sun, 20 Oct 2002 06:48:00 GMT'; e.detail.statusCode = 'open'; delete e.detail.endTime; });
    const outcome = await ingestRaw(raw, 'typo', d());
    expect(outcome.kind).toBe('quarantined');
    expect(outcome.kind === 'quarantined' && outcome.reason).toMatch(/detail\.startTime: an outage of \d+ days .* is not plausible/);
  });

  it('keeps what the parser repaired on the update record', async () => {
    const raw = ev((e) => { e.detail.startTime = 'Sat, 20 Oct 2025 06:48:00 GMT'; });
    const outcome = await ingestRaw(raw, 'notes', d());
    expect(outcome.kind).toBe('processed');
    if (outcome.kind !== 'processed') return;
    // Structural change: updates are entries of the incident item's history, not UPDATE# items.
    const incident = await new IncidentStore(db).getIncident(outcome.account, outcome.eventArn);
    expect(incident!.updates[0]?.parseNotes?.join(' ')).toMatch(/weekday/i);
  });
});

describe('bounded keys (issue 11): long values end processed, every key and item within DynamoDB limits', () => {
  const bytes = (v: unknown) => Buffer.byteLength(String(v ?? ''), 'utf8');
  async function expectBounded(table: Db) {
    const items = await allItems(table);
    for (const item of items) {
      expect(bytes(item.pk)).toBeLessThanOrEqual(2048);
      expect(bytes(item.sk)).toBeLessThanOrEqual(1024);
      if (item.gsi1pk) expect(bytes(item.gsi1pk)).toBeLessThanOrEqual(2048);
      if (item.gsi1sk) expect(bytes(item.gsi1sk)).toBeLessThanOrEqual(1024);
      expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(400 * 1024);
    }
    return items;
  }
  const contract = parseContract({
    accounts: ['*'],
    coverage: [
      { service: 'DYNAMODB', regions: ['*'], sla: 'dynamodb' },
      { service: 'RDS', regions: ['*'], sla: 'rds-multi-az', resources: ['*'] },
    ],
  });
  const prefix = 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/';
  const cases: [string, Partial<EnvelopeSpec>][] = [
    ['an eventArn of 1 600 characters', { eventArn: prefix + 'x'.repeat(1600 - prefix.length) }],
    ['an eventArn of 700 × "€" (2.1 KB in UTF-8)', { eventArn: prefix + '€'.repeat(700) }],
    [
      'a 1 000-character RDS entity ARN under a resource-level SLA',
      {
        service: 'RDS', eventTypeCode: 'AWS_RDS_OPERATIONAL_ISSUE', scope: 'ACCOUNT_SPECIFIC',
        eventArn: 'arn:aws:health:us-east-1::event/RDS/AWS_RDS_OPERATIONAL_ISSUE/LONG',
        entities: [{ entityValue: `arn:aws:rds:us-east-1:123456789012:db:${'d'.repeat(1000 - 38)}` }],
      },
    ],
    ['an eventRegion of 1 100 characters', { region: 'r'.repeat(1100), eventArn: `${prefix}LONG-REGION` }],
  ];
  it.each(cases)('%s', async (_name, patch) => {
    const table = await freshDb('bounded');
    const outcomes = await ingestPayload(healthEnvelope({ ...base, ...patch }), 'bounded', deps(table, '2025-11-15T00:00:00Z', contract));
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ kind: 'processed', matched: 1 });
    const claim = outcomes[0]!.kind === 'processed' ? outcomes[0]!.claims[0]! : undefined;
    expect(claim).toMatchObject({ downtimeMinutes: 172 });
    // The full values stay on the items.
    if (patch.entities) expect(claim!.fleet!.parts[0]!.resources).toEqual([patch.entities[0]!.entityValue]);
    if (patch.region) expect(claim!.region).toBe(patch.region);
    expect(claim!.evidence[0]!.eventArn).toBe(patch.eventArn);
    await expectBounded(table);
    // A second update of the same incident finds the same (hashed) keys.
    await ingestPayload(healthEnvelope({ ...base, ...patch, lastUpdated: '2025-10-21T00:00:00Z', end: '2025-10-20T10:40:00Z' }), 'bounded', deps(table, '2025-11-15T00:00:00Z', contract));
    const claims = (await allItems(table)).filter((i) => i.type === 'claim');
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ downtimeMinutes: 232, version: 2 });
    table.client.destroy();
  });
});

describe('ordering guarantees of the incident history', () => {
  it('quarantines a far-future lastUpdatedTime (a year-2096 typo) instead of letting it freeze the incident', async () => {
    const table = await freshDb('future');
    const d = deps(table, '2025-10-20T12:00:00Z');
    const arn = `${DDB_ARN}-future`;
    await ingestRaw(healthEnvelope({ ...base, eventArn: arn, end: null, status: 'open', lastUpdated: '2025-10-20T07:00:00Z' }), 't', d);
    const typo = await ingestRaw(healthEnvelope({ ...base, eventArn: arn, end: null, status: 'open', lastUpdated: '2096-10-20T08:00:00Z' }), 't', d);
    expect(typo.kind).toBe('quarantined');
    expect(typo.kind === 'quarantined' && typo.reason).toMatch(/^detail\.lastUpdatedTime: 2096-10-20T08:00:00\.000Z is later than now .* plus 15 minutes/);
    const closed = await ingestRaw(healthEnvelope({ ...base, eventArn: arn }), 't', d);
    expect(closed.kind === 'processed' && closed.claims[0]).toMatchObject({ downtimeMinutes: 172, provisional: false });
    // Within the skew is fine.
    const near = await ingestRaw(healthEnvelope({ ...base, eventArn: `${arn}-near`, lastUpdated: '2025-10-20T12:10:00Z' }), 't', d);
    expect(near.kind).toBe('processed');
    table.client.destroy();
  });

  it('lets a later delivery of ANY update of the incident bring a claim left behind up to date (issue 11 item 4)', async () => {
    const table = await freshDb('catch-up');
    const d = deps(table);
    const arn = `${DDB_ARN}-catchup`;
    const open = healthEnvelope({ ...base, eventArn: arn, end: null, status: 'open', lastUpdated: '2025-10-20T07:00:00Z' });
    await ingestRaw(open, 't', d);
    const flaky = Object.create(d.claims) as typeof d.claims;
    flaky.saveRecomputed = async () => {
      throw new Error('DynamoDB unavailable');
    };
    await expect(ingestRaw(healthEnvelope({ ...base, eventArn: arn }), 't', { ...d, claims: flaky })).rejects.toThrow(/unavailable/);
    const [stale] = await d.claims.listClaimsByMonth('2025-10');
    expect(stale).toMatchObject({ provisional: true });
    // The OLD open update is delivered again (a backup copy): the claim is rewritten from the full history.
    const again = await ingestRaw(open, 't', d);
    expect(again).toMatchObject({ kind: 'processed', state: 'same' });
    const [fixed] = await d.claims.listClaimsByMonth('2025-10');
    expect(fixed).toMatchObject({ downtimeMinutes: 172, provisional: false, version: 2 });
    expect((await d.claims.listAudit(fixed!.claimId)).map((a) => [a.action, a.version])).toEqual([['created', 1], ['recomputed', 2]]);
    table.client.destroy();
  });

  it('corrects the month an outage left when a later update shortens it', async () => {
    const table = await freshDb('left');
    const arn = `${DDB_ARN}-left`;
    await ingestRaw(healthEnvelope({ ...base, eventArn: arn, start: '2025-10-31T23:00:00Z', end: null, status: 'open', lastUpdated: '2025-11-01T01:00:00Z' }), 't', deps(table, '2025-11-01T02:00:00Z'));
    expect((await deps(table).claims.listClaimsByMonth('2025-11'))[0]).toMatchObject({ downtimeMinutes: 120 });
    await ingestRaw(healthEnvelope({ ...base, eventArn: arn, start: '2025-10-31T23:00:00Z', end: '2025-10-31T23:30:00Z', lastUpdated: '2025-11-01T03:00:00Z' }), 't', deps(table, '2025-11-01T04:00:00Z'));
    expect((await deps(table).claims.listClaimsByMonth('2025-11'))[0]).toMatchObject({ downtimeMinutes: 0, evidence: [] });
    expect((await deps(table).claims.listClaimsByMonth('2025-10'))[0]).toMatchObject({ downtimeMinutes: 30 });
    table.client.destroy();
  });
});

describe('request counts of the hot path (issue 12)', () => {
  function counting(table: Db): () => Record<string, number> {
    const counts: Record<string, number> = {};
    table.doc.middlewareStack.add((next, context) => async (args) => {
      counts[context.commandName ?? '?'] = (counts[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    }, { step: 'initialize', name: 'testRequestCounter' });
    return () => ({ ...counts });
  }
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

  it('an update touching two months costs 3 requests; its backup copy 1; a backup copy still repairs a claim left behind', async () => {
    const table = await freshDb('counts');
    const count = counting(table);
    const arn = `${DDB_ARN}-counts`;
    const open = { ...base, eventArn: arn, start: '2025-10-31T22:00:00Z', end: null, status: 'open' as const, lastUpdated: '2025-11-01T01:00:00Z' };
    const d = deps(table, '2025-11-01T01:30:00Z');
    await ingestRaw(healthEnvelope(open), 't', d);
    expect(total(count())).toBe(3); // history write + claims read (in flight together), both new claims in one request
    const before = total(count());
    const copy = await ingestRaw(healthEnvelope({ ...open, backup: true }), 't', d);
    expect(copy).toMatchObject({ state: 'duplicate' });
    expect(total(count()) - before).toBe(1); // one BatchGetItem: the history holds it, the claims are in place
    // A claim left behind (its write failed): the backup copy's one read finds it stale and rewrites it.
    const closed = { ...open, end: '2025-10-31T23:00:00Z', status: 'closed' as const, lastUpdated: '2025-11-01T02:00:00Z' };
    const later = deps(table, '2025-11-01T03:00:00Z');
    const flaky = Object.create(later.claims) as typeof later.claims;
    flaky.saveManyRecomputed = async () => {
      throw new Error('DynamoDB unavailable');
    };
    await expect(ingestRaw(healthEnvelope(closed), 't', { ...later, claims: flaky })).rejects.toThrow(/unavailable/);
    const again = await ingestRaw(healthEnvelope({ ...closed, backup: true }), 't', later);
    expect(again).toMatchObject({ kind: 'processed', state: 'same' });
    const store = new DynamoClaimStore(table);
    expect((await store.listClaimsByMonth('2025-10'))[0]).toMatchObject({ downtimeMinutes: 60, provisional: false });
    expect((await store.listClaimsByMonth('2025-11'))[0]).toMatchObject({ downtimeMinutes: 0, evidence: [] });
    table.client.destroy();
  });
});
