/**
 * The claims this process last read or wrote, so a warm Lambda instance handling the next update of an incident
 * writes its claims without reading them first: a real update costs 2 requests instead of 3.
 *
 * Safe because a cached claim is only ever the *base* of a write conditional on its version, as any read is: when
 * another instance (or a Slack decision, a filing) changed the claim since, the condition fails, the failure returns
 * the stored claim (`ReturnValuesOnConditionCheckFailure`) and the recompute starts again from that. "Nothing to
 * write" is decided on a cached claim only when this update's windows are already in it, and windows only move
 * forward (src/pipeline/recompute.ts `applyPatch`), so the stored claim has them too. Only claims known to exist are
 * cached: an absent claim may have been created elsewhere since, and a month the incident no longer touches must
 * find it to correct it.
 *
 * Bounded: at most MAX_ENTRIES claims and MAX_BYTES of them (JSON size), least recently used out first; a claim
 * larger than MAX_ENTRY_BYTES is not kept.
 */
import type { ResourceChunk } from '../claims/fleet.ts';
import type { IncidentRecord } from '../pipeline/incidents.ts';
import type { NewClaim, RecomputeClaimStore, RecomputedWrite, SaveResult, StoredClaim } from '../pipeline/ports.ts';
import type { AuditEntry, Claim, WindowMap } from '../claims/types.ts';
import { AUDIT_INLINE } from './claim-store.ts';
import { SizedCache, type SizedCacheLimits } from './sized-cache.ts';

export const MAX_ENTRIES = 500;
export const MAX_BYTES = 16 * 1024 * 1024;
export const MAX_ENTRY_BYTES = 256 * 1024;

/** The claims this process holds, by claim id; `set(id, null)` forgets a claim (it may not exist). */
export class ClaimCache extends SizedCache<StoredClaim> {
  constructor(limits: SizedCacheLimits = { entries: MAX_ENTRIES, bytes: MAX_BYTES, entryBytes: MAX_ENTRY_BYTES }) {
    super(limits);
  }
}

/** The claim as stored after a successful recompute write (the store's rule for the inline audit log). */
function afterWrite(next: Claim, windows: WindowMap, expected: StoredClaim | null, audit: AuditEntry): StoredClaim {
  const log = !expected || expected.audit.length >= AUDIT_INLINE ? [audit] : [...expected.audit, audit];
  if (!expected || next.status === expected.claim.status) return { claim: next, windows, audit: log };
  // A status change clears the decision on the item (claim-store `recomputedUpdate`): so does the cached copy.
  const { decidedBy: _d, decisionReason: _r, filingNote: _f, ...claim } = next;
  return { claim, windows, audit: log };
}

/** `store` with the cache in front of its reads for recompute, and every write's result remembered. */
export class CachedRecomputeStore implements RecomputeClaimStore {
  /** Present when the store offers it (a backup-Region copy's one-request check). */
  readonly getWithIncident?: (claimIds: readonly string[], account: string, eventArn: string) => Promise<{ claims: Map<string, StoredClaim>; incident: IncidentRecord | null }>;

  constructor(
    private readonly store: RecomputeClaimStore,
    readonly cache = new ClaimCache(),
  ) {
    const read = store.getWithIncident?.bind(store);
    if (read) {
      this.getWithIncident = async (claimIds, account, eventArn) => {
        const result = await read(claimIds, account, eventArn);
        for (const id of claimIds) this.cache.set(id, result.claims.get(id) ?? null);
        return result;
      };
    }
  }

  putResourceLists(chunks: readonly ResourceChunk[]): Promise<void> {
    return this.store.putResourceLists(chunks);
  }

  getResourceLists(ids: readonly string[]): Promise<Map<string, string[]>> {
    return this.store.getResourceLists(ids);
  }

  /** True when every claim is in the cache, so reading them ahead would be wasted. */
  cached(claimIds: readonly string[]): boolean {
    return claimIds.length > 0 && claimIds.every((id) => this.cache.has(id));
  }

  async getForRecompute(claimIds: readonly string[]): Promise<Map<string, StoredClaim>> {
    const out = new Map<string, StoredClaim>();
    const missing: string[] = [];
    for (const id of claimIds) {
      const hit = this.cache.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const read = await this.store.getForRecompute(missing);
    for (const id of missing) {
      const stored = read.get(id);
      this.cache.set(id, stored ?? null);
      if (stored) out.set(id, stored);
    }
    return out;
  }

  async listStoredByMonth(month: string): Promise<StoredClaim[]> {
    return this.store.listStoredByMonth(month);
  }

  async saveRecomputed(next: Claim, windows: WindowMap, expected: StoredClaim | null, audit: AuditEntry): Promise<SaveResult> {
    try {
      return this.remember({ next, windows, expected, audit }, await this.store.saveRecomputed(next, windows, expected, audit));
    } catch (error) {
      this.cache.forget(next.claimId); // unknown outcome: read it next time
      throw error;
    }
  }

  async saveManyRecomputed(writes: readonly RecomputedWrite[]): Promise<SaveResult[]> {
    const many = this.store.saveManyRecomputed?.bind(this.store);
    try {
      const results = many ? await many(writes) : await Promise.all(writes.map((w) => this.store.saveRecomputed(w.next, w.windows, w.expected, w.audit)));
      return results.map((r, i) => this.remember(writes[i]!, r));
    } catch (error) {
      for (const w of writes) this.cache.forget(w.next.claimId);
      throw error;
    }
  }

  async createMany(claims: readonly NewClaim[]): Promise<Set<string>> {
    for (const c of claims) this.cache.forget(c.next.claimId);
    if (!this.store.createMany) return new Set();
    const created = await this.store.createMany(claims);
    // A large event's claims are not kept: 10 000 of them would only push out the busy ones.
    if (created.size <= 100) for (const c of claims) if (created.has(c.next.claimId)) this.cache.set(c.next.claimId, afterWrite(c.next, c.windows, null, c.audit));
    return created;
  }

  private remember(w: RecomputedWrite, result: SaveResult): SaveResult {
    this.cache.set(w.next.claimId, result.ok ? afterWrite(result.claim, w.windows, w.expected, w.audit) : result.current);
    return result;
  }
}
