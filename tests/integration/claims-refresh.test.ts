import { describe, expect, it } from 'vitest';
import { healthEnvelope } from '../helpers/event-builder.ts';
import { ingestRaw } from '../../src/pipeline/ingest.ts';
import { openMonths, refreshRecentClaims } from '../../src/pipeline/refresh.ts';
import { CsvSpendSource } from '../../src/spend/spend.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { freshDb } from '../helpers/db.ts';
import { deps } from '../helpers/pipeline.ts';

const open = {
  account: '123456789012',
  eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/REFRESH1',
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-31T23:00:00Z',
  lastUpdated: '2025-10-31T23:10:00Z',
  status: 'open' as const,
  description: 'Investigating increased error rates.',
};

describe('refreshing recent claims between Health updates', () => {
  it('lists this month and the two before it', () => {
    expect(openMonths(Date.parse('2026-01-15T00:00:00Z'))).toEqual(['2025-11', '2025-12', '2026-01']);
  });

  it('keeps an open outage counting, into the next month, without any new Health update', async () => {
    const table = await freshDb('refresh-open');
    await ingestRaw(healthEnvelope(open), 'test', deps(table, '2025-10-31T23:30:00Z'));
    const store = new DynamoClaimStore(table);
    expect((await store.listClaimsByMonth('2025-10'))[0]).toMatchObject({ downtimeMinutes: 30, provisional: true });
    expect(await store.listClaimsByMonth('2025-11')).toHaveLength(0);

    const result = await refreshRecentClaims(deps(table, '2025-11-01T02:00:00Z'));
    expect(result.scopes).toBe(1);
    expect((await store.listClaimsByMonth('2025-10'))[0]).toMatchObject({ downtimeMinutes: 60, provisional: true });
    expect((await store.listClaimsByMonth('2025-11'))[0]).toMatchObject({ downtimeMinutes: 120, provisional: true, chargesCents: 400000 });
    table.client.destroy();
  });

  it('reprices a claim when the month\'s charges change after it was drafted, and leaves submitted claims alone', async () => {
    const table = await freshDb('refresh-spend');
    const closed = { ...open, eventArn: `${open.eventArn}-c`, start: '2025-10-20T06:48:00Z', end: '2025-10-20T09:40:00Z', lastUpdated: '2025-10-20T09:45:00Z', status: 'closed' as const };
    const early = new CsvSpendSource('account,month,service,region,amount\n123456789012,2025-10,DYNAMODB,us-east-1,3000');
    await ingestRaw(healthEnvelope(closed), 'test', { ...deps(table, '2025-10-21T00:00:00Z'), spend: early });
    const store = new DynamoClaimStore(table);
    const [drafted] = await store.listClaimsByMonth('2025-10');
    expect(drafted).toMatchObject({ creditCents: 30000, version: 1 });

    const settled = new CsvSpendSource('account,month,service,region,amount\n123456789012,2025-10,DYNAMODB,us-east-1,4650.10');
    await refreshRecentClaims({ ...deps(table, '2025-11-06T00:00:00Z'), spend: settled });
    const [repriced] = await store.listClaimsByMonth('2025-10');
    expect(repriced).toMatchObject({ creditCents: 46501, chargesCents: 465010, version: 2 });

    await store.transition({ claimId: repriced!.claimId, from: 'draft', to: 'pending_approval', expectedVersion: 2, actor: 't', at: '2025-11-06T00:00:00.000Z' });
    await store.transition({ claimId: repriced!.claimId, from: 'pending_approval', to: 'approved', expectedVersion: 3, actor: 't', at: '2025-11-06T00:00:00.000Z' });
    await store.transition({ claimId: repriced!.claimId, from: 'approved', to: 'submitted', expectedVersion: 4, actor: 't', at: '2025-11-06T00:00:00.000Z' });
    const later = new CsvSpendSource('account,month,service,region,amount\n123456789012,2025-10,DYNAMODB,us-east-1,9999');
    const result = await refreshRecentClaims({ ...deps(table, '2025-11-20T00:00:00Z'), spend: later });
    expect(result.scopes).toBe(0);
    expect((await store.listClaimsByMonth('2025-10'))[0]).toMatchObject({ creditCents: 46501, status: 'submitted', version: 5 });
    table.client.destroy();
  });
});
