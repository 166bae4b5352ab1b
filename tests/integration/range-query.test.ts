/**
 * The concurrent range read of one index partition (`src/store/range-query.ts`) returns exactly the partition's
 * items, once each, whatever the key distribution and the concurrency, on DynamoDB Local (small pages).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/clients.ts';
import { batchPutAll } from '../../src/store/dynamo.ts';
import { queryPartitionInRanges, splitPoints } from '../../src/store/range-query.ts';
import { GSI1 } from '../../src/store/table.ts';
import { freshDb } from '../helpers/db.ts';

const utf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('splitPoints', () => {
  it('returns strictly increasing strings strictly between low and high (UTF-8 order)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.integer({ min: 2, max: 16 }), (a, b, n) => {
        const [low, high] = utf8(a, b) <= 0 ? [a, b] : [b, a];
        const points = splitPoints(low, high, n);
        expect(points.length).toBeLessThanOrEqual(n - 1);
        let previous = low;
        for (const p of points) {
          expect(utf8(previous, p)).toBeLessThan(0);
          previous = p;
        }
        if (points.length) expect(utf8(previous, high)).toBeLessThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('spreads sequential instance ids', () => {
    const points = splitPoints('123456789012#ec2#i-00000000000000100', '123456789012#ec2#i-00000000000002710', 4);
    expect(points).toHaveLength(3);
  });
});

describe('queryPartitionInRanges on DynamoDB Local', () => {
  let db: Db;
  const sortKeys = [
    ...Array.from({ length: 300 }, (_, i) => `123456789012#ec2-instance#arn:aws:ec2:us-east-1:123456789012:instance/i-${i.toString(16).padStart(17, '0')}`),
    ...Array.from({ length: 60 }, (_, i) => `${String(i * 16_661).padStart(12, '9')}#dynamodb#us-east-1`),
    // keys that equal likely cut points, a prefix of another key, and non-ASCII
    '1', '2', '123456789012', '123456789012#', 'été#x', '\u{1F600}#emoji', '~~~',
  ];
  beforeAll(async () => {
    db = await freshDb('ranges');
    await batchPutAll(db, [
      ...sortKeys.map((k, i) => ({ pk: `ITEM#${i}`, sk: 'ITEM', gsi1pk: 'P', gsi1sk: k, n: i })),
      { pk: 'OTHER', sk: 'ITEM', gsi1pk: 'Q', gsi1sk: '5' },
    ]);
  });
  afterAll(() => db?.client.destroy());

  for (const concurrency of [1, 3, 8]) {
    it(`reads every item once with concurrency ${concurrency}`, async () => {
      const { items, queries } = await queryPartitionInRanges(db, {
        indexName: GSI1,
        partitionAttribute: 'gsi1pk',
        partitionValue: 'P',
        sortAttribute: 'gsi1sk',
        itemKey: ['pk', 'sk'],
        concurrency,
        pageSize: 25,
        attributes: ['n'],
      });
      expect(items.map((i) => i.n).sort((a, b) => Number(a) - Number(b))).toEqual(sortKeys.map((_, i) => i));
      expect(queries).toBeGreaterThanOrEqual(Math.ceil(sortKeys.length / 25));
      expect(Object.keys(items[0]!).sort()).toEqual(['gsi1pk', 'gsi1sk', 'n', 'pk', 'sk']);
    });
  }

  it('reads a one-page partition with one Query', async () => {
    const { items, queries } = await queryPartitionInRanges(db, {
      indexName: GSI1, partitionAttribute: 'gsi1pk', partitionValue: 'Q', sortAttribute: 'gsi1sk', itemKey: ['pk', 'sk'],
    });
    expect(items).toHaveLength(1);
    expect(queries).toBe(1);
  });
});
