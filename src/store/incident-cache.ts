/**
 * The incident histories this process last wrote or read, so a warm Lambda instance handling the next update of an
 * incident can write that update's claims while the history write is still in flight: one round trip instead of two
 * (src/pipeline/ingest.ts).
 *
 * Safe because a cached history is only a guess that ingest checks against the history the write returns: histories
 * only grow, so the guess (cached history + this update) is right exactly when the returned one has the same updates
 * and months; otherwise ingest recomputes from the returned history, whose windows, from a longer history, replace
 * the guessed ones (src/pipeline/recompute.ts `applyPatch`).
 *
 * Not kept: which updates this process finished. A copy of a finished update still reads the stored history, because
 * any delivery must bring a claim left behind by another update's interrupted processing up to date (issue 11).
 *
 * Bounded: at most MAX_INCIDENTS histories and MAX_BYTES of them (JSON size), least recently used out first; a history
 * larger than MAX_INCIDENT_BYTES is not kept (the store compacts large ones, so a copy could differ from what it
 * returns).
 */
import type { AffectedEntity } from '../health/types.ts';
import type { IncidentRecord, IncidentState, UpdateEntry } from '../pipeline/incidents.ts';
import type { IncidentStore } from '../pipeline/ports.ts';
import { SizedCache } from './sized-cache.ts';

export const MAX_INCIDENTS = 500;
export const MAX_BYTES = 16 * 1024 * 1024;
export const MAX_INCIDENT_BYTES = 64 * 1024;

export class CachedIncidentStore implements IncidentStore {
  private readonly records: SizedCache<IncidentRecord>;

  constructor(
    private readonly store: IncidentStore,
    limits = { incidents: MAX_INCIDENTS, bytes: MAX_BYTES, incidentBytes: MAX_INCIDENT_BYTES },
  ) {
    this.records = new SizedCache({ entries: limits.incidents, bytes: limits.bytes, entryBytes: limits.incidentBytes });
  }

  get size(): number {
    return this.records.size;
  }

  async recordUpdate(account: string, eventArn: string, entry: UpdateEntry, months: readonly string[]) {
    try {
      const result = await this.store.recordUpdate(account, eventArn, entry, months);
      this.keep(result.incident);
      return result;
    } catch (error) {
      this.forget(account, eventArn); // unknown outcome: the next update reads what is stored
      throw error;
    }
  }

  async addMonths(account: string, eventArn: string, months: readonly string[]): Promise<void> {
    try {
      await this.store.addMonths(account, eventArn, months);
    } finally {
      // Simplest correct answer either way: the next update of this incident takes the uncached path.
      this.forget(account, eventArn);
    }
  }

  putEntities(account: string, eventArn: string, updateKey: string, entities: readonly AffectedEntity[]): Promise<number> {
    return this.store.putEntities(account, eventArn, updateKey, entities);
  }

  listEntities(account: string, eventArn: string): Promise<AffectedEntity[]> {
    return this.store.listEntities(account, eventArn);
  }

  async getIncident(account: string, eventArn: string): Promise<IncidentRecord | null> {
    const record = await this.store.getIncident(account, eventArn);
    if (record) this.keep(record);
    return record;
  }

  getState(account: string, eventArn: string): Promise<IncidentState | null> {
    return this.store.getState(account, eventArn);
  }

  cachedIncident(account: string, eventArn: string): IncidentRecord | undefined {
    return this.records.get(keyOf(account, eventArn));
  }

  private keep(record: IncidentRecord): void {
    this.records.set(keyOf(record.account, record.eventArn), record);
  }

  private forget(account: string, eventArn: string): void {
    this.records.forget(keyOf(account, eventArn));
  }
}

function keyOf(account: string, eventArn: string): string {
  return `${account}|${eventArn}`;
}
