/**
 * Quarantine: whatever cannot be processed is kept, never dropped — the raw payload (gzip-compressed, split over
 * several items when large) with a reason that names the field and the value.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../store/clients.ts';
import { batchPutAll, queryAll } from '../store/dynamo.ts';
import { GSI1, keys } from '../store/table.ts';
import { boundUtf8, describeValue, jsonStringifyIterative } from '../util/describe-value.ts';

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
/** UTF-8 bytes of the reason, source and field kept on the record item (the raw payload is stored separately). */
export const MAX_REASON_BYTES = 4096;
const MAX_SOURCE_BYTES = 1024;
const MAX_FIELD_BYTES = 512;
/** Characters of the stand-in stored when a payload cannot be serialised at all (a cycle, a BigInt). */
const MAX_STAND_IN_CHARS = 64 * 1024;

/**
 * The payload as text, exactly as it arrived: a string is kept as is; anything else is its JSON (what arrived as
 * JSON serialises back to the same value), computed without recursion when JSON.stringify overflows the stack.
 * Only a value JSON cannot represent gets a bounded, labelled stand-in, and `note` says so.
 */
export function rawText(raw: unknown): { text: string; note?: string } {
  if (typeof raw === 'string') return { text: raw };
  try {
    const text = JSON.stringify(raw);
    if (text !== undefined) return { text };
  } catch {
    // RangeError (too deep), a cycle or a BigInt: the iterative serialiser tells them apart.
  }
  try {
    const text = jsonStringifyIterative(raw);
    if (text !== undefined) return { text };
  } catch (error) {
    const why = (error as Error).message;
    return {
      text: `[sla-claims: raw payload not serialisable as JSON (${why}); bounded description follows] ${describeValue(raw, MAX_STAND_IN_CHARS)}`,
      note: `raw payload not serialisable as JSON (${why}): a bounded description is stored instead`,
    };
  }
  return { text: describeValue(raw), note: 'raw payload has no JSON form: its description is stored instead' };
}

export class QuarantineStore {
  constructor(private readonly db: Db) {}

  /** Stores the raw payload and the reason. The same payload quarantined twice is one record (id = its SHA-256). */
  async put(raw: unknown, source: string, reason: string, receivedAt: string, field?: string): Promise<QuarantineRecord> {
    const { text, note } = rawText(raw);
    const id = createHash('sha256').update(text).digest('hex').slice(0, 32);
    const packed = gzipSync(Buffer.from(text, 'utf8'));
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < packed.length; offset += CHUNK_BYTES) chunks.push(packed.subarray(offset, offset + CHUNK_BYTES));
    // Reason, source and field come from the payload: bounded, so the record item stays small whatever arrived.
    const record: QuarantineRecord = {
      id,
      source: boundUtf8(source, MAX_SOURCE_BYTES),
      reason: boundUtf8(note ? `${reason}; ${note}` : reason, MAX_REASON_BYTES),
      receivedAt,
      rawBytes: Buffer.byteLength(text),
      ...(field ? { field: boundUtf8(field, MAX_FIELD_BYTES) } : {}),
    };
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
    await batchPutAll(this.db, items);
    return record;
  }

  async list(): Promise<QuarantineRecord[]> {
    const items = await queryAll(this.db, {
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :q',
      ExpressionAttributeValues: { ':q': 'QUARANTINE' },
    });
    return items.map((item) => {
      const { id, source, reason, field, receivedAt, rawBytes } = item as unknown as QuarantineRecord;
      return { id, source, reason, receivedAt, rawBytes, ...(field ? { field } : {}) };
    });
  }

  /** The raw payload exactly as received. */
  async raw(id: string): Promise<string> {
    const head = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: keys.quarantine(id), ConsistentRead: true }));
    if (!head.Item) throw new Error(`quarantine ${id}: not found`);
    const chunks = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :raw)',
      ExpressionAttributeValues: { ':pk': keys.quarantine(id).pk, ':raw': 'RAW#' },
      ConsistentRead: true,
    });
    const parts = chunks.map((item) => Buffer.from(item.data as Uint8Array));
    return gunzipSync(Buffer.concat(parts)).toString('utf8');
  }
}
