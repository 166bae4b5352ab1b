/**
 * Fault injection (issue 11): 100 Health events (20 incidents × 5 updates, realistic envelopes, most covered by the
 * example contract), each delivered twice (the second time often as the backup-Region copy) in a seeded random order,
 * through the real Lambda handler whose DynamoDB client goes through a proxy failing 30 % / 50 % of the requests —
 * a third of those after DynamoDB applied them. An invocation that throws is redelivered, like Lambda/EventBridge
 * retries, up to MAX_REDELIVERIES times. The end state must equal a fault-free run of the same order: the same claims
 * (by their user-visible numbers), the same incidents and audit entries (the whole table, times and nonces aside),
 * and exactly one Slack message per claim that is posted.
 *
 * Deliveries run in 10 lanes at once (a Lambda runs invocations concurrently); each lane owns its claim scopes and is
 * sequential, so the fault-free and the faulty run see every claim's events in the same order.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { webClientSlackApi } from '../../src/slack/api.ts';
import { notifyClaim } from '../../src/slack/notify.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { stableStringify } from '../../src/util/stable-json.ts';
import { freshDb } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { loadHealthEventLambda } from '../fuzz/lambda.ts';
import { rng } from '../fuzz/mutate.ts';
import { startFaultyProxy, type FaultyProxy } from './faulty-proxy.ts';

const SEED = 11;
const MAX_REDELIVERIES = 12;
/** Wall-clock bound of one run (all lanes); a run that hits it fails the comparison, it does not hang. */
const RUN_BUDGET_MS = 40_000;
const A = '123456789012';
const B = '210987654321';
const UNCOVERED = '999999999999';

// The incidents live in the previous UTC month, days 1–20: closed by their last update, and old enough (> 7 days)
// that even their open intermediate states are capped as stale — so no number depends on when the test runs — while
// the claim deadline (end of the second month after) is still ahead, so claims are claimable and posted to Slack.
const now = new Date();
const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
const MONTH = new Date(base).toISOString().slice(0, 7);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface LaneSpec {
  account: string;
  service: string;
  region: string;
  entity?: string;
}
const LANES: LaneSpec[] = [
  { account: A, service: 'DYNAMODB', region: 'us-east-1' },
  { account: A, service: 'LAMBDA', region: 'us-east-1' },
  { account: B, service: 'DYNAMODB', region: 'us-east-1' },
  { account: A, service: 'S3', region: 'us-east-1' },
  { account: A, service: 'APIGATEWAY', region: 'us-east-1' },
  { account: A, service: 'RDS', region: 'us-east-1', entity: `arn:aws:rds:us-east-1:${A}:db:orders` },
  { account: A, service: 'ELASTICLOADBALANCING', region: 'us-east-1', entity: `arn:aws:elasticloadbalancing:us-east-1:${A}:loadbalancer/net/checkout/50dc6c495c0c9188` },
  { account: B, service: 'DYNAMODB', region: 'eu-west-1' },
  { account: A, service: 'EC2', region: 'eu-central-1' }, // not covered (no ec2-region in the example contract)
  { account: UNCOVERED, service: 'DYNAMODB', region: 'us-east-1' }, // account not in the contract
];

/** Each lane: 2 incidents × 5 updates (open ×4, then closed), every update delivered twice, shuffled. */
function laneDeliveries(lane: number, r: () => number): unknown[] {
  const spec = LANES[lane]!;
  const events: unknown[] = [];
  for (let k = 0; k < 2; k++) {
    const start = base + (1 + lane * 2 + k * 3) * 86_400_000 + Math.floor(r() * 12) * 3_600_000;
    const minutes = 40 + Math.floor(r() * 360);
    const end = start + minutes * 60_000;
    const code = `AWS_${spec.service}_OPERATIONAL_ISSUE`;
    const arn = `arn:aws:health:${spec.region}::event/${spec.service}/${code}/${code}_FAULT_${lane}_${k}`;
    for (let u = 0; u < 5; u++) {
      const closed = u === 4;
      const lastUpdated = closed ? end : start + Math.floor(((end - start) * u) / 4) + 60_000;
      const e: EnvelopeSpec = {
        account: spec.account,
        eventArn: arn,
        service: spec.service,
        eventTypeCode: code,
        scope: spec.entity ? 'ACCOUNT_SPECIFIC' : 'PUBLIC',
        region: spec.region,
        start: iso(start),
        end: closed ? iso(end) : null,
        lastUpdated: iso(lastUpdated),
        status: closed ? 'closed' : 'open',
        description: closed ? `[RESOLVED] Increased error rates for ${spec.service}.` : `[Update ${u}] We are investigating increased error rates for ${spec.service} in ${spec.region}.`,
        ...(spec.entity ? { entities: [{ entityValue: spec.entity, status: closed ? 'RESOLVED' : 'IMPAIRED' }] } : {}),
      };
      events.push(healthEnvelope(e), healthEnvelope({ ...e, backup: r() < 0.5 }));
    }
  }
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [events[i], events[j]] = [events[j], events[i]];
  }
  return events;
}

