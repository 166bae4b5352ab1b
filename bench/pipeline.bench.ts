/**
 * The real ingest pipeline on DynamoDB Local, next to raw DynamoDB Local writes in the same run, made fair:
 * - DynamoDB Local is warmed (≥ 2 000 requests) before each measurement, and each measurement runs in its own
 *   child process (so max RSS is its own);
 * - raw: PutItem of the same number of items as deliveries, each the size of a stored claim item;
 * - requests are counted with SDK middleware, per real update and per duplicate (backup copy) separately;
 * - then one event with 10 000 affected entities (bench/big-event.ts), one covered and all covered, next to raw
 *   BatchWriteItem of 10 000 items of the claim's size.
 * Prints `goal | figure | baseline | ratio | met?`. Run: npm run bench:pipeline   (needs Java 17+, like npm start)
 */
import { execFileSync } from 'node:child_process';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseContract } from '../src/contract/contract.ts';
import { ingestRaw, type IngestDeps } from '../src/pipeline/ingest.ts';
import { CsvSpendSource } from '../src/spend/spend.ts';
import { keys } from '../src/store/table.ts';
import { createLocalDb, type Db } from '../src/store/clients.ts';
import { startLocalDynamoDb } from '../src/store/local-dynamodb.ts';
import { dynamoStores } from '../src/store/stores.ts';
import { CachedRecomputeStore } from '../src/store/claim-cache.ts';
import { CachedIncidentStore } from '../src/store/incident-cache.ts';
import { DynamoClaimStore } from '../src/store/claim-store.ts';
import { ensureTable } from '../src/store/table.ts';
import { healthEnvelope, type EnvelopeSpec } from '../tests/helpers/event-builder.ts';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 100);
const WARM_REQUESTS = 2000;
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const SERVICES = ['DYNAMODB', 'LAMBDA', 'S3', 'APIGATEWAY'];

function countRequests(db: Db): () => number {
  let count = 0;
  db.doc.middlewareStack.add((next) => async (args) => {
    count++;
    return next(args);
  }, { step: 'initialize', name: 'benchRequestCounter' });
  return () => count;
}

function deliveries(accountOf: (i: number) => string = (i) => ACCOUNTS[i % ACCOUNTS.length]!): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < INCIDENTS; i++) {
    const service = SERVICES[i % SERVICES.length]!;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const base: EnvelopeSpec = {
      account: accountOf(i),
      eventArn: `arn:aws:health:us-east-1::event/${service}/AWS_${service}_OPERATIONAL_ISSUE/AWS_${service}_OPERATIONAL_ISSUE_BENCH_${i}`,
      service,
      eventTypeCode: `AWS_${service}_OPERATIONAL_ISSUE`,
      region: 'us-east-1',
      start: `2025-10-${day}T06:00:00Z`,
      lastUpdated: `2025-10-${day}T06:30:00Z`,
      status: 'open',
      description: `We are investigating increased error rates for ${service} in US-EAST-1.`,
    };
    out.push(healthEnvelope(base));
    out.push(healthEnvelope({ ...base, lastUpdated: `2025-10-${day}T07:30:00Z`, description: 'We have identified the cause and are working on mitigation.' }));
    const closed = { ...base, lastUpdated: `2025-10-${day}T09:00:00Z`, status: 'closed' as const, end: `2025-10-${day}T08:40:00Z`, description: 'The issue has been resolved.' };
    out.push(healthEnvelope(closed));
    out.push(healthEnvelope({ ...closed, backup: true }));
  }
  return out;
}

/**
 * `cold`: every delivery on an instance that has never seen its claims or incidents (no caches: a cold cache reads
 * exactly as the store does), the worst case for a fleet of instances; otherwise one instance's claim and incident
 * caches, as the Lambda wiring keeps them (handlers/wiring.ts).
 */
