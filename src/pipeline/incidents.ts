/**
 * Incident records: one per (account, eventArn), whatever order and however often updates arrive.
 *
 * - `INCIDENT` item: the newest state; replaced only by a strictly newer `lastUpdatedTime` (conditional write).
 * - `UPDATE#<ms>#<page>` items: one per update seen, so per-service recovery can be read from the whole
 *   history, independent of arrival order.
 * - `ENTITIES#<page>#<n>` items: affected entities in chunks well under the 400 KB item limit.
 * - Links: this incident's contribution to one claim scope (account, SLA, Region/resource), written twice — under
 *   the incident (`LINK#<scopeKey>`, to refresh all of an incident's links) and under the scope
 *   (`SCOPE#<scopeKey>` / `LINK#<account>#<eventArn>`) — so both directions are strongly consistent Queries: a claim
 *   recomputed right after another incident's link was written always sees it (a GSI read might not, yet).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AffectedEntity, HealthEvent } from '../health/types.ts';
import type { Db } from '../store/clients.ts';
import { batchPutAll, queryAll } from '../store/dynamo.ts';
import { keys } from '../store/table.ts';

/** The newest state of an incident: the event's fields that matter for claims, plus its ordering key. */
export type IncidentState = Pick<
  HealthEvent,
  | 'account'
  | 'eventArn'
  | 'services'
  | 'rawService'
  | 'eventTypeCode'
  | 'eventTypeCategory'
  | 'eventScopeCode'
  | 'region'
  | 'statusCode'
  | 'startTime'
  | 'endTime'
  | 'lastUpdatedTime'
  | 'description'
> & { lastUpdatedMs: number };

export interface UpdateRecord {
  lastUpdatedMs: number;
  page: number;
  statusCode: string;
  /** Services the update says are operating normally again. */
  recovered: string[];
  /** What the parser repaired or dropped in this update (kept for review). */
  parseNotes?: string[];
}

export interface LinkRecord {
  scopeKey: string;
  account: string;
  slaId: string;
  service: string;
  region: string;
  resource: string | null;
  eventArn: string;
  eventTypeCode: string;
  statusCode: string;
  startMs: number;
  endMs: number | null;
  /** The incident's newest lastUpdatedTime (epoch ms): an open incident not updated for a week stops counting. */
  lastUpdatedMs: number;
  description: string;
  affectedResources: string[];
  affectedResourceCount: number;
  /** Months this link ever touched (so a shortened outage also corrects the month it left). */
  monthsSeen: string[];
}

export type StateWrite = 'applied' | 'same' | 'older';

const ENTITY_CHUNK_BYTES = 256 * 1024;

export function toState(event: HealthEvent): IncidentState {
  return {
    account: event.account,
    eventArn: event.eventArn,
    lastUpdatedMs: Date.parse(event.lastUpdatedTime),
    services: event.services,
    rawService: event.rawService,
    eventTypeCode: event.eventTypeCode,
    eventTypeCategory: event.eventTypeCategory,
    eventScopeCode: event.eventScopeCode,
    region: event.region,
    statusCode: event.statusCode,
    startTime: event.startTime,
    endTime: event.endTime,
    lastUpdatedTime: event.lastUpdatedTime,
    description: event.description,
  };
}

export class IncidentStore {
  constructor(private readonly db: Db) {}