const r = rng(SEED);
const lanes = LANES.map((_, lane) => laneDeliveries(lane, r));

let spendFile: string;
beforeAll(() => {
  spendFile = join(mkdtempSync(join(tmpdir(), 'fault-')), 'spend.csv');
  writeFileSync(
    spendFile,
    [
      'account,month,service,region,amount,resource',
      `${A},${MONTH},DYNAMODB,us-east-1,5000.00,`,
      `${A},${MONTH},LAMBDA,us-east-1,1840.27,`,
      `${B},${MONTH},DYNAMODB,us-east-1,12450.75,`,
      `${A},${MONTH},S3,us-east-1,3000.00,`,
      `${A},${MONTH},APIGATEWAY,us-east-1,800.00,`,
      `${A},${MONTH},RDS,us-east-1,400.00,${LANES[5]!.entity}`,
      `${A},${MONTH},ELASTICLOADBALANCING,us-east-1,612.40,${LANES[6]!.entity}`,
      `${B},${MONTH},DYNAMODB,eu-west-1,900.00,`,
    ].join('\n'),
  );
});

interface RunResult {
  claims: Claim[];
  table: string[];
  posts: number;
  deliveries: number;
  attempts: number;
  errors: string[];
  exhausted: string[];
  notifyExhausted: string[];
  ms: number;
  proxy?: FaultyProxy['stats'];
}

const proxies: FaultyProxy[] = [];
const fakes: FakeSlack[] = [];
afterAll(async () => {
  await Promise.all([...proxies.map((p) => p.close()), ...fakes.map((f) => f.close())]);
});

interface Counts {
  attempts: number;
  /** Error name/message → how many invocations threw it. */
  errors: Map<string, number>;
}

/**
 * Retries `fn` like Lambda redelivers a failed invocation; returns false when every delivery failed. The first
 * delivery always runs; redeliveries stop at the deadline (so a run is bounded in time as well as in count).
 */
async function withRedelivery(fn: () => Promise<unknown>, deadline: number, count: Counts): Promise<boolean> {
  for (let delivery = 0; delivery <= MAX_REDELIVERIES && (delivery === 0 || Date.now() < deadline); delivery++) {
    count.attempts++;
    try {
      await fn();
      return true;
    } catch (error) {
      const key = `${(error as Error)?.name}: ${String((error as Error)?.message).slice(0, 80)}`;
      count.errors.set(key, (count.errors.get(key) ?? 0) + 1);
    }
  }
  return false;
}

