import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { claimFromRecord, processClaimStream, type StreamRecord } from '../../src/slack/stream.ts';
import { sampleClaim } from '../helpers/claims.ts';

function record(seq: string, item: Record<string, unknown> | null, eventName = 'MODIFY'): StreamRecord {
  return {
    eventID: `e${seq}`,
    eventName,
    dynamodb: { SequenceNumber: seq, ...(item ? { NewImage: marshall(item, { removeUndefinedValues: true }) as never } : {}) },
  };
}

const claimItem = (claim: Claim) => ({ ...claim, pk: `CLAIM#${claim.claimId}`, sk: 'CLAIM', gsi1pk: `MONTH#${claim.month}`, gsi1sk: 'x', type: 'claim' });
const logger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('claim stream processing', () => {
  it('turns a NewImage back into the claim (keys stripped)', () => {
    const claim = sampleClaim({ claimId: 'c1' });
    expect(claimFromRecord(record('1', claimItem(claim)))).toEqual(claim);
  });

  it('skips deletions, records without a new image and non-claim items', async () => {
    const notify = vi.fn(async () => undefined);
    const result = await processClaimStream(
      {
        Records: [
          record('1', claimItem(sampleClaim()), 'REMOVE'),
          record('2', null),
          record('3', { pk: 'CLAIM#c1', sk: 'AUDIT#2025#1', action: 'transition' }, 'INSERT'),
          record('4', { pk: 'INCIDENT#1#arn', sk: 'INCIDENT' }, 'INSERT'),
        ],
      },
      notify,
      logger(),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(notify).not.toHaveBeenCalled();
  });

  it('reports only the failed records, and still processes the others', async () => {
    const seen: string[] = [];
    const notify = vi.fn(async (claim: Claim) => {
      seen.push(claim.claimId);
      if (claim.claimId === 'bad') throw new Error('slack is down');
    });
    const log = logger();
    const result = await processClaimStream(
      {
        Records: [
          record('100', claimItem(sampleClaim({ claimId: 'a' }))),
          record('101', claimItem(sampleClaim({ claimId: 'bad' }))),
          record('102', claimItem(sampleClaim({ claimId: 'c' }))),
          record('103', { pk: 'CLAIM#broken', sk: 'CLAIM', claimId: 'broken', status: 'weird' }),
        ],
      },
      notify,
      log,
    );
    expect(seen).toEqual(['a', 'bad', 'c']);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }, { itemIdentifier: '103' }] });
    expect(log.error).toHaveBeenCalledTimes(2);
  });
});
