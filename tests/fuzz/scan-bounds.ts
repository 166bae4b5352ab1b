/** Scans a whole table after a run and reports every item over 400 KB and every key over its byte limit. */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Db } from '../../src/store/clients.ts';

export const MAX_ITEM_BYTES = 400 * 1024;
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** DynamoDB's item size rules: attribute names + values (numbers ≈ 1 byte per 2 significant digits + 1). */
export function attributeSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n, s) => n + utf8(s), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + s.length, 0);
  if (v.BS) return v.BS.reduce((n, b) => n + b.length, 0);
  if (v.L) return 3 + v.L.reduce((n, e) => n + 1 + attributeSize(e), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, e]) => n + 1 + utf8(k) + attributeSize(e), 0);
  return 0;
}

export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((n, [k, v]) => n + utf8(k) + attributeSize(v), 0);
}

export interface BoundsReport {
  items: number;
  maxItemBytes: number;
  maxPartitionKeyBytes: number;
  maxSortKeyBytes: number;
  violations: string[];
}

export async function scanBounds(db: Db): Promise<BoundsReport> {
  const report: BoundsReport = { items: 0, maxItemBytes: 0, maxPartitionKeyBytes: 0, maxSortKeyBytes: 0, violations: [] };
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.client.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      report.items++;
      const size = itemSize(item);
      const id = `${(item.pk?.S ?? '').slice(0, 60)} / ${(item.sk?.S ?? '').slice(0, 40)}`;
      report.maxItemBytes = Math.max(report.maxItemBytes, size);
      if (size > MAX_ITEM_BYTES) report.violations.push(`item ${id}: ${size} bytes > ${MAX_ITEM_BYTES}`);
      for (const [name, limit, kind] of [['pk', MAX_PARTITION_KEY_BYTES, 'partition'], ['gsi1pk', MAX_PARTITION_KEY_BYTES, 'partition'], ['sk', MAX_SORT_KEY_BYTES, 'sort'], ['gsi1sk', MAX_SORT_KEY_BYTES, 'sort']] as const) {
        const value = item[name]?.S;
        if (value === undefined) continue;
        const bytes = utf8(value);
        if (kind === 'partition') report.maxPartitionKeyBytes = Math.max(report.maxPartitionKeyBytes, bytes);
        else report.maxSortKeyBytes = Math.max(report.maxSortKeyBytes, bytes);
        if (bytes > limit) report.violations.push(`${name} of ${id}: ${bytes} bytes > ${limit}`);
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return report;
}
