import { describe, expect, it } from 'vitest';
import { MONTH_SUMMARY_ATTRIBUTES, MONTH_SUMMARY_INDEX, tableDefinition } from '../../src/store/table.ts';
import { SUMMARY_FIELDS } from '../../src/summary/model.ts';

describe('the narrow month index definition', () => {
  it('projects exactly the fields the summary reads (a field missing from it would read as absent)', () => {
    expect([...MONTH_SUMMARY_ATTRIBUTES].sort()).toEqual([...SUMMARY_FIELDS].sort());
  });

  it('is an INCLUDE index on the month keys, within DynamoDB’s 20 projected attributes', () => {
    const index = tableDefinition('t').GlobalSecondaryIndexes!.find((i) => i.IndexName === MONTH_SUMMARY_INDEX)!;
    expect(index.KeySchema).toEqual([
      { AttributeName: 'gsi1pk', KeyType: 'HASH' },
      { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
    ]);
    expect(index.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: [...MONTH_SUMMARY_ATTRIBUTES] });
    expect(MONTH_SUMMARY_ATTRIBUTES.length).toBeLessThanOrEqual(20);
  });
});
