import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../src/pipeline/recompute.ts';
import type { IncidentWindow } from '../../src/claims/types.ts';

const NOW = Date.parse('2025-11-02T00:00:00Z');
const win = (endIso: string, historyUpdates?: number): IncidentWindow => ({
  eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/X/Y',
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  statusCode: 'closed',
  startMs: Date.parse('2025-10-20T06:48:00Z'),
  endMs: Date.parse(endIso),
  lastUpdatedMs: Date.parse(endIso),
  description: '',
  affectedResources: [],
  affectedResourceCount: 0,
  ...(historyUpdates === undefined ? {} : { historyUpdates }),
});

describe('applyPatch: a window from a longer history is never replaced by one from a shorter history', () => {
  const newer = win('2025-10-20T09:40:00Z', 3);
  const older = win('2025-10-20T07:20:00Z', 2);

  it('keeps the stored newer window against an older patch, and its removal', () => {
    expect(applyPatch({ k: newer }, { month: '2025-10', patch: { k: older }, historyUpdates: 2 }, NOW)).toEqual({ k: newer });
    expect(applyPatch({ k: newer }, { month: '2025-10', patch: { k: null }, historyUpdates: 2 }, NOW)).toEqual({ k: newer });
  });

  it('applies a patch from the same or a longer history, and over windows stored without a history size', () => {
    expect(applyPatch({ k: older }, { month: '2025-10', patch: { k: newer }, historyUpdates: 3 }, NOW)).toEqual({ k: newer });
    expect(applyPatch({ k: newer }, { month: '2025-10', patch: { k: null }, historyUpdates: 3 }, NOW)).toEqual({});
    const legacy = win('2025-10-20T09:40:00Z');
    expect(applyPatch({ k: legacy }, { month: '2025-10', patch: { k: older }, historyUpdates: 2 }, NOW)).toEqual({ k: older });
  });

  it('leaves other incidents\' windows alone and drops a window outside the month', () => {
    expect(applyPatch({ other: newer }, { month: '2025-11', patch: { k: older }, historyUpdates: 2 }, NOW)).toEqual({ other: newer });
  });
});

describe('applyPatch: a guessed history (src/pipeline/ingest.ts) also yields to a stored one just as long', () => {
  const stored = win('2025-10-20T09:40:00Z', 2);
  const guessed = win('2025-10-20T07:20:00Z', 2);

  it('keeps the stored window of an equally long history against a guessed patch, not against a confirmed one', () => {
    expect(applyPatch({ k: stored }, { month: '2025-10', patch: { k: guessed }, historyUpdates: 2, guess: true }, NOW)).toEqual({ k: stored });
    expect(applyPatch({ k: stored }, { month: '2025-10', patch: { k: guessed }, historyUpdates: 2 }, NOW)).toEqual({ k: guessed });
  });

  it('applies a guessed patch from a longer history', () => {
    expect(applyPatch({ k: stored }, { month: '2025-10', patch: { k: guessed }, historyUpdates: 3, guess: true }, NOW)).toEqual({ k: guessed });
  });
});
