/**
 * Fleet claims' resource lists (src/claims/fleet.ts) as `RESOURCES#<sha256>` items. The key is the hash of the list,
 * so an unconditional BatchWriteItem is safe (a second write of an id writes the same list) and a read of an id
 * always gets the list it names.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { RESOURCE_CHUNK_BYTES, type ResourceChunk } from '../claims/fleet.ts';
import type { ResourceListStore } from '../pipeline/ports.ts';
import type { Db } from './clients.ts';
import { batchPutAll } from './dynamo.ts';
import { keys } from './table.ts';
import { mapPool } from '../util/pool.ts';

const HASH_ID = /^[0-9a-f]{64}$/;

export class DynamoResourceListStore implements ResourceListStore {
  constructor(private readonly db: Db) {}

  async putResourceLists(chunks: readonly ResourceChunk[]): Promise<void> {
    const items = chunks.map((c) => {
      if (!HASH_ID.test(c.id)) throw new Error(`resource list id: not a SHA-256 hex digest (got ${JSON.stringify(c.id.slice(0, 80))})`);
      const bytes = c.resources.reduce((n, r) => n + Buffer.byteLength(r, 'utf8') + 3, 0);
      if (bytes > RESOURCE_CHUNK_BYTES) throw new Error(`resource list ${c.id}: ${bytes} bytes, over the ${RESOURCE_CHUNK_BYTES}-byte bound of an item`);
      return { ...keys.resources(c.id), type: 'resource-list', resources: c.resources };
    });
    const groups: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) groups.push(items.slice(i, i + 25));
    await mapPool(groups, 4, (g) => batchPutAll(this.db, g));
  }

  async getResourceLists(ids: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const unique = [...new Set(ids)];
    const groups: string[][] = [];
    // 100 keys per BatchGetItem, but at most 16 MB per answer: 200 KB lists, 50 at a time.
    for (let i = 0; i < unique.length; i += 50) groups.push(unique.slice(i, i + 50));
    await mapPool(groups, 4, async (group) => {
      let pending: Record<string, unknown>[] = group.map((id) => keys.resources(id));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const result = await this.db.doc.send(new BatchGetCommand({ RequestItems: { [this.db.tableName]: { Keys: pending } } }));
        for (const item of result.Responses?.[this.db.tableName] ?? []) out.set((item.pk as string).slice('RESOURCES#'.length), item.resources as string[]);
        pending = (result.UnprocessedKeys?.[this.db.tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (pending.length > 0) {
          if (attempt >= 8) throw new Error(`BatchGetItem: ${pending.length} resource lists left unprocessed after retries`);
          await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        }
      }
    });
    return out;
  }
}
