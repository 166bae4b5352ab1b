/**
 * DynamoDB stream records → claims → `notifyClaim`, reporting failed records (`ReportBatchItemFailures`) so one bad
 * record does not fail the others. Lambda resumes a stream batch from the lowest failed sequence number, so records
 * after a failure may be seen again: harmless, `notifyClaim` is idempotent.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { CLAIM_STATUSES, type Claim } from '../claims/types.ts';
import type { SlackLogger } from './log.ts';

export interface StreamRecord {
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' | string;
  dynamodb?: {
    NewImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
  };
}

export interface StreamEvent {
  Records: StreamRecord[];
}

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

const claimShape = z
  .object({
    claimId: z.string().min(1),
    status: z.enum(CLAIM_STATUSES),
    version: z.number().int().positive(),
    claimable: z.boolean(),
    month: z.string(),
    evidence: z.array(z.unknown()),
    slaClause: z.object({ name: z.string() }).loose(),
  })
  .loose();

/** The claim in a stream record's NewImage, or null for records that are not claim items (or deletions). */
export function claimFromRecord(record: StreamRecord): Claim | null {
  const image = record.dynamodb?.NewImage;
  if (record.eventName === 'REMOVE' || !image) return null;
  const item = unmarshall(image) as Record<string, unknown>;
  if (item.sk !== 'CLAIM') return null;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, ...rest } = item;
  const parsed = claimShape.safeParse(rest);
  if (!parsed.success) {
    throw new Error(`stream record ${record.eventID ?? '?'}: not a claim (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  }
  return parsed.data as unknown as Claim;
}

export async function processClaimStream(
  event: StreamEvent,
  notify: (claim: Claim) => Promise<unknown>,
  logger: SlackLogger,
): Promise<BatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  // In order: records of one claim arrive in order on one shard; notifyClaim re-reads the claim anyway.
  for (const record of event.Records ?? []) {
    const sequence = record.dynamodb?.SequenceNumber;
    try {
      const claim = claimFromRecord(record);
      if (!claim) continue;
      await notify(claim);
    } catch (error) {
      logger.error('claim notification failed', { eventID: record.eventID, error: (error as Error).message });
      if (sequence) failures.push({ itemIdentifier: sequence });
      else throw error; // Without a sequence number the record cannot be reported: fail the batch.
    }
  }
  return { batchItemFailures: failures };
}