async function run(failureRate: number): Promise<RunResult> {
  const started = Date.now();
  const deadline = started + RUN_BUDGET_MS;
  const direct = await freshDb('fault');
  let endpoint = inject('dynamoEndpoint');
  let proxy: FaultyProxy | undefined;
  if (failureRate > 0) {
    proxy = await startFaultyProxy(endpoint, { seed: SEED, failureRate });
    proxies.push(proxy);
    endpoint = proxy.endpoint;
  }
  // A fresh "Lambda instance": the handler builds its Db through the same client factory as in AWS.
  const lambda = await loadHealthEventLambda({ tableName: direct.tableName, endpoint, spendFile });
  // The Lambda's own table client (same module registry as the handler just loaded): the wiring's retry strategy.
  const { clients } = await import('../../handlers/wiring.ts');
  const getDefaultDb = (): Db => clients.db();
  const count: Counts = { attempts: 0, errors: new Map() };
  const exhausted: string[] = [];
  await Promise.all(
    lanes.map(async (deliveries) => {
      for (const event of deliveries) {
        if (!(await withRedelivery(() => lambda.invoke(event), deadline, count))) exhausted.push((event as { id: string }).id);
      }
    }),
  );

  // The stream would hand every claim to slackNotify: once per claim here, redelivered on a throw, through the
  // same faulty Db (built the way the handler builds it).
  const reader = new DynamoClaimStore(direct);
  const fake = await startFakeSlack({ token: 'xoxb-fault' });
  fakes.push(fake);
  const slack = webClientSlackApi({ token: async () => 'xoxb-fault', apiUrl: fake.apiUrl, retries: 0 });
  const store = new DynamoClaimStore(getDefaultDb());
  const notifyExhausted: string[] = [];
  for (const claim of await reader.listClaimsByMonth(MONTH)) {
    const ok = await withRedelivery(() => notifyClaim(claim, { store, slack, config: { channelId: 'C0CLAIMS' }, now: () => new Date() }), deadline + 20_000, count);
    if (!ok) notifyExhausted.push(claim.claimId);
  }
  lambda.restore();

  const claims = (await reader.listClaimsByMonth(MONTH)).sort((a, b) => a.claimId.localeCompare(b.claimId));
  const table = await normalisedTable(direct);
  const posts = fake.callsOf('chat.postMessage').length;
  direct.client.destroy();
  return {
    claims,
    table,
    posts,
    deliveries: lanes.flat().length,
    attempts: count.attempts,
    errors: [...count.errors].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${n}× ${k}`),
    exhausted,
    notifyExhausted,
    ms: Date.now() - started,
    ...(proxy ? { proxy: { ...proxy.stats } } : {}),
  };
}

/** Every item, minus what legitimately differs between two runs: wall-clock times, audit nonces, Slack ts. */
async function normalisedTable(db: Db): Promise<string[]> {
  const out: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await db.client.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw) as Record<string, unknown>;
      for (const field of ['createdAt', 'updatedAt', 'computedAt', 'at', 'receivedAt', 'gsi1sk']) if (field in item && item.type !== 'claim') delete item[field];
      for (const field of ['createdAt', 'updatedAt', 'computedAt']) delete item[field];
      if (typeof item.sk === 'string' && item.sk.startsWith('AUDIT#')) item.sk = 'AUDIT#';
      if (item.slack) item.slack = { shownVersion: (item.slack as { shownVersion?: number }).shownVersion };
      // The claim's inline audit trail and its Slack post intent carry times and a random id of their own.
      if (Array.isArray(item.auditLog)) for (const entry of item.auditLog as Array<Record<string, unknown>>) delete entry.at;
      if (Array.isArray(item.entries)) for (const entry of item.entries as Array<Record<string, unknown>>) delete entry.at;
      if (item.slackPost) item.slackPost = 'intent';
      const detail = item.detail as Record<string, unknown> | undefined;
      if (detail && typeof detail === 'object') {
        delete detail.ts;
        delete detail.channel;
      }
      out.push(stableStringify(item));
    }
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return out.sort();
}

/** What a user sees of a claim. */
const visible = (c: Claim) => ({
  claimId: c.claimId,
  downtimeMinutes: c.downtimeMinutes,
  creditPercent: c.creditPercent,
  creditCents: c.creditCents,
  status: c.status,
  provisional: c.provisional,
  claimable: c.claimable,
  evidence: c.evidence.map((e) => `${e.eventArn} ${e.startTime} ${e.endTime}`),
});

describe('injected DynamoDB faults: redelivered events end exactly like a fault-free run', () => {
  let clean: RunResult;
  beforeAll(async () => {
    clean = await run(0);
    console.info(`fault-free: ${clean.deliveries} deliveries, ${clean.claims.length} claims, ${clean.table.length} items, ${clean.posts} Slack posts, ${clean.ms} ms`);
  }, 120_000);

  it('the fault-free run is what the contract says (guards the comparison below)', () => {
    expect(clean.exhausted, clean.errors.join('\n')).toEqual([]);
    // 8 covered lanes → 8 claims (2 incidents each in one scope); the uncovered lanes add none.
    expect(clean.claims).toHaveLength(8);
    expect(clean.claims.every((c) => !c.provisional && c.downtimeMinutes > 0)).toBe(true);
    expect(clean.posts).toBeGreaterThan(0);
    expect(clean.posts).toBe(clean.claims.filter((c) => c.status === 'pending_approval').length);
  });

  for (const rate of [0.3, 0.5]) {
    it(`${rate * 100} % of DynamoDB requests failing (a third after being applied): the same claims, items and Slack posts`, async () => {
      const faulty = await run(rate);
      console.info(
        `faults ${rate * 100} %: ${faulty.deliveries} deliveries, ${faulty.attempts} invocations, ${faulty.exhausted.length} deliveries failed ${MAX_REDELIVERIES + 1} times, ` +
          `${faulty.notifyExhausted.length} notifications failed, proxy ${JSON.stringify(faulty.proxy)}, ${faulty.posts} Slack posts, ${faulty.ms} ms; ` +
          `invocation errors: ${faulty.errors.join('; ') || 'none'}`,
      );
      expect(faulty.proxy!.before + faulty.proxy!.after + faulty.proxy!.drop).toBeGreaterThan(0);
      expect(
        faulty.exhausted.length,
        `deliveries still failing after every redelivery (they would sit in the on-failure queue), e.g. ${faulty.exhausted.slice(0, 3).join(', ')}`,
      ).toBe(0);
      expect(faulty.notifyExhausted).toEqual([]);
      expect(faulty.claims.map(visible)).toEqual(clean.claims.map(visible));
      expect(faulty.table).toEqual(clean.table);
      expect(faulty.posts, 'one Slack post per claim').toBe(clean.posts);
    }, 120_000);
  }
});
