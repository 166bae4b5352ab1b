/**
 * Claim persistence: the port (`ClaimStore`) and its DynamoDB adapter.
 * Human state transitions are conditional writes (status + version) in one transaction with their audit entry,
 * so a double click, a retry or 20 parallel approvals make exactly one transition.
 * Computed changes (ingest, refresh) are ONE conditional write each: the claim item carries the incident windows it
 * was computed from (`windows`) and the audit entries of its computed changes (`auditLog`, appended in the same
 * UpdateItem, so each change is audited exactly once; past AUDIT_INLINE entries they move to an audit item).
 */
import type { ResourceChunk } from '../claims/fleet.ts';
import { DynamoResourceListStore } from './resource-list-store.ts';
import { randomUUID } from 'node:crypto';
import { BatchExecuteStatementCommand, BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { nextClaim, recomputeAudit, sameNumbers } from '../claims/build.ts';
import { assertTransition } from '../claims/lifecycle.ts';
import type { FilingIntent } from '../claims/types.ts';
import { type AuditEntry, type Claim, type ClaimStatus, type SlackPostIntent, type SlackRef, type WindowMap } from '../claims/types.ts';
import { boundedKeyPart, parseClaimId } from '../claims/ids.ts';
import type { NewClaim, RecomputeClaimStore, RecomputedWrite, SaveResult, StoredClaim } from '../pipeline/ports.ts';
import { mapPool } from '../util/pool.ts';
import type { Db } from './clients.ts';
import { isConditionFailure, PAGE_LIMIT, queryAll } from './dynamo.ts';
import { queryPartitionInRanges } from './range-query.ts';
import { GSI1, keys, MONTH_SUMMARY_ATTRIBUTES, MONTH_SUMMARY_INDEX } from './table.ts';
import { toRecord } from './incident-store.ts';
import type { IncidentRecord } from '../pipeline/incidents.ts';

export interface TransitionRequest {
  claimId: string;
  from: ClaimStatus;
  to: ClaimStatus;
  /** The version the decider saw (e.g. the one in the Slack button); the write fails if the claim changed since. */
  expectedVersion: number;
  actor: string;
  /** UTC ISO-8601. */
  at: string;
  reason?: string;
  /** Extra attributes written with the transition (e.g. `slack`, the `filing` record of a submission, a `payment`). */
  patch?: Partial<Pick<Claim, 'slack' | 'decidedBy' | 'decisionReason' | 'filing' | 'filingNote' | 'payment' | 'tracking'>>;
  detail?: Record<string, string>;
}

export type TransitionResult =
  | { ok: true; claim: Claim }
  /** The claim was not in `from` at `expectedVersion`: `current` says what it is now (null if it does not exist). */
  | { ok: false; current: Claim | null };

export interface MonthPage {
  claims: Claim[];
  /** Opaque cursor for the next page, or undefined at the end. */
  next?: string;
}

export interface ClaimStore extends RecomputeClaimStore {
  getClaim(claimId: string): Promise<Claim | null>;
  /** One page of a month's claims, through the month index (never a Scan). */
  listClaimsByMonthPage(month: string, options?: { limit?: number; cursor?: string }): Promise<MonthPage>;
  /** All of a month's claims (follows every page). */
  listClaimsByMonth(month: string): Promise<Claim[]>;
  /**
   * All of a month's claims, only `fields` of each, read with a few concurrent Queries over key ranges of the narrow
   * month index (MONTH_SUMMARY_INDEX, see `range-query.ts`): for big months (the summary). `fields` must be among
   * MONTH_SUMMARY_ATTRIBUTES.
   */
  listClaimsByMonthConcurrently<K extends keyof Claim>(
    month: string,
    options: { fields: readonly K[]; concurrency?: number; pageSize?: number },
  ): Promise<Pick<Claim, K>[]>;
  /** Creates or replaces the computed numbers of a claim (keeping its windows); see `saveComputedClaim`. */
  saveComputedClaim(claim: Claim): Promise<Claim>;
  transition(request: TransitionRequest): Promise<TransitionResult>;
  /** Records the Slack message of a claim (after chat.postMessage / chat.update); conditional on the version. */
  setSlackRef(claimId: string, slack: SlackRef, expectedVersion: number): Promise<boolean>;
  /**
   * Records that a Slack post is starting (before chat.postMessage), if the claim's current intent is still
   * `previousId` (null: none yet): a compare-and-set, so of notifiers racing for an expired lease one wins.
   * Not conditional on the version (a recompute does not change which message is being posted) and no version bump.
   */
  setSlackIntent(claimId: string, intent: SlackPostIntent, previousId: string | null): Promise<boolean>;
  /**
   * Records that a filing with AWS Support is starting (before CreateCase), if the claim is still `status` and its
   * current filing intent is still `previousId` (null: none yet): the compare-and-set that lets one of many parallel
   * filers go ahead. No version bump (like `setSlackIntent`).
   */
  setFilingIntent(claimId: string, intent: FilingIntent, previousId: string | null, status: ClaimStatus): Promise<boolean>;
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(claimId: string): Promise<AuditEntry[]>;
}

type ClaimItem = Claim & { pk: string; sk: string; gsi1pk: string; gsi1sk: string; type: 'claim' };


/** Computed-change audit entries kept on the claim item before they move to an audit item. */
export const AUDIT_INLINE = 40;

function toItem(claim: Claim): ClaimItem {
  return {
    ...claim,
    ...keys.claim(claim.claimId),
    gsi1pk: keys.monthIndex(claim.month),
    // The scope key (bounded in bytes, src/claims/ids.ts) of claims built by the pipeline; other ids as they are.
    gsi1sk: scopeKeyOfId(claim.claimId),
    type: 'claim',
  };
}

function scopeKeyOfId(claimId: string): string {
  try {
    return parseClaimId(claimId).scopeKey;
  } catch {
    return boundedKeyPart(claimId, 1000);
  }
}

function fromItem(item: Record<string, unknown> | undefined): Claim | null {
  if (!item) return null;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, windows: _w, auditLog: _a, ...claim } = item;
  return claim as unknown as Claim;
}

