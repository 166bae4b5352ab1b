import { describe, expect, it } from 'vitest';
import { CachedIncidentStore } from '../../src/store/incident-cache.ts';
import type { IncidentRecord, UpdateEntry } from '../../src/pipeline/incidents.ts';
import type { IncidentStore } from '../../src/pipeline/ports.ts';

const record = (arn: string, description = ''): IncidentRecord => ({
  account: '123456789012',
  eventArn: arn,
  updates: [{ lastUpdatedMs: 1, page: 1, description } as unknown as UpdateEntry],
  months: ['2025-10'],
});

/** A store whose recordUpdate answers `record(arn)` (or fails when asked to). */
function fakeStore(options: { fail?: boolean; description?: string } = {}): IncidentStore {
  return {
    recordUpdate: async (_a, arn) => {
      if (options.fail) throw new Error('connection reset');
      return { fresh: true, incident: record(arn, options.description) };
    },
    addMonths: async () => {},
    putEntities: async () => 0,
    listEntities: async () => [],
    getIncident: async (_a, arn) => record(arn, options.description),
    getState: async () => null,
  };
}

describe('CachedIncidentStore', () => {
  it('keeps the histories it wrote or read, at most its entries, least recently used out first', async () => {
    const cache = new CachedIncidentStore(fakeStore(), { incidents: 2, bytes: 1_000_000, incidentBytes: 64 * 1024 });
    await cache.recordUpdate('123456789012', 'a', {} as UpdateEntry, []);
    await cache.getIncident('123456789012', 'b');
    expect(cache.cachedIncident('123456789012', 'a')?.eventArn).toBe('a'); // a is now the most recent
    await cache.recordUpdate('123456789012', 'c', {} as UpdateEntry, []);
    expect(cache.size).toBe(2);
    expect(cache.cachedIncident('123456789012', 'b')).toBeUndefined();
    expect(cache.cachedIncident('123456789012', 'a')?.eventArn).toBe('a');
  });

  it('refuses a history over its entry limit and keeps its bytes bounded', async () => {
    const big = new CachedIncidentStore(fakeStore({ description: 'x'.repeat(70 * 1024) }));
    await big.recordUpdate('123456789012', 'a', {} as UpdateEntry, []);
    expect(big.cachedIncident('123456789012', 'a')).toBeUndefined();
    const small = new CachedIncidentStore(fakeStore({ description: 'x'.repeat(600) }), { incidents: 100, bytes: 1500, incidentBytes: 64 * 1024 });
    for (const arn of ['a', 'b', 'c']) await small.getIncident('123456789012', arn);
    expect(small.size).toBe(2);
  });

  it('forgets a history when its write fails (unknown outcome) or months are added', async () => {
    const store = fakeStore();
    const cache = new CachedIncidentStore(store);
    await cache.getIncident('123456789012', 'a');
    const failing = new CachedIncidentStore(fakeStore({ fail: true }));
    await failing.getIncident('123456789012', 'a');
    await expect(failing.recordUpdate('123456789012', 'a', {} as UpdateEntry, [])).rejects.toThrow('connection reset');
    expect(failing.cachedIncident('123456789012', 'a')).toBeUndefined();
    await cache.addMonths('123456789012', 'a', ['2025-11']);
    expect(cache.cachedIncident('123456789012', 'a')).toBeUndefined();
  });
});
