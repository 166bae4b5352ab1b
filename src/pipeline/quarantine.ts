/**
 * Quarantine: whatever cannot be processed is kept, never dropped — the raw payload (gzip-compressed, split over
 * several items when large) with a reason that names the field and the value.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../store/clients.ts';
import { GSI1, keys } from '../store/table.ts';

export interface QuarantineRecord {
  id: string;
  source: string;
  reason: string;
  field?: string;
  /** UTC ISO-8601. */
  receivedAt: string;
  rawBytes: number;
}

/** Raw bytes per item: well under DynamoDB's 400 KB item limit. */
const CHUNK_BYTES = 300 * 1024;

export class QuarantineStore {
  constructor(private readonly db: Db) {}

  /** Stores the raw payload and the reason. The same payload quarantined twice is one record (id = its SHA-256). */
  async put(raw: unknown, source: string, reason: string, receivedAt: string, field?: string): Promise<QuarantineRecord> {
    const text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
    const id = createHash('sha256').update(text).digest('hex').slice(0, 32);
    const packed = gzipSync(Buffer.from(text, 'utf8'));
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < packed.length; offset += CHUNK_BYTES) chunks.push(packed.subarray(offset, offset + CHUNK_BYTES));
    const record: QuarantineRecord = { id, source, reason, receivedAt, rawBytes: Buffer.byteLength(text), ...(field ? { field } : {}) };
    const items = [
      {
        ...keys.quarantine(id),
        gsi1pk: 'QUARANTINE',
        gsi1sk: `${receivedAt}#${id}`,
        type: 'quarantine',
        ...record,
        chunks: chunks.length,
      },
      ...chunks.map((chunk, n) => ({ pk: keys.quarantine(id).pk, sk: `RAW#${String(n).padStart(5, '0')}`, type: 'quarantine-raw', data: chunk })),
    ];
    for (let i = 0; i < items.length; i += 25) {
      let requests: Record<string, unknown>[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await this.db.doc.send(new BatchWriteCommand({ RequestItems: { [this.db.tableName]: requests as never } }));
        requests = (result.UnprocessedItems?.[this.db.tableName] ?? []) as Record<string, unknown>[];
        if (requests.length && attempt > 10) throw new Error('quarantine: DynamoDB kept items unprocessed');
        if (requests.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    return record;
  }

  async list(): Promise<QuarantineRecord[]> {
    const out: QuarantineRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: GSI1,
          KeyConditionExpression: 'gsi1pk = :q',
          ExpressionAttributeValues: { ':q': 'QUARANTINE' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of result.Items ?? []) {
        const { id, source, reason, field, receivedAt, rawBytes } = item as QuarantineRecord;
        out.push({ id, source, reason, receivedAt, rawBytes, ...(field ? { field } : {}) });
      }
      start = result.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** The raw payload exactly as received. */
  async raw(id: string): Promise<string> {
    const head = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: keys.quarantine(id), ConsistentRead: true }));
    if (!head.Item) throw new Error(`quarantine ${id}: not found`);
    const parts: Buffer[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :raw)',
          ExpressionAttributeValues: { ':pk': keys.quarantine(id).pk, ':raw': 'RAW#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of result.Items ?? []) parts.push(Buffer.from(item.data as Uint8Array));
      start = result.LastEvaluatedKey;
    } while (start);
    return gunzipSync(Buffer.concat(parts)).toString('utf8');
  }
}
