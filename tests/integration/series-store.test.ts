import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeSeries } from '../../src/metrics/types.ts';
import type { Db } from '../../src/store/clients.ts';
import { decodeSeries, DynamoSeriesStore, encodeSeries, MAX_CHUNKS, seriesKeys } from '../../src/store/series-store.ts';
import { freshDb } from '../helpers/db.ts';

let db: Db;
let store: DynamoSeriesStore;
beforeAll(async () => {
  db = await freshDb('series');
  store = new DynamoSeriesStore(db);
});
afterAll(() => db.client.destroy());

const FROM = Date.parse('2025-10-20T05:48:00Z');

function series(intervals: number, value: (i: number) => number = (i) => i % 7, periodSeconds = 60): ScopeSeries {
  return {
    account: '123456789012',
    region: 'us-east-1',
    slaId: 'dynamodb',
    resource: null,
    kind: 'error-rate',
    periodSeconds,
    metrics: ['AWS/DynamoDB SuccessfulRequestLatency (SampleCount)', 'AWS/DynamoDB SystemErrors (Sum)'],
    resourceCount: 2,
    fromMs: FROM,
    toMs: FROM + intervals * periodSeconds * 1000,
    points: Array.from({ length: intervals }, (_, i) => ({ startMs: FROM + i * periodSeconds * 1000, total: 1000 + value(i), failed: value(i) })).filter((_, i) => i % 10 !== 3),
    unmeasured: [FROM + 3 * periodSeconds * 1000],
  };
}

const meta = (collectedAt: string) => ({ windowsKey: 'k1', final: true, collectedAt, calls: 3 });

async function chunkKeys(claimId: string): Promise<string[]> {
  const out = await db.doc.send(new QueryCommand({ TableName: db.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)', ExpressionAttributeValues: { ':pk': seriesKeys.head(claimId).pk, ':c': 'CHUNK#' } }));
  return (out.Items ?? []).map((i) => i.sk as string);
}

describe('DynamoSeriesStore on DynamoDB Local', () => {
  it('stores a month of 1-minute intervals compressed in one chunk and reads back exactly the same series', async () => {
    const s = series(44_640);
    const head = await store.put('c1', s, meta('2025-10-20T12:00:00.000Z'));
    expect(head).toMatchObject({ claimId: 'c1', chunks: 1, pointCount: s.points.length, unmeasuredCount: 1, windowsKey: 'k1', final: true });
    expect(head!.bytes).toBeLessThan(300 * 1024);
    const back = await store.get('c1');
    expect(back!.series).toEqual(s);
    expect((await store.heads(['c1', 'missing'])).get('c1')).toMatchObject({ generation: head!.generation });
  });

  it('splits an incompressible series over several chunks under the item limit', async () => {
    const noisy = series(60_000, () => randomBytes(4).readUInt32BE() / 7);
    const head = await store.put('c2', noisy, meta('2025-10-20T12:00:00.000Z'));
    expect(head!.chunks).toBeGreaterThan(1);
    expect((await store.get('c2'))!.series).toEqual(noisy);
  });

  it('a new read replaces the old one and deletes its chunks; an older read never replaces a newer one', async () => {
    const first = await store.put('c3', series(100), meta('2025-10-20T12:00:00.000Z'));
    const second = await store.put('c3', series(200), meta('2025-10-20T12:15:00.000Z'));
    expect(await chunkKeys('c3')).toEqual([`CHUNK#${second!.generation}#00000`]);
    const stale = await store.put('c3', series(50), meta('2025-10-20T12:05:00.000Z'));
    expect(stale).toBeNull();
    expect(await chunkKeys('c3')).toEqual([`CHUNK#${second!.generation}#00000`]);
    expect((await store.get('c3'))!.series.toMs).toBe(series(200).toMs);
    expect(first!.generation < second!.generation).toBe(true);
  });

  it('marks a read final only while it is still the stored one', async () => {
    const first = await store.put('c5', series(10), { ...meta('2025-10-20T12:00:00.000Z'), final: false });
    await store.markFinal('c5', first!.generation);
    expect((await store.heads(['c5'])).get('c5')!.final).toBe(true);
    const second = await store.put('c5', series(20), { ...meta('2025-10-20T12:15:00.000Z'), final: false });
    await store.markFinal('c5', first!.generation);
    expect((await store.heads(['c5'])).get('c5')).toMatchObject({ generation: second!.generation, final: false });
  });

  it('refuses a series over its byte bound, naming the claim, and writes nothing', async () => {
    expect(MAX_CHUNKS * 300 * 1024).toBeLessThan(10 * 1024 * 1024);
    const huge = series(60_000, () => randomBytes(4).readUInt32BE() / 7);
    await expect(new DynamoSeriesStore(db, 1).put('c4', huge, meta('2025-10-20T12:00:00.000Z'))).rejects.toThrow(/series of claim c4: \d+ bytes compressed, over the \d+-byte bound/);
    expect(await store.get('c4')).toBeNull();
    expect(await chunkKeys('c4')).toEqual([]);
  });

  it('encodes columnar and decodes to the same points', () => {
    const s = series(30);
    expect(decodeSeries(encodeSeries(s))).toEqual(s);
  });
});