  /** Writes the state if it is strictly newer than the stored one. */
  async writeState(state: IncidentState, entityCount: number): Promise<StateWrite> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { ...keys.incident(state.account, state.eventArn), type: 'incident', ...state, entityCount },
          ConditionExpression: 'attribute_not_exists(pk) OR lastUpdatedMs < :t',
          ExpressionAttributeValues: { ':t': state.lastUpdatedMs },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'applied';
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const old = (error as { Item?: Record<string, { N?: string }> }).Item;
      const stored = Number(old?.lastUpdatedMs?.N ?? Number.NaN);
      return stored === state.lastUpdatedMs ? 'same' : 'older';
    }
  }

  /**
   * Records one update (one page of one `lastUpdatedTime`). Returns false when this exact update was already
   * processed to the end (`done`): a redelivery or a backup-Region copy, nothing left to do.
   */
  async putUpdate(account: string, eventArn: string, update: UpdateRecord): Promise<boolean> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { ...updateKey(account, eventArn, update), type: 'incident-update', ...update },
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(done)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Marks an update as fully processed (incident, links and claims written). */
  async markUpdateDone(account: string, eventArn: string, update: UpdateRecord): Promise<void> {
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.tableName,
        Key: updateKey(account, eventArn, update),
        UpdateExpression: 'SET done = :t',
        ExpressionAttributeValues: { ':t': true },
      }),
    );
  }

  /** Stores affected entities in size-bounded chunks (idempotent: same page, same chunk keys). */
  async putEntities(account: string, eventArn: string, page: number, entities: readonly AffectedEntity[]): Promise<void> {
    if (entities.length === 0) return;
    const pk = keys.incident(account, eventArn).pk;
    const items: Record<string, unknown>[] = [];
    let chunk: AffectedEntity[] = [];
    let bytes = 0;
    const flush = () => {
      if (chunk.length === 0) return;
      items.push({ pk, sk: `ENTITIES#${String(page).padStart(5, '0')}#${String(items.length).padStart(5, '0')}`, type: 'incident-entities', entities: chunk });
      chunk = [];
      bytes = 0;
    };
    for (const entity of entities) {
      const size = JSON.stringify(entity).length + 16;
      if (bytes + size > ENTITY_CHUNK_BYTES) flush();
      chunk.push(entity);
      bytes += size;
    }
    flush();
    await batchPutAll(this.db, items);
  }

  async putLinks(links: readonly LinkRecord[]): Promise<void> {
    await batchPutAll(
      this.db,
      links.flatMap((link) => [
        { pk: keys.incident(link.account, link.eventArn).pk, sk: `LINK#${link.scopeKey}`, type: 'incident-link', ...link },
        { ...scopeLinkKey(link), type: 'scope-link', ...link },
      ]),
    );
  }

  async getState(account: string, eventArn: string): Promise<IncidentState | null> {
    const result = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.incident(account, eventArn), ConsistentRead: true }),
    );
    if (!result.Item) return null;
    const { pk: _pk, sk: _sk, type: _type, entityCount: _count, ...state } = result.Item;
    return state as unknown as IncidentState;
  }

  async listUpdates(account: string, eventArn: string): Promise<UpdateRecord[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :u)',
      ExpressionAttributeValues: { ':pk': keys.incident(account, eventArn).pk, ':u': 'UPDATE#' },
      ConsistentRead: true,
    });
    return items.map((i) => ({
      lastUpdatedMs: i.lastUpdatedMs as number,
      page: i.page as number,
      statusCode: i.statusCode as string,
      recovered: (i.recovered as string[]) ?? [],
    }));
  }

  async listEntities(account: string, eventArn: string): Promise<AffectedEntity[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': keys.incident(account, eventArn).pk, ':e': 'ENTITIES#' },
      ConsistentRead: true,
    });
    const seen = new Map<string, AffectedEntity>();
    for (const item of items) for (const e of item.entities as AffectedEntity[]) seen.set(e.entityValue, e);
    return [...seen.values()];
  }

  async listLinksOfIncident(account: string, eventArn: string): Promise<LinkRecord[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)',
      ExpressionAttributeValues: { ':pk': keys.incident(account, eventArn).pk, ':l': 'LINK#' },
      ConsistentRead: true,
    });
    return items.map(toLink);
  }

  /** All incidents' links for one claim scope (strongly consistent). */
  async listLinksOfScope(scopeKey: string): Promise<LinkRecord[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)',
      ExpressionAttributeValues: { ':pk': keys.scope(scopeKey), ':l': 'LINK#' },
      ConsistentRead: true,
    });
    return items.map(toLink);
  }
}

function scopeLinkKey(link: Pick<LinkRecord, 'scopeKey' | 'account' | 'eventArn'>) {
  return { pk: keys.scope(link.scopeKey), sk: `LINK#${link.account}#${link.eventArn}` };
}

function updateKey(account: string, eventArn: string, update: Pick<UpdateRecord, 'lastUpdatedMs' | 'page'>) {
  return {
    pk: keys.incident(account, eventArn).pk,
    sk: `UPDATE#${String(update.lastUpdatedMs).padStart(15, '0')}#${String(update.page).padStart(5, '0')}`,
  };
}

function toLink(item: Record<string, unknown>): LinkRecord {
  const { pk: _pk, sk: _sk, type: _t, ...link } = item;
  return link as unknown as LinkRecord;
}
