/**
 * One Health event with 10 000 affected entities through the real pipeline, in its own process so the max RSS is
 * this event's, next to a raw baseline from the same DynamoDB Local: 10 000 items of a per-resource claim's size
 * (what this event stored before fleet claims) written with BatchWriteItem. Args: DYNAMODB_ENDPOINT MODE (one | resources | raw). Prints one JSON line.
 * Used by pipeline.bench.ts.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { parseContract } from '../src/contract/contract.ts';
import { ingestRaw } from '../src/pipeline/ingest.ts';
import { NO_SPEND } from '../src/spend/spend.ts';
import { createLocalDb } from '../src/store/clients.ts';
import { dynamoStores } from '../src/store/stores.ts';
import { ensureTable } from '../src/store/table.ts';
import { mapPool } from '../src/util/pool.ts';
import { healthEnvelope } from '../tests/helpers/event-builder.ts';

const [endpoint, mode = 'one', itemBytesArg] = process.argv.slice(2);
if (!endpoint) throw new Error('usage: big-event.ts DYNAMODB_ENDPOINT [one|resources|raw] [ITEM_BYTES]');
const db = createLocalDb(`bench-big-${mode}-${process.pid}`, endpoint);
await ensureTable(db.client, db.tableName);
let requests = 0;
/** Per command: requests and summed time in flight (ms), to see where the wall time goes. */
const byCommand: Record<string, { n: number; ms: number }> = {};
db.doc.middlewareStack.add((next, context) => async (args) => {
  requests++;
  const t = performance.now();
  try {
    return await next(args);
  } finally {
    const c = (byCommand[context.commandName ?? '?'] ??= { n: 0, ms: 0 });
    c.n++;
    c.ms += performance.now() - t;
  }
}, { step: 'initialize', name: 'benchRequestCounter' });

const N = 10_000;
if (mode === 'raw') {
  const payload = 'x'.repeat(Number(itemBytesArg ?? 2000));
  const batches = Array.from({ length: N / 25 }, (_, b) => Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: `RAW#${b * 25 + i}`, sk: 'RAW', payload } } })));
  const t0 = performance.now();
  await mapPool(batches, 8, (batch) => db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: batch } })));
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ mode, ms, requests, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  db.client.destroy();
  process.exit(0);
}

const contract = parseContract({
  accounts: ['*'],
  coverage:
    mode === 'resources'
      ? [{ service: 'EC2', sla: 'ec2-instance', resources: ['*'] }]
      : [{ service: 'EC2', sla: 'ec2-instance', resources: ['i-0000000000000002a'] }],
});
const entities = Array.from({ length: N }, (_, i) => ({
  entityValue: `arn:aws:ec2:us-east-1:123456789012:instance/i-${i.toString(16).padStart(17, '0')}`,
  status: 'IMPAIRED',
}));
const raw = healthEnvelope({
  account: '123456789012',
  eventArn: `arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_BIG_${mode}`,
  service: 'EC2',
  eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
  scope: 'ACCOUNT_SPECIFIC',
  region: 'us-east-1',
  start: '2025-10-20T06:48:00Z',
  end: '2025-10-20T09:40:00Z',
  lastUpdated: '2025-10-20T09:45:00Z',
  status: 'closed',
  description: 'Connectivity issues for instances in a single Availability Zone.',
  entities,
});
const payloadBytes = JSON.stringify(raw).length;
const deps = { ...dynamoStores(db), contract, spend: NO_SPEND, now: () => Date.parse('2025-11-02T00:00:00Z') };
const t0 = performance.now();
const outcome = await ingestRaw(raw, 'bench', deps);
const ms = performance.now() - t0;
const firstRequests = requests;
const firstByCommand = JSON.stringify(byCommand);
const t1 = performance.now();
await ingestRaw(raw, 'bench', deps); // the same event again (a backup-Region copy)
const dupMs = performance.now() - t1;
const claims = outcome.kind === 'processed' ? outcome.claims.length : 0;
const itemBytes = outcome.kind === 'processed' && outcome.claims[0] ? JSON.stringify(outcome.claims[0]).length : 0;
const fleetResources = outcome.kind === 'processed' ? outcome.claims.reduce((n, c) => n + (c.fleet?.resourceCount ?? 0), 0) : 0;
console.log(
  JSON.stringify({ mode, payloadKiB: payloadBytes / 1024, claims, fleetResources, ms, requests: firstRequests, dupMs, dupRequests: requests - firstRequests, itemBytes, byCommand: JSON.parse(firstByCommand), maxRssMiB: process.resourceUsage().maxRSS / 1024 }),
);
db.client.destroy();
