/**
 * The measured series of a claim, kept as evidence the moment it is read: CloudWatch keeps 1-minute data 15 days and
 * 5-minute data 63 days, claims are filed up to two months later.
 *
 * Items (one table, see table.ts): head `SERIES#<claimId>` / `SERIES` (what was read, when, for which windows) and
 * the gzip-compressed series in chunks `SERIES#<claimId>` / `CHUNK#<generation>#<n>` of ≤ 300 KB (DynamoDB items
 * are at most 400 KB), like the quarantine. A new collection writes its chunks first, then the head (only if no newer
 * collection's head is there), then deletes the previous generation's chunks: a reader never sees a mix.
 * Bounded: at most MAX_CHUNKS chunks (a month of 1-minute intervals compresses to well under one).
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScopeSeries } from '../metrics/types.ts';
import { boundUtf8 } from '../util/describe-value.ts';
import type { Db } from './clients.ts';
import { isConditionFailure, queryAll } from './dynamo.ts';

const CHUNK_BYTES = 300 * 1024;
export const MAX_CHUNKS = 32;
const MAX_LABEL_BYTES = 512;
const MAX_METRICS = 20;
const MAX_NOTE_BYTES = 1024;

export interface SeriesMeta {
  /** Hash of the claim windows the span was read for: a changed window means read again. */
  windowsKey: string;
  /**
   * True once the span reaches the last window's end + 1 h (nothing more to read unless a window changes) and the
   * claim was recomputed from it (collection stores with false, recomputes, then marks it: a failed recompute is
   * retried by the next run).
   */
  final: boolean;
  /** UTC ISO-8601. */
  collectedAt: string;
  /** GetMetricData requests the read took. */
  calls?: number;
  note?: string;
}

export interface SeriesHead extends SeriesMeta {
  claimId: string;
  slaId: string;
  account: string;
  region: string;
  kind: ScopeSeries['kind'];
  periodSeconds: number;
  metrics: string[];
  resourceCount: number;
  fromMs: number;
  toMs: number;
  pointCount: number;
  unmeasuredCount: number;
  /** Compressed bytes of the series. */
  bytes: number;
  chunks: number;
  generation: string;
}

export interface StoredSeries {
  head: SeriesHead;
  series: ScopeSeries;
}

/** What collection needs: which claims were read for which windows, and storing a read. */
export interface SeriesEvidenceStore {
  heads(claimIds: readonly string[]): Promise<Map<string, SeriesHead>>;
  /** Stores a read; null when a newer read of the claim is already stored (this one is dropped). */
  put(claimId: string, series: ScopeSeries, meta: SeriesMeta): Promise<SeriesHead | null>;
  /** Marks a stored read final (once the claim was recomputed from it), if it is still the stored one. */
  markFinal(claimId: string, generation: string): Promise<void>;
}

export const seriesKeys = {
  head: (claimId: string) => ({ pk: `SERIES#${claimId}`, sk: 'SERIES' }),
  chunk: (claimId: string, generation: string, n: number) => ({ pk: `SERIES#${claimId}`, sk: `CHUNK#${generation}#${String(n).padStart(5, '0')}` }),
};

/** Columnar JSON (starts as deltas of the period) then gzip: ~5 bytes an interval. */
export function encodeSeries(series: ScopeSeries): Buffer {
  const { points, unmeasured, ...rest } = series;
  const p = series.periodSeconds * 1000;
  const offsets = points.map((pt) => Math.round((pt.startMs - series.fromMs) / p));
  const body = {
    v: 1,
    ...rest,
    at: offsets,
    total: points.map((pt) => pt.total),
    failed: points.map((pt) => pt.failed),
    gaps: (unmeasured ?? []).map((ms) => Math.round((ms - series.fromMs) / p)),
  };
  return gzipSync(Buffer.from(JSON.stringify(body), 'utf8'));
}

export function decodeSeries(packed: Buffer): ScopeSeries {
  const body = JSON.parse(gunzipSync(packed).toString('utf8')) as Omit<ScopeSeries, 'points' | 'unmeasured'> & { v: number; at: number[]; total: number[]; failed: number[]; gaps: number[] };
  if (body.v !== 1) throw new Error(`stored series: unknown encoding version ${JSON.stringify(body.v)}`);
  const { v: _v, at, total, failed, gaps, ...rest } = body;
  const p = body.periodSeconds * 1000;
  return {
    ...rest,
    points: at.map((o, i) => ({ startMs: body.fromMs + o * p, total: total[i]!, failed: failed[i]! })),
    unmeasured: gaps.map((o) => body.fromMs + o * p),
  };
}

export class DynamoSeriesStore implements SeriesEvidenceStore {
  constructor(
    private readonly db: Db,
    /** Chunks a series may take (the byte bound is this × 300 KB). */
    private readonly maxChunks = MAX_CHUNKS,
  ) {}

