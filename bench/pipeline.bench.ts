/**
 * The real ingest pipeline on DynamoDB Local, next to raw DynamoDB Local writes in the same run:
 * - events per second through ingestRaw (parse → incident → links → claim recompute), DynamoDB requests per event;
 * - raw PutItem writes per second of the same number of items of a similar size, and the ratio;
 * - time and peak memory for one event with 10 000 affected entities (in a child process, for a clean figure),
 *   once with one entity covered by the contract and once with every entity covered by a resource-level SLA
 *   (10 000 claims).
 * Run: npm run bench:pipeline   (needs Java 17+, like npm start)
 */
import { execFileSync } from 'node:child_process';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseContract } from '../src/contract/contract.ts';
import { healthEnvelope, type EnvelopeSpec } from '../tests/helpers/event-builder.ts';
import { ingestRaw, type IngestDeps } from '../src/pipeline/ingest.ts';
import { CsvSpendSource } from '../src/spend/spend.ts';
import { DynamoClaimStore } from '../src/store/claim-store.ts';
import { createLocalDb, type Db } from '../src/store/clients.ts';
import { startLocalDynamoDb } from '../src/store/local-dynamodb.ts';
import { ensureTable } from '../src/store/table.ts';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 100);
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

function deliveries(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < INCIDENTS; i++) {
    const service = SERVICES[i % SERVICES.length]!;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const base: EnvelopeSpec = {
      account: ACCOUNTS[i % ACCOUNTS.length]!,
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

async function main() {
  const local = await startLocalDynamoDb({ tableName: 'bench-pipeline' });
  try {
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
    const requests = countRequests(local.db);
    const deps: IngestDeps = { db: local.db, claims: new DynamoClaimStore(local.db), contract, spend, now: () => Date.parse('2025-11-02T00:00:00Z') };
    const events = deliveries();
    // warm-up on a separate account so the JIT and the JVM are warm
    for (const e of deliveries().slice(0, 20)) await ingestRaw({ ...e, detail: { ...(e.detail as object), affectedAccount: '999999999999' } }, 'warm', deps);
    const before = requests();
    const t0 = performance.now();
    for (const e of events) await ingestRaw(e, 'bench', deps);
    const pipelineMs = performance.now() - t0;
    const pipelineRequests = requests() - before;
    const claims = (await deps.claims.listClaimsByMonth('2025-10')).filter((c) => c.account !== '999999999999');

    const raw = createLocalDb('bench-raw', local.endpoint);
    await ensureTable(raw.client, raw.tableName);
    const sample = JSON.stringify(claims[0] ?? {});
    const t1 = performance.now();
    for (let i = 0; i < events.length; i++) {
      await raw.doc.send(new PutCommand({ TableName: raw.tableName, Item: { pk: `RAW#${i}`, sk: 'RAW', payload: sample } }));
    }
    const rawMs = performance.now() - t1;
    raw.client.destroy();

    const eventsPerSecond = events.length / (pipelineMs / 1000);
    const writesPerSecond = events.length / (rawMs / 1000);
    console.log(`node ${process.version}, DynamoDB Local 3.x (in memory), one process, sequential`);
    console.log(`pipeline: ${events.length} deliveries (${INCIDENTS} incidents × 3 updates + 1 backup copy) → ${claims.length} claims`);
    console.log(`  ${eventsPerSecond.toFixed(1)} events/s (${(pipelineMs / events.length).toFixed(1)} ms per event)`);
    console.log(`  ${(pipelineRequests / events.length).toFixed(1)} DynamoDB requests per event`);
    console.log(`raw DynamoDB Local PutItem, same count, ~${sample.length} B items: ${writesPerSecond.toFixed(1)} writes/s (${(rawMs / events.length).toFixed(2)} ms per write)`);
    console.log(`ratio: the pipeline processes one event in the time of ${(writesPerSecond / eventsPerSecond).toFixed(1)} raw writes`);

    for (const mode of ['one', 'resources'] as const) {
      const out = execFileSync(process.execPath, ['bin/run-ts.js', 'bench/big-event.ts', local.endpoint, mode], { encoding: 'utf8' });
      process.stdout.write(out);
    }
  } finally {
    await local.stop();
  }
}

await main();