function storedFromItem(item: Record<string, unknown>): StoredClaim {
  return { claim: fromItem(item)!, windows: (item.windows as WindowMap | undefined) ?? {}, audit: (item.auditLog as AuditEntry[] | undefined) ?? [] };
}

function auditItem(entry: AuditEntry) {
  return { ...keys.audit(entry.claimId, entry.at, randomUUID().slice(0, 8)), type: 'audit', ...entry };
}

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new Error(`cursor: not a cursor returned by listClaimsByMonthPage (got ${JSON.stringify(cursor)})`);
  }
}

export { statusAfterRecompute } from '../claims/build.ts';

export class DynamoClaimStore implements ClaimStore {
  private readonly lists: DynamoResourceListStore;

  constructor(private readonly db: Db) {
    this.lists = new DynamoResourceListStore(db);
  }

  /** Fleet claims' resource lists (src/store/resource-list-store.ts): the claims' own data, in the same table. */
  putResourceLists(chunks: readonly ResourceChunk[]): Promise<void> {
    return this.lists.putResourceLists(chunks);
  }

  getResourceLists(ids: readonly string[]): Promise<Map<string, string[]>> {
    return this.lists.getResourceLists(ids);
  }

  async getClaim(claimId: string): Promise<Claim | null> {
    const result = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.claim(claimId), ConsistentRead: true }),
    );
    return fromItem(result.Item);
  }

  async listClaimsByMonthPage(month: string, options: { limit?: number; cursor?: string } = {}): Promise<MonthPage> {
    const result = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.monthIndex(month) },
        Limit: options.limit ?? PAGE_LIMIT,
        ExclusiveStartKey: decodeCursor(options.cursor),
      }),
    );
    const claims = (result.Items ?? []).map((i) => fromItem(i)).filter((c): c is Claim => c !== null);
    return { claims, next: encodeCursor(result.LastEvaluatedKey) };
  }

  async listClaimsByMonth(month: string): Promise<Claim[]> {
    const all: Claim[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listClaimsByMonthPage(month, { cursor });
      all.push(...page.claims);
      cursor = page.next;
    } while (cursor);
    return all;
  }

  async getForRecompute(claimIds: readonly string[]): Promise<Map<string, StoredClaim>> {
    const out = new Map<string, StoredClaim>();
    for (let i = 0; i < claimIds.length; i += 100) {
      let pending: Record<string, unknown>[] = claimIds.slice(i, i + 100).map((id) => keys.claim(id));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const result = await this.db.doc.send(
          new BatchGetCommand({ RequestItems: { [this.db.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.db.tableName] ?? []) out.set(item.claimId as string, storedFromItem(item));
        pending = (result.UnprocessedKeys?.[this.db.tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (pending.length > 0) {
          if (attempt >= 8) throw new Error(`BatchGetItem: ${pending.length} keys left unprocessed after retries`);
          await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        }
      }
    }
    return out;
  }

  async getWithIncident(claimIds: readonly string[], account: string, eventArn: string) {
    if (claimIds.length > 99) throw new Error(`getWithIncident: at most 99 claims per read (got ${claimIds.length})`);
    const incidentKey = keys.incident(account, eventArn);
    const claims = new Map<string, StoredClaim>();
    let incident: IncidentRecord | null = null;
    let pending: Record<string, unknown>[] = [incidentKey, ...claimIds.map((id) => keys.claim(id))];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const result = await this.db.doc.send(new BatchGetCommand({ RequestItems: { [this.db.tableName]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of result.Responses?.[this.db.tableName] ?? []) {
        if (item.pk === incidentKey.pk && item.sk === incidentKey.sk) incident = toRecord(item);
        else if (item.type === 'claim') claims.set(item.claimId as string, storedFromItem(item));
      }
      pending = (result.UnprocessedKeys?.[this.db.tableName]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length > 0) {
        if (attempt >= 8) throw new Error(`BatchGetItem: ${pending.length} keys left unprocessed after retries`);
        await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
      }
    }
    return { claims, incident };
  }

  async listStoredByMonth(month: string): Promise<StoredClaim[]> {
    const items = await queryAll(this.db, {
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.monthIndex(month) },
    });
    return items.map(storedFromItem);
  }

  async listClaimsByMonthConcurrently<K extends keyof Claim>(
    month: string,
    options: { fields: readonly K[]; concurrency?: number; pageSize?: number },
  ): Promise<Pick<Claim, K>[]> {
    // The narrow month index holds only MONTH_SUMMARY_ATTRIBUTES: a field outside it would silently read as absent.
    const projected = new Set<string>(MONTH_SUMMARY_ATTRIBUTES);
    const missing = options.fields.filter((f) => !projected.has(f));
    if (missing.length) throw new Error(`fields: not in the ${MONTH_SUMMARY_INDEX} projection (got ${JSON.stringify(missing)}); add them to MONTH_SUMMARY_ATTRIBUTES and serverless.yml`);
    const { items } = await queryPartitionInRanges(this.db, {
      indexName: MONTH_SUMMARY_INDEX,
      partitionAttribute: 'gsi1pk',
      partitionValue: keys.monthIndex(month),
      sortAttribute: 'gsi1sk',
      itemKey: ['pk', 'sk'],
      attributes: options.fields,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    });
    return items.map((i) => fromItem(i) as Pick<Claim, K>);
  }

  /**
   * Writes freshly computed numbers, retrying on a concurrent write. New claims start as `draft`, version 1.
   * Existing ones keep their status (see `statusAfterRecompute`), windows, Slack reference and decision, and get
   * version + 1. Unchanged numbers write nothing.
   */
  async saveComputedClaim(computed: Claim): Promise<Claim> {
    let current = (await this.getForRecompute([computed.claimId])).get(computed.claimId) ?? null;
    for (let attempt = 0; attempt < 20; attempt++) {
      if (current && sameNumbers(current.claim, computed)) return current.claim;
      const next = nextClaim(current?.claim ?? null, computed);
      const saved = await this.saveRecomputed(next, current?.windows ?? {}, current, recomputeAudit(current?.claim ?? null, next));
      if (saved.ok) return saved.claim;
      current = saved.current;
    }
    throw new Error(`claim ${computed.claimId}: too many concurrent updates`);
  }

  async saveRecomputed(next: Claim, windows: WindowMap, expected: StoredClaim | null, audit: AuditEntry): Promise<SaveResult> {
    try {
      if (!expected) {
        await this.db.doc.send(
          new PutCommand({
            TableName: this.db.tableName,
            Item: newClaimItem({ next, windows, audit }),
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { ok: true, claim: next };
      }
      const update = this.recomputedUpdate(next, windows, expected, audit);
      if (!update.flush) {
        await this.db.doc.send(new UpdateCommand({ ...update.input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      } else {
        // Every AUDIT_INLINE computed changes: the inline entries move to one audit item, in the same transaction.
        const first = expected.audit[0]!;
        await this.db.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: update.input },
              {
                Put: {
                  TableName: this.db.tableName,
                  Item: { pk: keys.claim(next.claimId).pk, sk: `AUDIT#${first.at}#v${String(first.version ?? 0).padStart(8, '0')}`, type: 'audit-batch', entries: expected.audit },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
      }
      return { ok: true, claim: next };
    } catch (error) {
      if (isConditionFailure(error) || (error as Error)?.name === 'TransactionConflictException') {
        const old = (error as { Item?: Record<string, never> }).Item;
        if (old) return { ok: false, current: storedFromItem(unmarshall(old)) };
        return { ok: false, current: (await this.getForRecompute([next.claimId])).get(next.claimId) ?? null };
      }
      throw error;
    }
  }

  /**
   * The recomputed fields, windows and audit entry of an existing claim, conditional on the version read. An Update,
   * not a Put: the Slack reference is written by setSlackRef without a version bump, and a whole-item Put
   * conditional on the version would restore the reference read before it (then a second message is posted).
   */
  private recomputedUpdate(next: Claim, windows: WindowMap, expected: StoredClaim, audit: AuditEntry) {
    // Only what changed is sent (the version condition guarantees the rest is as read): a claim of a busy scope
    // carries the windows and evidence of every incident of its month, ~17 KB, and an update changes one of them.
    const { sets, names, values } = computedFieldsUpdate(next, expected.claim);
    const removes: string[] = [];
    if (Object.keys(expected.windows).length === 0) {
      sets.push('#windows = :windows');
      values[':windows'] = windows;
    } else {
      let w = 0;
      for (const key of new Set([...Object.keys(expected.windows), ...Object.keys(windows)])) {
        const now = windows[key];
        const before = expected.windows[key];
        if (now && before && JSON.stringify(now) === JSON.stringify(before)) continue;
        names[`#w${w}`] = key;
        if (now) {
          values[`:w${w}`] = now;
          sets.push(`#windows.#w${w} = :w${w}`);
        } else removes.push(`#windows.#w${w}`);
        w++;
      }
    }
    const flush = expected.audit.length >= AUDIT_INLINE;
    sets.push(flush ? '#auditLog = :audit' : '#auditLog = list_append(if_not_exists(#auditLog, :none), :audit)');
    const decisionCleared = next.status !== expected.claim.status;
    if (decisionCleared) removes.push('decidedBy', 'decisionReason', 'filingNote');
    const input = {
      TableName: this.db.tableName,
      Key: keys.claim(next.claimId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: '#version = :expected',
      // DynamoDB refuses a name the expressions do not use: #windows only when a window changed.
      ExpressionAttributeNames: { ...names, '#version': 'version', ...([...sets, ...removes].some((x) => x.startsWith('#windows')) ? { '#windows': 'windows' } : {}), '#auditLog': 'auditLog' },
      ExpressionAttributeValues: { ...values, ':expected': expected.claim.version, ':audit': [audit], ...(flush ? {} : { ':none': [] }) },
    };
    return { input, flush, decisionCleared };
  }

  /**
   * Several recomputed claims in ONE request (an update whose outage touches two months): BatchExecuteStatement with
   * one conditional PartiQL statement per claim — an UPDATE whose WHERE holds the version read, or an INSERT, which
   * fails when the key exists ("If the DynamoDB table already has an item with the same primary key as the primary
   * key of the item being inserted, DuplicateItemException is returned":
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html). Each statement is
   * its own conditional write, exactly like separate UpdateItem/PutItem calls (no transaction needed: the claims are
   * independent items). A claim whose audit entries move to an audit item, or a statement the batch cannot carry,
   * takes `saveRecomputed`. Results in input order.
   */
  async saveManyRecomputed(writes: readonly RecomputedWrite[]): Promise<SaveResult[]> {
    const results = new Array<SaveResult | undefined>(writes.length);
    const batched: { index: number; statement: BatchStatement }[] = [];
    const seen = new Set<string>();
    writes.forEach((w, index) => {
      const statement = seen.has(w.next.claimId) || batched.length >= PARTIQL_BATCH ? null : this.statementOf(w);
      if (statement) {
        seen.add(w.next.claimId);
        batched.push({ index, statement });
      }
    });
    if (batched.length === 1) batched.length = 0; // one write: an UpdateItem is cheaper
    if (batched.length) {
      const response = await this.db.doc.send(new BatchExecuteStatementCommand({ Statements: batched.map((b) => b.statement) }));
      (response.Responses ?? []).forEach((r, k) => {
        const { index } = batched[k]!;
        const w = writes[index]!;
        if (!r.Error) results[index] = { ok: true, claim: w.next };
        else if (r.Error.Item) results[index] = { ok: false, current: storedFromItem(r.Error.Item as Record<string, unknown>) };
        // Any other outcome (a duplicate insert, throttling): the single conditional path decides.
      });
    }
    await Promise.all(
      writes.map(async (w, index) => {
        if (!results[index]) results[index] = await this.saveRecomputed(w.next, w.windows, w.expected, w.audit);
      }),
    );
    return results as SaveResult[];
  }

  /** The PartiQL statement of one recomputed write, or null when it needs more than one item (an audit batch). */
  private statementOf({ next, windows, expected, audit }: RecomputedWrite): BatchStatement | null {
    if (!expected) return insertStatement(this.db.tableName, newClaimItem({ next, windows, audit }));
    const { flush, decisionCleared } = this.recomputedUpdate(next, windows, expected, audit);
    if (flush) return null;
    const { names, values } = computedFieldsUpdate(next, expected.claim);
    const sets: string[] = [];
    const parameters: unknown[] = [];
    for (const [name, field] of Object.entries(names)) {
      sets.push(`${quoteName(field)} = ?`);
      parameters.push(values[`:${name.slice(1)}`]);
    }
    // The whole map here (incident keys are not plain PartiQL identifiers); this path is the rare multi-claim one.
    sets.push('"windows" = ?');
    parameters.push(windows);
    // Claims are always created with an audit log (newClaimItem), so list_append needs no if_not_exists here.
    sets.push(`"auditLog" = list_append("auditLog", ?)`);
    parameters.push([audit]);
    const key = keys.claim(next.claimId);
    return {
      Statement: `UPDATE ${quoteName(this.db.tableName)} SET ${sets.join(', ')}${decisionCleared ? ' REMOVE "decidedBy" REMOVE "decisionReason" REMOVE "filingNote"' : ''} WHERE "pk" = ? AND "sk" = ? AND "version" = ?`,
      Parameters: [...parameters, key.pk, key.sk, expected.claim.version],
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
  }

  /**
   * New claims of a large event (10 000 resources) in transactions of up to 100 Puts, each conditional on the claim
   * being absent: ~100 requests instead of 10 000. A cancelled transaction (one claim appeared meanwhile, or a
   * conflict) creates none of its claims; they are left to the caller's single conditional path.
   */
  async createMany(claims: readonly NewClaim[]): Promise<Set<string>> {
    const groups: Record<string, unknown>[][] = [];
    let group: Record<string, unknown>[] = [];
    let bytes = 0;
    for (const { next, windows, audit } of claims) {
      const item = newClaimItem({ next, windows, audit });
      const size = JSON.stringify(item).length;
      if (group.length === TRANSACT_ITEMS || (group.length > 0 && bytes + size > TRANSACT_BYTES)) {
        groups.push(group);
        group = [];
        bytes = 0;
      }
      group.push(item);
      bytes += size;
    }
    if (group.length) groups.push(group);
    const created = new Set<string>();
    await mapPool(groups, TRANSACT_CONCURRENCY, async (items) => {
      try {
        await this.db.doc.send(
          new TransactWriteCommand({
            TransactItems: items.map((Item) => ({ Put: { TableName: this.db.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } })),
          }),
        );
        for (const item of items) created.add(item.claimId as string);
      } catch (error) {
        const name = (error as Error)?.name;
        if (name !== 'TransactionCanceledException' && name !== 'TransactionConflictException') throw error;
      }
    });
    return created;
  }

  /** Writes `computed` only if the stored claim is still `existing` (same version, or still absent); null on a lost race. */
  async saveComputedClaimIfCurrent(computed: Claim, existing: Claim | null): Promise<Claim | null> {
    const stored = existing ? (await this.getForRecompute([existing.claimId])).get(existing.claimId) ?? null : null;
    if (existing && (!stored || stored.claim.version !== existing.version)) return null;
    if (stored && sameNumbers(stored.claim, computed)) return stored.claim;
    const next = nextClaim(existing, computed);
    const saved = await this.saveRecomputed(next, stored?.windows ?? {}, stored, recomputeAudit(existing, next));
    return saved.ok ? saved.claim : null;
  }

  async transition(request: TransitionRequest): Promise<TransitionResult> {
    assertTransition(request.from, request.to);
    const sets = ['#status = :to', '#version = :next', 'updatedAt = :at'];
    const values: Record<string, unknown> = {
      ':from': request.from,
      ':to': request.to,
      ':v': request.expectedVersion,
      ':next': request.expectedVersion + 1,
      ':at': request.at,
    };
    for (const [name, value] of Object.entries(request.patch ?? {})) {
      if (value === undefined) continue;
      sets.push(`${name} = :p_${name}`);
      values[`:p_${name}`] = value;
    }
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.db.tableName,
                Key: keys.claim(request.claimId),
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression: 'attribute_exists(pk) AND #status = :from AND #version = :v',
                ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: this.db.tableName,
                Item: auditItem({
                  claimId: request.claimId,
                  at: request.at,
                  actor: request.actor,
                  action: 'transition',
                  from: request.from,
                  to: request.to,
                  version: request.expectedVersion + 1,
                  ...(request.reason ? { reason: request.reason } : {}),
                  ...(request.detail ? { detail: request.detail } : {}),
                }),
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error) || (error as Error)?.name === 'TransactionConflictException') {
        return { ok: false, current: await this.getClaim(request.claimId) };
      }
      throw error;
    }
    const claim = await this.getClaim(request.claimId);
    if (!claim) throw new Error(`claim ${request.claimId} vanished after its transition`);
    return { ok: true, claim };
  }

  async setSlackRef(claimId: string, slack: SlackRef, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.claim(claimId),
          UpdateExpression: 'SET slack = :slack',
          ConditionExpression: 'attribute_exists(pk) AND #version = :v',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':slack': slack, ':v': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async setSlackIntent(claimId: string, intent: SlackPostIntent, previousId: string | null): Promise<boolean> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.claim(claimId),
          UpdateExpression: 'SET slackPost = :intent',
          // `slackPost.id = :mine` makes the write idempotent: an SDK retry of this very request, whose first try was
          // applied but unanswered, must not read as "someone else is posting" (that costs a whole lease).
          ConditionExpression:
            previousId === null
              ? 'attribute_exists(pk) AND (attribute_not_exists(slackPost) OR slackPost.id = :mine)'
              : 'attribute_exists(pk) AND (slackPost.id = :previous OR slackPost.id = :mine)',
          ExpressionAttributeValues: { ':intent': intent, ':mine': intent.id, ...(previousId === null ? {} : { ':previous': previousId }) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async setFilingIntent(claimId: string, intent: FilingIntent, previousId: string | null, status: ClaimStatus): Promise<boolean> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.claim(claimId),
          UpdateExpression: 'SET filingIntent = :intent',
          // As in setSlackIntent, `:mine` makes an SDK retry of an applied request succeed.
          ConditionExpression:
            previousId === null
              ? 'attribute_exists(pk) AND #status = :status AND (attribute_not_exists(filingIntent) OR filingIntent.id = :mine)'
              : 'attribute_exists(pk) AND #status = :status AND (filingIntent.id = :previous OR filingIntent.id = :mine)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':intent': intent, ':mine': intent.id, ':status': status, ...(previousId === null ? {} : { ':previous': previousId }) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.db.doc.send(
      new PutCommand({ TableName: this.db.tableName, Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async listAudit(claimId: string): Promise<AuditEntry[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.claim(claimId).pk },
      ConsistentRead: true,
    });
    const entries: AuditEntry[] = [];
    for (const item of items) {
      if (item.sk === 'CLAIM') entries.push(...((item.auditLog as AuditEntry[] | undefined) ?? []));
      else if (item.type === 'audit-batch') entries.push(...(item.entries as AuditEntry[]));
      else if (typeof item.sk === 'string' && item.sk.startsWith('AUDIT#')) {
        const { pk: _pk, sk: _sk, type: _type, ...entry } = item;
        entries.push(entry as unknown as AuditEntry);
      }
    }
    return entries.sort((a, b) => a.at.localeCompare(b.at) || (a.version ?? 0) - (b.version ?? 0));
  }
}

/** Attributes a recompute owns: everything but identity, creation time, the Slack reference and post, the decision. */
const NOT_RECOMPUTED = new Set(['claimId', 'createdAt', 'slack', 'slackPost', 'decidedBy', 'decisionReason', 'windows', 'auditLog', 'filing', 'filingIntent']);

/** A new claim's item: its fields, the windows it was computed from and its first audit entry. */
function newClaimItem({ next, windows, audit }: NewClaim): Record<string, unknown> {
  return { ...toItem(next), windows, auditLog: [audit] };
}

/** PartiQL statements per BatchExecuteStatement (the API's limit). */
const PARTIQL_BATCH = 25;
/** TransactWriteItems takes at most 100 actions and 4 MB in all; new claims go in groups under both. (PartiQL INSERT
 * batches of 25 measured no faster on DynamoDB Local for 10 000 creates, with twice the requests and more RSS.) */
const TRANSACT_ITEMS = 100;
const TRANSACT_BYTES = 3 * 1024 * 1024;
const TRANSACT_CONCURRENCY = 4;

type BatchStatement = { Statement: string; Parameters: unknown[]; ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' };

/** A double-quoted PartiQL identifier (attribute or table name; ours are code identifiers, checked all the same). */
function quoteName(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`PartiQL name: not a plain identifier (got ${JSON.stringify(name)})`);
  return `"${name}"`;
}

/** `INSERT INTO t VALUE {'a': ?, …}`: creates the item only if no item has its key. */
function insertStatement(tableName: string, item: Record<string, unknown>): BatchStatement {
  const names = Object.keys(item).filter((k) => item[k] !== undefined);
  for (const n of names) quoteName(n);
  return { Statement: `INSERT INTO ${quoteName(tableName)} VALUE {${names.map((n) => `'${n}': ?`).join(', ')}}`, Parameters: names.map((n) => item[n]) };
}

/** SET clauses of the recomputed fields of `claim`; with `before`, only those whose value differs from it. */
function computedFieldsUpdate(claim: Claim, before?: Claim) {
  const sets: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const previous = before as unknown as Record<string, unknown> | undefined;
  Object.entries(claim).forEach(([field, value], i) => {
    if (NOT_RECOMPUTED.has(field) || value === undefined) return;
    if (previous && field in previous && sameValue(previous[field], value)) return;
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  return { sets, names, values };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
