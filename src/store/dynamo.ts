/**
 * Small DynamoDB helpers shared by the repositories: every page of a Query, BatchWrite with its retries, and
 * recognising a lost conditional write.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './clients.ts';

/** All items of a Query (follows LastEvaluatedKey). `TableName` is the Db's. */
/**
 * Items per Query page unless the caller says otherwise. DynamoDB Local's cost per page grows with what is left of
 * the partition when there is no Limit: reading a 10 000-item month of GSI1 (2.4 KB items) took 2.1–4.0 s without a
 * Limit and 0.44–0.55 s with 500 (2026-12-02, this machine). In AWS a page stops at 1 MB anyway (~400 such items), so
 * 500 changes nothing there.
 */
export const PAGE_LIMIT = 500;

export async function queryAll(db: Db, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(new QueryCommand({ Limit: PAGE_LIMIT, ...input, TableName: db.tableName, ExclusiveStartKey: start }));
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Puts every item, 25 per BatchWriteItem, retrying unprocessed items with backoff. */
export async function batchPutAll(db: Db, items: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      const result = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[db.tableName] ?? []) as typeof requests;
      if (requests.length > 0) {
        if (attempt >= 8) throw new Error(`BatchWriteItem: ${requests.length} items left unprocessed after retries`);
        await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
      }
    }
  }
}

/**
 * True when a write lost its condition: ConditionalCheckFailedException, or a transaction cancelled because a
 * condition failed or a concurrent transaction touched the same item (TransactionConflict).
 */
export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (error instanceof TransactionCanceledException || (error as Error)?.name === 'TransactionCanceledException') {
    const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
    return reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
  }
  return (error as Error)?.name === 'ConditionalCheckFailedException';
}