  async put(claimId: string, series: ScopeSeries, meta: SeriesMeta): Promise<SeriesHead | null> {
    const packed = encodeSeries(series);
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < packed.length; offset += CHUNK_BYTES) chunks.push(packed.subarray(offset, offset + CHUNK_BYTES));
    if (chunks.length > this.maxChunks) {
      throw new Error(`series of claim ${claimId}: ${packed.length} bytes compressed, over the ${this.maxChunks * CHUNK_BYTES}-byte bound; read it at 300 s or over a shorter span`);
    }
    const collectedMs = Date.parse(meta.collectedAt);
    // Sorts by time, and differs between two collections of the same millisecond.
    const generation = `${String(collectedMs).padStart(15, '0')}-${createHash('sha256').update(packed).digest('hex').slice(0, 8)}`;
    const head: SeriesHead = {
      claimId,
      slaId: series.slaId,
      account: series.account,
      region: series.region,
      kind: series.kind,
      periodSeconds: series.periodSeconds,
      metrics: series.metrics.slice(0, MAX_METRICS).map((m) => boundUtf8(m, MAX_LABEL_BYTES)),
      resourceCount: series.resourceCount,
      fromMs: series.fromMs,
      toMs: series.toMs,
      pointCount: series.points.length,
      unmeasuredCount: series.unmeasured?.length ?? 0,
      bytes: packed.length,
      chunks: chunks.length,
      generation,
      windowsKey: meta.windowsKey,
      final: meta.final,
      collectedAt: meta.collectedAt,
      ...(meta.calls !== undefined ? { calls: meta.calls } : {}),
      ...(meta.note ? { note: boundUtf8(meta.note, MAX_NOTE_BYTES) } : {}),
    };
    await this.write(chunks.map((data, n) => ({ PutRequest: { Item: { ...seriesKeys.chunk(claimId, generation, n), type: 'series-chunk', data } } })));
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { ...seriesKeys.head(claimId), type: 'series', ...head },
          // A slower, older collection never replaces a newer one.
          ConditionExpression: 'attribute_not_exists(pk) OR generation < :g',
          ExpressionAttributeValues: { ':g': generation },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await this.deleteChunks(claimId, (sk) => sk.startsWith(`CHUNK#${generation}#`));
      return null;
    }
    await this.deleteChunks(claimId, (sk) => !sk.startsWith(`CHUNK#${generation}#`) && sk < `CHUNK#${generation}#`);
    return head;
  }

  async markFinal(claimId: string, generation: string): Promise<void> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: seriesKeys.head(claimId),
          UpdateExpression: 'SET #final = :t',
          ConditionExpression: 'generation = :g',
          ExpressionAttributeNames: { '#final': 'final' },
          ExpressionAttributeValues: { ':t': true, ':g': generation },
        }),
      );
    } catch (error) {
      // A newer read replaced it meanwhile: that one is marked by its own collection.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async heads(claimIds: readonly string[]): Promise<Map<string, SeriesHead>> {
    const out = new Map<string, SeriesHead>();
    for (let i = 0; i < claimIds.length; i += 100) {
      let pending: Record<string, unknown>[] = [...new Set(claimIds.slice(i, i + 100))].map((id) => seriesKeys.head(id));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const result = await this.db.doc.send(new BatchGetCommand({ RequestItems: { [this.db.tableName]: { Keys: pending } } }));
        for (const item of result.Responses?.[this.db.tableName] ?? []) out.set(item.claimId as string, headOf(item));
        pending = (result.UnprocessedKeys?.[this.db.tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (pending.length > 0) {
          if (attempt >= 8) throw new Error(`BatchGetItem: ${pending.length} series heads left unprocessed after retries`);
          await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        }
      }
    }
    return out;
  }

  async get(claimId: string): Promise<StoredSeries | null> {
    const res = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: seriesKeys.head(claimId), ConsistentRead: true }));
    if (!res.Item) return null;
    const head = headOf(res.Item);
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':pk': seriesKeys.head(claimId).pk, ':c': `CHUNK#${head.generation}#` },
      ConsistentRead: true,
    });
    if (items.length !== head.chunks) throw new Error(`series of claim ${claimId}: ${items.length} of ${head.chunks} chunks found`);
    const packed = Buffer.concat(items.map((item) => Buffer.from(item.data as Uint8Array)));
    return { head, series: decodeSeries(packed) };
  }

  private async deleteChunks(claimId: string, which: (sk: string) => boolean): Promise<void> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':pk': seriesKeys.head(claimId).pk, ':c': 'CHUNK#' },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    await this.write(items.filter((item) => which(item.sk as string)).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })));
  }

  /** BatchWriteItem, 25 requests a call, unprocessed ones retried with backoff. */
  private async write(requests: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const result = await this.db.doc.send(new BatchWriteCommand({ RequestItems: { [this.db.tableName]: pending as never } }));
        pending = (result.UnprocessedItems?.[this.db.tableName] ?? []) as Record<string, unknown>[];
        if (pending.length > 0) {
          if (attempt >= 8) throw new Error(`BatchWriteItem: ${pending.length} series items left unprocessed after retries`);
          await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        }
      }
    }
  }
}

function headOf(item: Record<string, unknown>): SeriesHead {
  const { pk: _pk, sk: _sk, type: _t, ...head } = item;
  return head as unknown as SeriesHead;
}
