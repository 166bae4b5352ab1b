/**
 * Poison input through the real Health event handler on DynamoDB Local (issue 11): the inputs the issue names, then a
 * few hundred seeded mutations of the sample events. Each must end processed or quarantined — never a throw (a throw
 * is retried for 24 h and then parked in the on-failure queue) — and afterwards no item may exceed 400 KB and no key
 * its byte limit (UTF-8: partition key 2 048, sort key 1 024).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { healthEnvelope } from '../helpers/event-builder.ts';
import { QuarantineStore } from '../../src/pipeline/quarantine.ts';
import { DynamoClaimStore, type ClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';
import { EXAMPLE_CONTRACT, loadHealthEventLambda, type HealthEventLambda } from './lambda.ts';
import { corpus, deepArray, type Json } from './mutate.ts';
import { scanBounds } from './scan-bounds.ts';

const SEED = 20251020;
const CORPUS_SIZE = 300;
const ACCOUNT = '123456789012';
const ROOT = resolve(import.meta.dirname, '../..');

let db: Db;
let claims: ClaimStore;
let quarantine: QuarantineStore;
let lambda: { invoke: HealthEventLambda; restore: () => void };

beforeAll(async () => {
  db = await freshDb('fuzz');
  claims = new DynamoClaimStore(db);
  quarantine = new QuarantineStore(db);
  // The example contract plus a Region-level SLA in every Region (SQS), so a Region name reaches a claim scope key.
  const contract = parseYaml(readFileSync(EXAMPLE_CONTRACT, 'utf8')) as { coverage: unknown[] };
  contract.coverage.push({ service: 'SQS', regions: ['*'], sla: 'sqs' });
  const contractFile = join(mkdtempSync(join(tmpdir(), 'fuzz-')), 'contract.yml');
  writeFileSync(contractFile, toYaml(contract));
  lambda = await loadHealthEventLambda({ tableName: db.tableName, endpoint: inject('dynamoEndpoint'), contractFile });
});
afterAll(() => {
  lambda?.restore();
  db?.client.destroy();
});

type Outcome = { quarantined?: string; reason?: string; eventArn?: string; state?: string; claims?: { id: string }[] };

/** One delivery: resolves to the handler's outcomes, or records what it threw. */
async function deliver(event: unknown): Promise<{ outcomes?: Outcome[]; error?: string }> {
  try {
    const result = (await lambda.invoke(event)) as { outcomes: Outcome[] };
    return { outcomes: result.outcomes };
  } catch (error) {
    // Where it threw (first frame in the project), so a failure points at the code to fix.
    const at = String((error as Error)?.stack ?? '').split('\n').find((l) => /\/(src|handlers)\//.test(l))?.trim().replace(/^at /, '') ?? '';
    return { error: `${(error as Error)?.name}: ${String((error as Error)?.message).slice(0, 200)}${at ? ` (at ${at.replace(/.*\/(src|handlers)\//, '$1/')}` : ''}` };
  }
}

function covered(overrides: { arn?: string; service?: string; region?: string; entities?: { entityValue: string; lastUpdatedTime?: string; tags?: Record<string, string> }[]; scope?: 'PUBLIC' | 'ACCOUNT_SPECIFIC' } = {}) {
  const service = overrides.service ?? 'DYNAMODB';
  const event = healthEnvelope({
    account: ACCOUNT,
    eventArn: overrides.arn ?? `arn:aws:health:us-east-1::event/${service}/AWS_${service}_OPERATIONAL_ISSUE/AWS_${service}_OPERATIONAL_ISSUE_FUZZ`,
    service,
    eventTypeCode: `AWS_${service}_OPERATIONAL_ISSUE`,
    scope: overrides.scope ?? (overrides.entities ? 'ACCOUNT_SPECIFIC' : 'PUBLIC'),
    region: 'us-east-1',
    start: '2025-10-20T06:48:00Z',
    end: '2025-10-20T09:40:00Z',
    lastUpdated: '2025-10-20T09:40:00Z',
    status: 'closed',
    description: '[RESOLVED] Increased error rates.',
    entities: overrides.entities?.map((e) => ({ entityValue: e.entityValue, ...(e.tags ? { tags: e.tags } : {}) })),
  }) as { detail: Record<string, unknown> };
  if (overrides.region) event.detail.eventRegion = overrides.region;
  if (overrides.entities) event.detail.affectedEntities = overrides.entities;
  return event;
}

const pad = (prefix: string, length: number) => prefix + 'x'.repeat(length - prefix.length);
const arnPrefix = 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/AWS_DYNAMODB_OPERATIONAL_ISSUE_';

/** Expects one outcome, processed or quarantined; a quarantined one is listed with its reason. */
async function expectDecided(event: unknown): Promise<Outcome> {
  const result = await deliver(event);
  expect(result.error, 'the handler threw: Lambda would retry it for 24 h, then park it in the on-failure queue').toBeUndefined();
  expect(result.outcomes).toHaveLength(1);
  const outcome = result.outcomes![0]!;
  if (outcome.quarantined) {
    const listed = (await quarantine.list()).find((q) => q.id === outcome.quarantined);
    expect(listed?.reason).toBeTruthy();
  } else {
    expect(outcome.eventArn).toBeTruthy();
  }
  return outcome;
}

/** A processed covered event must show its claim (a quarantined one is kept for review instead). */
async function expectClaimOrQuarantine(outcome: Outcome, slaId: string, downtimeMinutes = 172) {
  if (outcome.quarantined) return;
  const october = await claims.listClaimsByMonth('2025-10');
  const claim = october.find((c) => outcome.claims?.some((o) => o.id === c.claimId));
  expect(claim, `a claim for ${slaId}`).toBeDefined();
  expect(claim!.slaId).toBe(slaId);
  expect(claim!.downtimeMinutes).toBe(downtimeMinutes);
}

describe('the poison inputs of issue 11, item 1', () => {
  it('a 1 600-character eventArn on a covered service (LINK sort key over 1 024 bytes)', async () => {
    const outcome = await expectDecided(covered({ arn: pad(arnPrefix, 1600) }));
    await expectClaimOrQuarantine(outcome, 'dynamodb');
  });

  it('an eventArn of 700 × "€" (2.1 KB of UTF-8: a partition key over 2 048 bytes)', async () => {
    const outcome = await expectDecided(covered({ arn: arnPrefix + '€'.repeat(700) }));
    await expectClaimOrQuarantine(outcome, 'dynamodb');
  });

  it('a 1 000-character RDS entity ARN under a resource-level SLA', async () => {
    const entity = pad(`arn:aws:rds:us-east-1:${ACCOUNT}:db:`, 1000);
    const outcome = await expectDecided(covered({ service: 'RDS', entities: [{ entityValue: entity }] }));
    await expectClaimOrQuarantine(outcome, 'rds-multi-az');
  });

  it('an eventRegion of 1 100 characters (region- and resource-level services)', async () => {
    const region = pad('us-east-1', 1100);
    await expectDecided(covered({ service: 'SQS', region }));
    await expectDecided(covered({ service: 'EC2', region, entities: [{ entityValue: 'i-0123456789abcdef0', tags: { stage: 'prod' } }] }));
  });

  it('3 300 entities whose lastUpdatedTime has the wrong weekday (one parse note each: an UPDATE item over 400 KB)', async () => {
    // 20 October 2025 was a Monday.
    const entities = Array.from({ length: 3300 }, (_, i) => ({ entityValue: `i-${i.toString(16).padStart(17, '0')}`, lastUpdatedTime: 'Tue, 20 Oct 2025 06:48:00 GMT' }));
    await expectDecided(covered({ service: 'EC2', entities }));
  });

  it('5 600 entities with an empty lastUpdatedTime', async () => {
    const entities = Array.from({ length: 5600 }, (_, i) => ({ entityValue: `i-${i.toString(16).padStart(17, '0')}`, lastUpdatedTime: '' }));
    await expectDecided(covered({ service: 'EC2', entities }));
  });

  it('an unparseable event carrying a 5 000-deep array is quarantined, its raw payload kept byte for byte', async () => {
    const deep = JSON.stringify([['x']]).replace('["x"]', `${'['.repeat(4999)}"x"${']'.repeat(4999)}`);
    // Bad startTime (quarantined by the parser), the deep array in an extra field: the reason is about the date.
    const base = covered() as { detail: Record<string, unknown> };
    base.detail.startTime = 'yesterday';
    const text = JSON.stringify(base).replace(/}$/, `,"extra":${deep}}`);
    const event = JSON.parse(text);
    const outcome = await expectDecided(event);
    expect(outcome.quarantined).toBeTruthy();
    expect(outcome.reason).toMatch(/detail\.startTime/);
    expect(await quarantine.raw(outcome.quarantined!)).toBe(text);
  });

  it('a 5 000-deep array where the parser names the value (detail, detail.startTime) is quarantined with a bounded reason', async () => {
    for (const mutate of [(e: Record<string, unknown>) => (e.detail = deepArray(5000)), (e: Record<string, unknown>) => ((e.detail as Record<string, unknown>).startTime = deepArray(5000))]) {
      const event = covered() as unknown as Record<string, unknown>;
      mutate(event);
      const outcome = await expectDecided(event);
      expect(outcome.quarantined).toBeTruthy();
      expect(outcome.reason!.length).toBeLessThan(4096);
      const raw = await quarantine.raw(outcome.quarantined!);
      expect(raw.length).toBeGreaterThan(10_000);
      expect(raw.startsWith('{"version":"0"')).toBe(true);
    }
  });
});

describe(`a fuzz corpus of ${CORPUS_SIZE} mutations (seed ${SEED})`, () => {
  function bases(): { name: string; text: string }[] {
    const out: { name: string; text: string }[] = [];
    for (const dir of [join(ROOT, 'events'), join(ROOT, 'events/demo'), join(ROOT, 'events/bad-input'), '/work/shared/reference/health-events']) {
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith('.json'));
      } catch {
        continue; // the shared reference copy is optional (a clean clone has events/ only)
      }
      for (const name of names.sort()) {
        const value = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json;
        // A file may hold an array of events (the October 2025 replay): a few of them are enough.
        const events = Array.isArray(value) ? value.slice(0, 4) : [value];
        events.forEach((e, i) => out.push({ name: `${name}${events.length > 1 ? `[${i}]` : ''}`, text: JSON.stringify(e) }));
      }
    }
    for (const service of ['DYNAMODB', 'LAMBDA', 'S3']) out.push({ name: `covered ${service}`, text: JSON.stringify(covered({ service })) });
    out.push({ name: 'covered RDS', text: JSON.stringify(covered({ service: 'RDS', entities: [{ entityValue: `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders` }] })) });
    out.push({ name: 'covered EC2', text: JSON.stringify(covered({ service: 'EC2', entities: [{ entityValue: 'i-0123456789abcdef0', tags: { stage: 'prod' } }] })) });
    return out;
  }

  it('every mutant ends processed or quarantined, and the table stays within DynamoDB limits', async () => {
    const cases = corpus(bases(), CORPUS_SIZE, SEED);
    const threw: string[] = [];
    let processed = 0;
    let quarantined = 0;
    const started = Date.now();
    for (const c of cases) {
      const result = await deliver(c.event);
      if (result.error) threw.push(`${c.name} → ${result.error}`);
      for (const o of result.outcomes ?? []) {
        if (o.quarantined) quarantined++;
        else if (o.eventArn) processed++;
        else threw.push(`${c.name} → neither processed nor quarantined: ${JSON.stringify(o).slice(0, 200)}`);
      }
    }
    const bounds = await scanBounds(db);
    console.info(
      `fuzz: ${cases.length} inputs in ${Date.now() - started} ms: ${processed} processed, ${quarantined} quarantined, ${threw.length} threw; ` +
        `table: ${bounds.items} items, largest ${bounds.maxItemBytes} B, longest pk ${bounds.maxPartitionKeyBytes} B, longest sk ${bounds.maxSortKeyBytes} B`,
    );
    expect(threw, threw.join('\n')).toEqual([]);
    expect(bounds.violations, bounds.violations.join('\n')).toEqual([]);
    // Everything quarantined is listed, with a reason.
    const listed = await quarantine.list();
    expect(listed.every((q) => q.reason.length > 0)).toBe(true);
  }, 120_000);
});
