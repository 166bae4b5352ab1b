/**
 * Issue 10, rule 4, through the real pipeline (DynamoDB Local): a MULTIPLE_SERVICES service impacted, recovered and
 * impacted again gets one claim whose downtime is the union of its periods, in whatever order and however often the
 * updates arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { ingestRaw } from '../../src/pipeline/ingest.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';
import { deps } from '../helpers/pipeline.ts';

const multi: Omit<EnvelopeSpec, 'lastUpdated' | 'status' | 'description'> = {
  account: '123456789012',
  eventArn: 'arn:aws:health:us-east-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/REIMPACT',
  service: 'MULTIPLE_SERVICES',
  eventTypeCode: 'AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:48:00Z',
  end: null,
};
const recovered = (codes: string) => `The following AWS services were previously impacted but are now operating normally: ${codes}.`;
const impacted = (codes: string) => `The following AWS services are impacted: ${codes}.`;

const UPDATES = [
  healthEnvelope({ ...multi, lastUpdated: '2025-10-20T06:50:00Z', status: 'open', description: `We are investigating increased error rates.\n\n${impacted('DYNAMODB')}` }),
  healthEnvelope({ ...multi, lastUpdated: '2025-10-20T06:51:00Z', status: 'open', description: impacted('DYNAMODB, LAMBDA') }),
  healthEnvelope({ ...multi, lastUpdated: '2025-10-20T09:00:00Z', status: 'open', description: `${recovered('LAMBDA')}\n\n${impacted('DYNAMODB')}` }),
  healthEnvelope({ ...multi, lastUpdated: '2025-10-20T09:40:00Z', status: 'open', description: recovered('LAMBDA, DYNAMODB') }),
  healthEnvelope({ ...multi, lastUpdated: '2025-10-20T12:00:00Z', status: 'open', description: `${recovered('DYNAMODB')}\n\n${impacted('LAMBDA')}` }),
  healthEnvelope({ ...multi, lastUpdated: '2025-10-20T13:00:00Z', status: 'open', description: recovered('DYNAMODB, LAMBDA') }),
  healthEnvelope({ ...multi, end: '2025-10-20T21:20:00Z', lastUpdated: '2025-10-20T21:53:00Z', status: 'closed', description: recovered('DYNAMODB, LAMBDA') }),
];

let db: Db;
beforeAll(async () => {
  db = await freshDb('windows');
});
afterAll(() => db.client.destroy());

async function replay(order: number[]) {
  const table = await freshDb('windows-order');
  const d = deps(table);
  for (const i of order) await ingestRaw(UPDATES[i]!, `u${i}`, d);
  const claims = await new DynamoClaimStore(table).listClaimsByMonth('2025-10');
  table.client.destroy();
  return Object.fromEntries(claims.map((c) => [c.slaId, { down: c.downtimeMinutes, credit: c.creditCents, evidence: c.evidence.map((e) => ({ start: e.startTime, end: e.endTime, periods: e.periods })) }]));
}

describe('MULTIPLE_SERVICES windows through ingest', () => {
  it('a re-impacted service counts both periods (06:51–09:00 and 12:00–13:00 = 189 min), DynamoDB from the event start', async () => {
    const result = await replay([0, 1, 2, 3, 4, 5, 6]);
    expect(result.dynamodb!.down).toBe(172);
    expect(result.lambda!.down).toBe(129 + 60);
    expect(result.lambda!.evidence).toEqual([
      {
        start: '2025-10-20T06:51:00.000Z',
        end: '2025-10-20T13:00:00.000Z',
        periods: [
          { startTime: '2025-10-20T06:51:00.000Z', endTime: '2025-10-20T09:00:00.000Z' },
          { startTime: '2025-10-20T12:00:00.000Z', endTime: '2025-10-20T13:00:00.000Z' },
        ],
      },
    ]);
  });

  it('gives the same claims whatever the arrival order, with duplicates', async () => {
    const forward = await replay([0, 1, 2, 3, 4, 5, 6]);
    expect(await replay([6, 5, 4, 3, 2, 1, 0])).toEqual(forward);
    expect(await replay([4, 6, 0, 4, 2, 5, 1, 3, 6, 0])).toEqual(forward);
  });
});
