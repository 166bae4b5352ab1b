/**
 * What the ingest, recompute and refresh use cases need from storage: small interfaces, injected through
 * `IngestDeps` (DynamoDB adapters in src/store/; fakes in unit tests).
 */
import type { ResourceChunk } from '../claims/fleet.ts';
import type { AuditEntry, Claim, WindowMap } from '../claims/types.ts';
import type { AffectedEntity } from '../health/types.ts';
import type { IncidentRecord, IncidentState, UpdateEntry } from './incidents.ts';
import type { QuarantineRecord } from './quarantine.ts';

export interface IncidentStore {
  /**
   * Adds one update (one page of one lastUpdatedTime) to the incident's history, once: `fresh` is false when this
   * exact update was already recorded (a redelivery, a backup-Region copy). Either way returns the whole record.
   * `months` are added to the months the incident's claims ever touched.
   */
  recordUpdate(account: string, eventArn: string, entry: UpdateEntry, months: readonly string[]): Promise<{ fresh: boolean; incident: IncidentRecord }>;
  /** Adds months to the months the incident's claims touched (an open outage reaching a new month). */
  addMonths(account: string, eventArn: string, months: readonly string[]): Promise<void>;
  /** Stores one update's affected entities in size-bounded chunks (idempotent); returns the number of chunks. */
  putEntities(account: string, eventArn: string, updateKey: string, entities: readonly AffectedEntity[]): Promise<number>;
  /** Every affected entity stored for the incident (all updates and pages, deduplicated by value). */
  listEntities(account: string, eventArn: string): Promise<AffectedEntity[]>;
  getIncident(account: string, eventArn: string): Promise<IncidentRecord | null>;
  /** The newest state, derived from the history. */
  getState(account: string, eventArn: string): Promise<IncidentState | null>;
  /**
   * Optional (src/store/incident-cache.ts): the history as this process last wrote or read it, without a request.
   * Possibly behind the stored one (never ahead of it): only a guess to check against what `recordUpdate` returns.
   */
  cachedIncident?(account: string, eventArn: string): IncidentRecord | undefined;
}

/** A claim as stored, with the incident windows it was computed from. */
export interface StoredClaim {
  claim: Claim;
  windows: WindowMap;
  /** The computed-change audit entries kept inline on the claim item (bounded; older ones move to audit items). */
  audit: AuditEntry[];
}

export type SaveResult = { ok: true; claim: Claim } | { ok: false; current: StoredClaim | null };

/** The part of the claim store the recompute use case needs. */
export interface RecomputeClaimStore extends ResourceListStore {
  /** Strongly consistent reads of many claims (absent ones are missing from the map). */
  getForRecompute(claimIds: readonly string[]): Promise<Map<string, StoredClaim>>;
  /** A month's claims with their windows (claimsRefresh). */
  listStoredByMonth(month: string): Promise<StoredClaim[]>;
  /**
   * Writes `next` (its computed fields, windows and one audit entry) only if the stored claim is still `expected`
   * (same version, or still absent). Never touches the Slack reference. On a lost race returns the current claim.
   */
  saveRecomputed(next: Claim, windows: WindowMap, expected: StoredClaim | null, audit: AuditEntry): Promise<SaveResult>;
  /**
   * Optional fast path for claims that did not exist when read: creates them in few requests, each only if still
   * absent. Returns the ids created; the caller writes the others through `saveRecomputed` (which then finds the
   * claim written meanwhile and recomputes from it).
   */
  createMany?(claims: readonly NewClaim[]): Promise<Set<string>>;
  /**
   * Optional: several `saveRecomputed` writes in one request (each still conditional on its own claim); results in
   * input order.
   */
  saveManyRecomputed?(writes: readonly RecomputedWrite[]): Promise<SaveResult[]>;
  /**
   * Optional: claims (at most 99) and one incident's record in ONE strongly consistent read, so a backup-Region copy
   * can find out that it is a duplicate, and that its claims are in place, in a single request.
   */
  getWithIncident?(claimIds: readonly string[], account: string, eventArn: string): Promise<{ claims: Map<string, StoredClaim>; incident: IncidentRecord | null }>;
  /** Optional: true when `getForRecompute` would answer these claims without a request (src/store/claim-cache.ts). */
  cached?(claimIds: readonly string[]): boolean;
}

/**
 * Content-addressed resource lists of fleet claims (src/claims/fleet.ts): the id is the hash of the list, so a write
 * needs no condition (writing one twice writes the same) and a list never changes once written.
 */
export interface ResourceListStore {
  putResourceLists(chunks: readonly ResourceChunk[]): Promise<void>;
  /** The lists of these ids (absent ones are missing from the map). */
  getResourceLists(ids: readonly string[]): Promise<Map<string, string[]>>;
}

/** A fleet claim's full resource list, in order: its parts' inline resources, or their chunks read from `lists`. */
export async function fleetResources(parts: readonly { resources: string[]; chunks?: string[] }[], lists: ResourceListStore): Promise<string[]> {
  const ids = parts.flatMap((p) => p.chunks ?? []);
  const read = ids.length ? await lists.getResourceLists(ids) : new Map<string, string[]>();
  return parts.flatMap((p) => partResources(p, read));
}

/** One part's full list: its inline resources, or its chunks from lists already read (`getResourceLists`). */
export function partResources(part: { resources: string[]; chunks?: string[] }, read: ReadonlyMap<string, string[]>): string[] {
  if (!part.chunks?.length) return part.resources;
  return part.chunks.flatMap((id) => {
    const list = read.get(id);
    if (!list) throw new Error(`resource list ${id}: not found (a fleet claim names a list that was never written)`);
    return list;
  });
}

export interface RecomputedWrite {
  next: Claim;
  windows: WindowMap;
  expected: StoredClaim | null;
  audit: AuditEntry;
}

export interface NewClaim {
  next: Claim;
  windows: WindowMap;
  audit: AuditEntry;
}

export interface QuarantineStore {
  put(raw: unknown, source: string, reason: string, receivedAt: string, field?: string): Promise<QuarantineRecord>;
}
