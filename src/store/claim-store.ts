/**
 * Claim persistence: the port (`ClaimStore`) and its DynamoDB adapter.
 * State transitions are conditional writes (status + version) in one transaction with their audit entry,
 * so a double click, a retry or 20 parallel approvals make exactly one transition.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { canTransition, type AuditEntry, type Claim, type ClaimStatus, type SlackPostIntent, type SlackRef } from '../claims/types.ts';
import { stableStringify } from '../util/stable-json.ts';
import type { Db } from './clients.ts';
import { isConditionFailure, queryAll } from './dynamo.ts';
import { GSI1, keys } from './table.ts';

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
  /** Extra attributes written with the transition (e.g. `slack`). */
  patch?: Partial<Pick<Claim, 'slack' | 'decidedBy' | 'decisionReason'>>;
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

export interface ClaimStore {
  getClaim(claimId: string): Promise<Claim | null>;
  /** One page of a month's claims, through the month index (never a Scan). */
  listClaimsByMonthPage(month: string, options?: { limit?: number; cursor?: string }): Promise<MonthPage>;
  /** All of a month's claims (follows every page). */
  listClaimsByMonth(month: string): Promise<Claim[]>;
  /** Creates or replaces the computed numbers of a claim; see `saveComputedClaim`. */
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
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(claimId: string): Promise<AuditEntry[]>;
}

type ClaimItem = Claim & { pk: string; sk: string; gsi1pk: string; gsi1sk: string; type: 'claim' };

function toItem(claim: Claim): ClaimItem {
  return {
    ...claim,
    ...keys.claim(claim.claimId),
    gsi1pk: keys.monthIndex(claim.month),
    gsi1sk: `${claim.account}#${claim.slaId}#${claim.resource ?? claim.region}`,
    type: 'claim',
  };
}

function fromItem(item: Record<string, unknown> | undefined): Claim | null {
  if (!item) return null;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, ...claim } = item;
  return claim as unknown as Claim;
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

/**
 * Recomputing a claim (from ingest) after a decision: numbers that changed after approval need a new approval,
 * so an approved claim whose credit changed goes back to pending approval; submitted/rejected claims keep their status.
 */
export function statusAfterRecompute(previous: Claim, next: Claim): ClaimStatus {
  const moneyChanged = previous.creditCents !== next.creditCents || previous.creditPercent !== next.creditPercent;
  if (previous.status === 'approved' && moneyChanged) return 'pending_approval';
  return previous.status;
}

export class DynamoClaimStore implements ClaimStore {
  constructor(private readonly db: Db) {}

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
        Limit: options.limit,
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

  /**
   * Writes freshly computed numbers, retrying on a concurrent write. New claims start as `draft`, version 1.
   * Existing ones keep their status (see `statusAfterRecompute`), Slack reference and decision, and get
   * version + 1. Unchanged numbers write nothing.
   */
  async saveComputedClaim(computed: Claim): Promise<Claim> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const saved = await this.saveComputedClaimIfCurrent(computed, await this.getClaim(computed.claimId));
      if (saved) return saved;
    }
    throw new Error(`claim ${computed.claimId}: too many concurrent updates`);
  }

  /**
   * Writes `computed` only if the stored claim is still `existing` (same version, or still absent).
   * Returns the stored claim, or null when another writer got there first (recompute and try again).
   */
  async saveComputedClaimIfCurrent(computed: Claim, existing: Claim | null): Promise<Claim | null> {
    if (!existing) {
      const fresh: Claim = { ...computed, status: 'draft', version: 1 };
      try {
        await this.db.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.db.tableName, Item: toItem(fresh), ConditionExpression: 'attribute_not_exists(pk)' } },
              {
                Put: {
                  TableName: this.db.tableName,
                  Item: auditItem({ claimId: fresh.claimId, at: fresh.updatedAt, actor: 'system', action: 'created', to: 'draft', version: 1 }),
                },
              },
            ],
          }),
        );
        return fresh;
      } catch (error) {
        if (isConditionFailure(error) || (error as Error)?.name === 'TransactionConflictException') return null;
        throw error;
      }
    }
    if (sameNumbers(existing, computed)) return existing;
    const status = statusAfterRecompute(existing, computed);
    const next: Claim = {
      ...computed,
      status,
      version: existing.version + 1,
      createdAt: existing.createdAt,
      ...(existing.slack ? { slack: existing.slack } : {}),
      ...(existing.decidedBy && status === existing.status ? { decidedBy: existing.decidedBy } : {}),
      ...(existing.decisionReason && status === existing.status ? { decisionReason: existing.decisionReason } : {}),
    };
    // An Update, not a Put: the Slack reference is written by setSlackRef without a version bump, and a whole-item
    // Put conditional on the version would restore the reference read before it (then a second message is posted).
    const { sets, names, values } = computedFieldsUpdate(next);
    const decisionCleared = status !== existing.status;
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.db.tableName,
                Key: keys.claim(next.claimId),
                UpdateExpression: `SET ${sets.join(', ')}${decisionCleared ? ' REMOVE decidedBy, decisionReason' : ''}`,
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { ...names, '#version': 'version' },
                ExpressionAttributeValues: { ...values, ':expected': existing.version },
              },
            },
            {
              Put: {
                TableName: this.db.tableName,
                Item: auditItem({
                  claimId: next.claimId,
                  at: next.updatedAt,
                  actor: 'system',
                  action: 'recomputed',
                  from: existing.status,
                  to: status,
                  version: next.version,
                  detail: {
                    creditCents: String(next.creditCents),
                    previousCreditCents: String(existing.creditCents),
                    downtimeMinutes: String(next.downtimeMinutes),
                  },
                }),
              },
            },
          ],
        }),
      );
      return next;
    } catch (error) {
      if (isConditionFailure(error) || (error as Error)?.name === 'TransactionConflictException') return null;
      throw error;
    }
  }

  async transition(request: TransitionRequest): Promise<TransitionResult> {
    if (!canTransition(request.from, request.to)) {
      throw new Error(`transition: ${request.from} → ${request.to} is not allowed`);
    }
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
          ConditionExpression:
            previousId === null ? 'attribute_exists(pk) AND attribute_not_exists(slackPost)' : 'attribute_exists(pk) AND slackPost.id = :previous',
          ExpressionAttributeValues: { ':intent': intent, ...(previousId === null ? {} : { ':previous': previousId }) },
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
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': keys.claim(claimId).pk, ':audit': 'AUDIT#' },
      ConsistentRead: true,
    });
    return items.map(({ pk: _pk, sk: _sk, type: _type, ...entry }) => entry as unknown as AuditEntry);
  }
}

/** Attributes a recompute owns: everything but identity, creation time, the Slack reference and post, and the decision. */
const NOT_RECOMPUTED = new Set(['claimId', 'createdAt', 'slack', 'slackPost', 'decidedBy', 'decisionReason']);

function computedFieldsUpdate(claim: Claim) {
  const sets: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  Object.entries(claim).forEach(([field, value], i) => {
    if (NOT_RECOMPUTED.has(field) || value === undefined) return;
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  return { sets, names, values };
}

function sameNumbers(a: Claim, b: Claim): boolean {
  return (
    a.downtimeMinutes === b.downtimeMinutes &&
    a.creditPercent === b.creditPercent &&
    a.creditCents === b.creditCents &&
    a.chargesCents === b.chargesCents &&
    a.provisional === b.provisional &&
    a.claimable === b.claimable &&
    stableStringify(a.evidence) === stableStringify(b.evidence)
  );
}
