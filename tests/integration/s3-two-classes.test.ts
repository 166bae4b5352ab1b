/**
 * One S3 event under a contract covering both S3 SLAs in one Region: two claims, each credited on its own storage
 * classes' charges only (src/sla/credit-bases.ts), so no dollar is credited twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { healthEnvelope } from '../helpers/event-builder.ts';
import { ingestRaw } from '../../src/pipeline/ingest.ts';
import { parseContract } from '../../src/contract/contract.ts';
import { CsvSpendSource } from '../../src/spend/spend.ts';
import { dynamoStores } from '../../src/store/stores.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';

let db: Db;
beforeAll(async () => {
  db = await freshDb('s3-classes');
});
afterAll(() => db.client.destroy());

it('drafts an s3-standard and an s3-infrequent-access claim, each on its own classes, from one S3 event', async () => {
  const contract = parseContract({ accounts: ['123456789012'], coverage: [{ service: 'S3', regions: ['us-east-1'], sla: 's3-standard' }, { service: 'S3', regions: ['us-east-1'], sla: 's3-infrequent-access' }] });
  const spend = new CsvSpendSource(
    [
      'account,month,service,region,amount,usage_type',
      '123456789012,2025-10,S3,us-east-1,1000.00,TimedStorage-ByteHrs',
      '123456789012,2025-10,S3,us-east-1,400.00,TimedStorage-SIA-ByteHrs',
      '123456789012,2025-10,S3,us-east-1,300.00,DataTransfer-Out-Bytes',
    ].join('\n'),
  );
  const deps = { ...dynamoStores(db), contract, spend, now: () => Date.parse('2025-11-02T00:00:00Z') };
  const outcome = await ingestRaw(
    healthEnvelope({
      account: '123456789012',
      eventArn: 'arn:aws:health:us-east-1::event/S3/AWS_S3_OPERATIONAL_ISSUE/AWS_S3_OPERATIONAL_ISSUE_TWO_CLASSES',
      service: 'S3',
      eventTypeCode: 'AWS_S3_OPERATIONAL_ISSUE',
      region: 'us-east-1',
      start: '2025-10-20T07:00:00Z',
      end: '2025-10-20T09:00:00Z',
      lastUpdated: '2025-10-20T09:10:00Z',
      status: 'closed',
      description: 'Increased error rates for S3 in US-EAST-1. Resolved.',
    }),
    'test',
    deps,
  );
  expect(outcome.kind).toBe('processed');
  const claims = (await deps.claims.listClaimsByMonth('2025-10')).sort((a, b) => a.slaId.localeCompare(b.slaId));
  // 120 minutes down: 99.73 % uptime. s3-standard (< 99.9 %): 10 % of $1,000.00; s3-infrequent-access has a 99.0 %
  // commitment, which 99.73 % meets: no credit on its $400.00. Data transfer counts in neither.
  expect(claims.map((c) => [c.slaId, c.chargesCents, c.creditPercent, c.creditCents])).toEqual([
    ['s3-infrequent-access', 40000, 0, 0],
    ['s3-standard', 100000, 10, 10000],
  ]);
});