function pipelineDeps(db: Db, cold = false): IngestDeps {
  const contract = parseContract({
    accounts: ['*'],
    coverage: [
      { service: 'DYNAMODB', sla: 'dynamodb' },
      { service: 'LAMBDA', sla: 'lambda' },
      { service: 'S3', sla: 's3-standard' },
      { service: 'APIGATEWAY', sla: 'api-gateway' },
    ],
  });
  const spend = new CsvSpendSource(
    ['account,month,service,region,amount', ...ACCOUNTS.flatMap((a) => SERVICES.map((s) => `${a},2025-10,${s},us-east-1,2500.00`))].join('\n'),
  );
  const stores = dynamoStores(db);
  const claims = cold ? stores.claims : new CachedRecomputeStore(stores.claims);
  const incidents = cold ? stores.incidents : new CachedIncidentStore(stores.incidents);
  return { ...stores, incidents, claims, contract, spend, now: () => Date.parse('2025-11-02T00:00:00Z') };
}

/** Child: warm up (≥ WARM_REQUESTS requests), then measure one side. Prints one JSON line. */
async function child(endpoint: string, side: 'raw' | 'pipeline' | 'pipeline-cold', itemBytes: number) {
  const db = createLocalDb(`bench-${side}-${process.pid}`, endpoint);
  await ensureTable(db.client, db.tableName);
  const requests = countRequests(db);
  const n = INCIDENTS * 4;
  if (side === 'raw') {
    const payload = 'x'.repeat(itemBytes);
    for (let i = 0; requests() < WARM_REQUESTS; i++) await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { pk: `WARM#${i}`, sk: 'RAW', payload } }));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { pk: `RAW#${i}`, sk: 'RAW', payload } }));
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ side, n, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  } else {
    const deps = pipelineDeps(db, side === 'pipeline-cold');
    const store = new DynamoClaimStore(db);
    // Warm-up on other accounts (same shapes), until DynamoDB Local and the JIT have seen ≥ WARM_REQUESTS requests.
    for (let round = 0; requests() < WARM_REQUESTS; round++) {
      for (const e of deliveries((i) => String(900_000_000_000 + round * 1000 + (i % 3)))) await ingestRaw(e, 'warm', deps);
    }
    const events = deliveries();
    let real = 0, dup = 0, realRequests = 0, dupRequests = 0;
    const t0 = performance.now();
    for (const e of events) {
      const before = requests();
      const outcome = await ingestRaw(e, 'bench', deps);
      const used = requests() - before;
      if (outcome.kind === 'processed' && outcome.state === 'duplicate') (dup++, (dupRequests += used));
      else (real++, (realRequests += used));
    }
    const ms = performance.now() - t0;
    const claims = (await store.listClaimsByMonth('2025-10')).filter((c) => ACCOUNTS.includes(c.account));
    const stored = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.claim(claims[0]!.claimId) }));
    console.log(JSON.stringify({ side, n: events.length, ms, real, dup, realRequests, dupRequests, claims: claims.length, claimItemBytes: JSON.stringify(stored.Item).length, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  }
  db.client.destroy();
}

function run(args: string[]): Record<string, number> {
  return JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', ...args], { encoding: 'utf8' }).trim().split('\n').pop()!);
}

/** A per-resource claim item of this event as stored before fleet claims (measured 2026-12-02: 2 494 B). */
const PER_RESOURCE_CLAIM_BYTES = 2494;

function row(goal: string, figure: string, baseline: string, ratio: string, met: boolean | null) {
  console.log(`| ${goal} | ${figure} | ${baseline} | ${ratio} | ${met === null ? '–' : met ? 'yes' : 'NO'} |`);
}

async function main() {
  const local = await startLocalDynamoDb({ tableName: 'bench-pipeline' });
  try {
    const p = run(['bench/pipeline.bench.ts', 'child', local.endpoint, 'pipeline', '0']);
    const r = run(['bench/pipeline.bench.ts', 'child', local.endpoint, 'raw', String(p.claimItemBytes)]);
    const c = run(['bench/pipeline.bench.ts', 'child', local.endpoint, 'pipeline-cold', '0']);
    const big1 = run(['bench/big-event.ts', local.endpoint, 'one']);
    const bigN = run(['bench/big-event.ts', local.endpoint, 'resources']);
    // The baseline is what this event stored before fleet claims: 10 000 per-resource claim items of ~2.5 KB.
    const bigRaw = run(['bench/big-event.ts', local.endpoint, 'raw', String(PER_RESOURCE_CLAIM_BYTES)]);
    const eps = p.n! / (p.ms! / 1000);
    const wps = r.n! / (r.ms! / 1000);
    console.log(`node ${process.version}, DynamoDB Local (in memory), sequential deliveries; ${p.n} deliveries of ${INCIDENTS} incidents (3 updates + 1 backup copy each) → ${p.claims} claims`);
    console.log(`raw baseline: PutItem of ${r.n} items of ${p.claimItemBytes} B (a stored claim item), after ≥ ${WARM_REQUESTS} warm-up requests in each process`);
    console.log('| goal | figure | baseline | ratio | met? |');
    console.log('|---|---|---|---|---|');
    const ceps = c.n! / (c.ms! / 1000);
    row('pipeline ≥ 0.33 × raw PutItem rate (one warm instance)', `${eps.toFixed(0)} events/s`, `${wps.toFixed(0)} writes/s`, `${(eps / wps).toFixed(2)} ×`, eps / wps >= 0.33);
    row('≤ 3 DynamoDB requests per real update (one warm instance)', `${(p.realRequests! / p.real!).toFixed(2)} (${p.real} updates)`, '1 (a PutItem)', `${(p.realRequests! / p.real!).toFixed(2)} ×`, p.realRequests! / p.real! <= 3);
    row('the same, every delivery on a cold instance (no claim cache)', `${ceps.toFixed(0)} events/s, ${(c.realRequests! / c.real!).toFixed(2)} requests per real update`, `${wps.toFixed(0)} writes/s`, `${(ceps / wps).toFixed(2)} ×`, c.realRequests! / c.real! <= 3 ? null : false);
    row('requests per duplicate / backup copy (aim 1)', `${(p.dupRequests! / Math.max(1, p.dup!)).toFixed(2)} (${p.dup} copies)`, '1', `${(p.dupRequests! / Math.max(1, p.dup!)).toFixed(2)} ×`, p.dupRequests! / Math.max(1, p.dup!) <= 2);
    row('pipeline max RSS (own process)', `${p.maxRssMiB!.toFixed(0)} MiB`, `${r.maxRssMiB!.toFixed(0)} MiB`, `${(p.maxRssMiB! / r.maxRssMiB!).toFixed(2)} ×`, null);
    row('10 000 entities, 1 covered', `${(big1.ms! / 1000).toFixed(2)} s, ${big1.requests} requests, ${big1.maxRssMiB!.toFixed(0)} MiB`, '–', '–', big1.ms! < 5000 && big1.maxRssMiB! < 256);
    row(
      '10 000 entities all covered < 5 s, < 256 MB RSS',
      `${(bigN.ms! / 1000).toFixed(2)} s, ${bigN.requests} requests, ${bigN.maxRssMiB!.toFixed(0)} MiB max RSS; ${bigN.claims} claim (fleet of ${bigN.fleetResources} resources, ${bigN.itemBytes} B)`,
      `raw BatchWrite of 10 000 × ${PER_RESOURCE_CLAIM_BYTES} B (the per-resource claims it replaces): ${(bigRaw.ms! / 1000).toFixed(2)} s, ${bigRaw.requests} requests, ${bigRaw.maxRssMiB!.toFixed(0)} MiB`,
      `${(bigN.ms! / bigRaw.ms!).toFixed(2)} × time`,
      bigN.ms! < 5000 && bigN.maxRssMiB! < 256,
    );
    row('its backup copy (duplicate)', `${(bigN.dupMs! / 1000).toFixed(2)} s, ${bigN.dupRequests} requests`, '–', '–', null);
  } finally {
    await local.stop();
  }
}

const [mode, endpoint, side, bytes] = process.argv.slice(2);
if (mode === 'child') await child(endpoint!, side as 'raw' | 'pipeline' | 'pipeline-cold', Number(bytes));
else await main();
