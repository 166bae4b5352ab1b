/**
 * DynamoDB adapter of the incident port: ONE item per (account, eventArn) holding the update history, one
 * attribute per update (`U#<lastUpdatedMs>#<page>`), written by one conditional UpdateItem that returns the whole
 * item — a failed condition means this exact update is already recorded, and the item comes back with the error
 * (ReturnValuesOnConditionCheckFailure), so a duplicate costs this one request here.
 * Affected entities too large to sit on the history entry go to `ENTITIES#<update key>#<n>` chunk items.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AffectedEntity } from '../health/types.ts';
import { newestEntry, newestState, type IncidentRecord, type IncidentState, type UpdateEntry } from '../pipeline/incidents.ts';
import type { IncidentStore } from '../pipeline/ports.ts';
import type { Db } from './clients.ts';
import { batchPutAll, isConditionFailure, queryAll } from './dynamo.ts';
import { keys } from './table.ts';

const ENTITY_CHUNK_BYTES = 256 * 1024;
/** Past this many bytes, older history entries drop their description and notes (only the newest one's is used). */
const COMPACT_AT_BYTES = 250 * 1024;
const ENTRY_PREFIX = 'U#';

export class DynamoIncidentStore implements IncidentStore {
  constructor(private readonly db: Db) {}

  async recordUpdate(account: string, eventArn: string, entry: UpdateEntry, months: readonly string[]) {
    const name = ENTRY_PREFIX + entryKey(entry);
    const add = months.length ? ' ADD #months :m' : '';
    try {
      const result = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.incident(account, eventArn),
          UpdateExpression: `SET #u = :u, #account = :a, #arn = :e, #type = :t${add}`,
          ConditionExpression: 'attribute_not_exists(#u)',
          ExpressionAttributeNames: { '#u': name, '#account': 'account', '#arn': 'eventArn', '#type': 'type', ...(add ? { '#months': 'months' } : {}) },
          ExpressionAttributeValues: { ':u': entry, ':a': account, ':e': eventArn, ':t': 'incident', ...(add ? { ':m': new Set(months) } : {}) },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const item = result.Attributes ?? {};
      await this.compactIfLarge(account, eventArn, item);
      return { fresh: true, incident: toRecord(item) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as { Item?: Record<string, never> }).Item;
      if (!old) throw error;
      return { fresh: false, incident: toRecord(unmarshall(old)) };
    }
  }

  async addMonths(account: string, eventArn: string, months: readonly string[]): Promise<void> {
    if (months.length === 0) return;
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.tableName,
        Key: keys.incident(account, eventArn),
        UpdateExpression: 'ADD #months :m',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#months': 'months' },
        ExpressionAttributeValues: { ':m': new Set(months) },
      }),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  async putEntities(account: string, eventArn: string, updateKey: string, entities: readonly AffectedEntity[]): Promise<number> {
    if (entities.length === 0) return 0;
    const pk = keys.incident(account, eventArn).pk;
    const items: Record<string, unknown>[] = [];
    let chunk: AffectedEntity[] = [];
    let bytes = 0;
    const flush = () => {
      if (chunk.length === 0) return;
      items.push({ pk, sk: `ENTITIES#${updateKey}#${String(items.length).padStart(5, '0')}`, type: 'incident-entities', entities: chunk });
      chunk = [];
      bytes = 0;
    };
    for (const entity of entities) {
      const size = Buffer.byteLength(JSON.stringify(entity)) + 16;
      if (bytes + size > ENTITY_CHUNK_BYTES) flush();
      chunk.push(entity);
      bytes += size;
    }
    flush();
    await batchPutAll(this.db, items);
    return items.length;
  }

  async listEntities(account: string, eventArn: string): Promise<AffectedEntity[]> {
    const seen = new Map<string, AffectedEntity>();
    const incident = await this.getIncident(account, eventArn);
    for (const u of incident?.updates ?? []) for (const e of u.entities ?? []) seen.set(e.entityValue, e);
    if (incident?.updates.some((u) => u.entityChunks)) {
      const items = await queryAll(this.db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': keys.incident(account, eventArn).pk, ':e': 'ENTITIES#' },
        ConsistentRead: true,
      });
      for (const item of items) for (const e of item.entities as AffectedEntity[]) seen.set(e.entityValue, e);
    }
    return [...seen.values()];
  }

  async getIncident(account: string, eventArn: string): Promise<IncidentRecord | null> {
    const result = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: keys.incident(account, eventArn), ConsistentRead: true }));
    return result.Item ? toRecord(result.Item) : null;
  }

  async getState(account: string, eventArn: string): Promise<IncidentState | null> {
    const record = await this.getIncident(account, eventArn);
    return record ? newestState(record) : null;
  }

  /** Keeps the item far below 400 KB: descriptions and notes of superseded updates are not needed any more. */
  private async compactIfLarge(account: string, eventArn: string, item: Record<string, unknown>): Promise<void> {
    if (Buffer.byteLength(JSON.stringify(item, (_k, v) => (v instanceof Set ? [...v] : v))) < COMPACT_AT_BYTES) return;
    const record = toRecord(item);
    const newest = newestEntry(record.updates);
    const names: Record<string, string> = {};
    const removes: string[] = [];
    record.updates.forEach((u, i) => {
      if (u === newest || (!u.description && !u.parseNotes)) return;
      names[`#u${i}`] = ENTRY_PREFIX + entryKey(u);
      removes.push(`#u${i}.description`, `#u${i}.parseNotes`);
    });
    if (removes.length === 0) return;
    await this.db.doc.send(
      new UpdateCommand({ TableName: this.db.tableName, Key: keys.incident(account, eventArn), UpdateExpression: `REMOVE ${removes.join(', ')}`, ExpressionAttributeNames: names }),
    );
  }
}

function entryKey(u: Pick<UpdateEntry, 'lastUpdatedMs' | 'page'>): string {
  return `${String(u.lastUpdatedMs).padStart(15, '0')}#${String(u.page).padStart(5, '0')}`;
}

/** The history record of an incident item. */
export function toRecord(item: Record<string, unknown>): IncidentRecord {
  const updates: UpdateEntry[] = [];
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(ENTRY_PREFIX)) continue;
    const u = value as UpdateEntry;
    updates.push({ ...u, description: u.description ?? '', recovered: u.recovered ?? [], services: u.services ?? [] });
  }
  updates.sort((a, b) => a.lastUpdatedMs - b.lastUpdatedMs || a.page - b.page);
  const months = item.months instanceof Set ? [...(item.months as Set<string>)] : ((item.months as string[] | undefined) ?? []);
  return { account: item.account as string, eventArn: item.eventArn as string, updates, months: months.sort() };
}
