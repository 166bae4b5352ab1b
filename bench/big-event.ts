/**
 * One Health event with 10 000 affected entities through the real pipeline, in its own process so the peak
 * memory figure is this event's. Args: DYNAMODB_ENDPOINT MODE (one | resources). Used by pipeline.bench.ts.
 */
import { parseContract } from '../src/contract/contract.ts';
import { healthEnvelope } from '../tests/helpers/event-builder.ts';
import { ingestRaw } from '../src/pipeline/ingest.ts';
import { NO_SPEND } from '../src/spend/spend.ts';
import { DynamoClaimStore } from '../src/store/claim-store.ts';
import { createLocalDb } from '../src/store/clients.ts';
import { ensureTable } from '../src/store/table.ts';

const [endpoint, mode = 'one'] = process.argv.slice(2);
if (!endpoint) throw new Error('usage: big-event.ts DYNAMODB_ENDPOINT [one|resources]');
const db = createLocalDb(`bench-big-${mode}`, endpoint);
await ensureTable(db.client, db.tableName);
let requests = 0;
db.doc.middlewareStack.add((next) => async (args) => {
  requests++;
  return next(args);
}, { step: 'initialize', name: 'benchRequestCounter' });

const contract = parseContract({
  accounts: ['*'],
  coverage:
    mode === 'resources'
      ? [{ service: 'EC2', sla: 'ec2-instance', resources: ['*'] }]
      : [{ service: 'EC2', sla: 'ec2-instance', resources: ['i-0000000000000002a'] }],
});
const entities = Array.from({ length: 10_000 }, (_, i) => ({
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
const heapBefore = process.memoryUsage().heapUsed;
let peakHeap = heapBefore;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
const t0 = performance.now();
const outcome = await ingestRaw(raw, 'bench', { db, claims: new DynamoClaimStore(db), contract, spend: NO_SPEND, now: () => Date.parse('2025-11-02T00:00:00Z') });
const ms = performance.now() - t0;
clearInterval(sampler);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
const claims = outcome.kind === 'processed' ? outcome.claims.length : 0;
console.log(
  `one event, 10 000 affected entities (${(payloadBytes / 1024).toFixed(0)} KB), ${mode === 'resources' ? 'every entity covered' : 'one entity covered'} → ${claims} claims: ` +
    `${(ms / 1000).toFixed(2)} s, ${requests} DynamoDB requests, peak heap +${((peakHeap - heapBefore) / 2 ** 20).toFixed(0)} MiB ` +
    `(${(peakHeap / 2 ** 20).toFixed(0)} MiB), max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
db.client.destroy();
