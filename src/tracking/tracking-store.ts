/**
 * The DynamoDB adapter of `TrackingStore`: what tracking and reconciliation found, written on the claim item only if
 * it is still in the status and version the use case read (version + 1), in one transaction with its audit item —
 * like the store's `transition`, without a status change. Each value is bounded in bytes before it is written.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, CaseTracking, Claim, PaymentRecord } from '../claims/types.ts';
import type { Db } from '../store/clients.ts';
import { isConditionFailure } from '../store/dynamo.ts';
import { keys } from '../store/table.ts';
import type { TrackingStore } from './ports.ts';

/** Bytes of a claim's `tracking` (answers are trimmed to fit before this is reached; see track-cases.ts). */
export const MAX_TRACKING_BYTES = 24 * 1024;

export class DynamoTrackingStore implements TrackingStore {
  constructor(private readonly db: Db) {}

  recordTracking(claim: Pick<Claim, 'claimId' | 'status' | 'version'>, tracking: CaseTracking, audit: AuditEntry): Promise<boolean> {
    const size = Buffer.byteLength(JSON.stringify(tracking));
    if (size > MAX_TRACKING_BYTES) throw new Error(`claim ${claim.claimId}: tracking is ${size} bytes (at most ${MAX_TRACKING_BYTES})`);
    return this.write(claim, 'tracking', tracking, audit);
  }

  recordPayment(claim: Pick<Claim, 'claimId' | 'status' | 'version'>, payment: PaymentRecord, audit: AuditEntry): Promise<boolean> {
    if (!Number.isSafeInteger(payment.paidCents) || payment.paidCents < 0) {
      throw new Error(`claim ${claim.claimId}: payment.paidCents must be a non-negative integer number of cents (got ${JSON.stringify(payment.paidCents)})`);
    }
    return this.write(claim, 'payment', payment, audit);
  }

  private async write(claim: Pick<Claim, 'claimId' | 'status' | 'version'>, field: 'tracking' | 'payment', value: unknown, audit: AuditEntry): Promise<boolean> {
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.db.tableName,
                Key: keys.claim(claim.claimId),
                UpdateExpression: 'SET #field = :value, #version = :next, updatedAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND #status = :status AND #version = :v',
                ExpressionAttributeNames: { '#field': field, '#status': 'status', '#version': 'version' },
                ExpressionAttributeValues: { ':value': value, ':status': claim.status, ':v': claim.version, ':next': claim.version + 1, ':at': audit.at },
              },
            },
            {
              Put: {
                TableName: this.db.tableName,
                Item: { ...keys.audit(claim.claimId, audit.at, randomUUID().slice(0, 8)), type: 'audit', ...audit, version: claim.version + 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      const name = (error as Error)?.name;
      if (isConditionFailure(error) || name === 'TransactionConflictException') return false;
      throw error;
    }
  }
}
