/**
 * Use case: recompute claims (scope × month) after their incident windows changed — from ingest (one incident's
 * window into each of its claims) and from claimsRefresh (charges and "now" moved on).
 *
 * A claim item embeds the windows of every incident of its scope-month, so a recompute is one read (BatchGetItem,
 * 100 claims per request) and, when something changed, one write conditional on the version read (a lost race
 * returns the current item with the failure; recompute from it and try again). The numbers depend only on the set
 * of windows, never on arrival order. Unchanged numbers and windows write nothing, which is what makes a
 * redelivery harmless. A credit is computed once per distinct (SLA, month, windows, charges). A fleet claim
 * (src/claims/fleet.ts) reads the resource lists of its other incidents' windows (once per run) to group its resources,
 * and stores the lists a write names (a new window's, a new group's) before the claim. Claims that do not exist yet are created in batches (`createMany`, ~100 per
 * request) when the store offers it, other writes several per request (`saveManyRecomputed`, each still conditional
 * on its own claim), and targets are handled 400 at a time to bound memory.
 */
import { boundWindows, buildClaimWithLists, nextClaim, recomputeAudit, sameNumbers, sameWindows, windowTouches, type ClaimScope } from '../claims/build.ts';
import { claimIdOf } from '../claims/ids.ts';
import type { Claim, IncidentWindow, WindowMap } from '../claims/types.ts';
import { creditBaseOptionsOf, type Contract } from '../contract/contract.ts';
import type { ScopeSeries } from '../metrics/types.ts';
import { computeCredit, type CreditInput, type CreditResult } from '../credit/engine.ts';
import { chargeBaseFor, type ChargeBase } from '../sla/credit-bases.ts';
import type { SpendSource } from '../spend/spend.ts';
import { mapPool } from '../util/pool.ts';
import type { ResourceChunk } from '../claims/fleet.ts';
import type { NewClaim, RecomputeClaimStore, SaveResult, StoredClaim } from './ports.ts';

export interface RecomputeDeps {
  claims: RecomputeClaimStore;
  contract: Contract;
  spend: SpendSource;
  now: () => number;
}

export interface ClaimTarget {
  scope: ClaimScope;
  month: string;
  /** Windows to set (or, null, to remove) by incident key; the claim's other windows are kept. */
  patch: Record<string, IncidentWindow | null>;
  /**
   * The size of the incident history the patch was computed from (ingest): a patch from a smaller history than a
   * stored window's `historyUpdates` is stale (a concurrent delivery of a newer update wrote first) and is skipped.
   */
  historyUpdates?: number;
  /**
   * The patch comes from a guessed history (the cached one plus this update; src/pipeline/ingest.ts), not yet
   * confirmed: it also yields to a stored window of a history just as long, which can only be the same history or
   * one the guess did not know of (the confirmed recompute follows either way).
   */
  guess?: true;
  /** A measured series to compute from (apply-measured.ts); absent: the series stored on the claim, if any. */
  series?: ScopeSeries;
  /**
   * Fleet claims (ingest): the full resource list of the patch's windows, by incident key, so the recompute does not
   * read back the lists ingest just stored. Any other window's list is read (and memoised for the run).
   */
  resources?: Record<string, readonly string[]>;
  /** The resource-list items of those lists, stored (before the claim) only when a write names them. */
  lists?: readonly ResourceChunk[];
}

export interface RecomputeResult {
  /** The claims as stored after the recompute (unchanged ones included). */
  claims: Claim[];
  /** Claims actually written. */
  written: number;
}

const READ_CONCURRENCY = 4;
const WRITE_CONCURRENCY = 32;
const MAX_ATTEMPTS = 20;
/** Claim writes per saveManyRecomputed request. */
const MANY = 25;
/** Targets handled at a time (4 transactions of 100 new claims): a 10 000-resource event never holds 10 000
 * stored items and their marshalled copies at once. (Two slices in flight measured no faster, with more RSS.) */
const SLICE = 400;

/** One attempt's outcome for a target: settled (the claim as stored, or null for none) or a write to make. */
type Step = { done: true; claim: Claim | null } | { done: false; write: NewClaim; current: StoredClaim | null };

/** Claims read ahead of the recompute (`ids` were read; those missing from `claims` were absent). */
export interface Prefetched {
  ids: ReadonlySet<string>;
  claims: ReadonlyMap<string, StoredClaim>;
}

/**
 * `prefetched`: claims already read (e.g. while the incident write was in flight). Any read, however early, is only
 * the base of a version-conditional write, so a claim changed since is caught by the condition and recomputed.
 */
export async function recomputeClaims(targets: readonly ClaimTarget[], deps: RecomputeDeps, prefetched?: Prefetched): Promise<RecomputeResult> {
  const nowMs = deps.now();
  const credit = memoCredit();
  const charges = new Map<string, Promise<number | null>>();
  // The SLA's credit base (which charges count: src/sla/credit-bases.ts) is part of the question and of its memo key.
  const chargesOf = (scope: ClaimScope, month: string, base: ChargeBase) => {
    const key = JSON.stringify([scope.account, month, scope.service, scope.region, scope.resource, base]);
    let p = charges.get(key);
    if (!p) {
      p = deps.spend.chargesCents({ account: scope.account, month, service: scope.service, region: scope.region, resource: scope.resource, allRegions: base.allRegions, base });
      charges.set(key, p);
    }
    return p;
  };

  // Fleet claims: resource lists read once per run (content-addressed, so never stale), each resource's charges.
  const lists = new Map<string, string[]>();
  const readLists = async (ids: readonly string[]) => {
    const missing = [...new Set(ids)].filter((id) => !lists.has(id));
    if (!missing.length) return;
    const read = await deps.claims.getResourceLists(missing);
    for (const id of missing) {
      const list = read.get(id);
      if (!list) throw new Error(`resource list ${id}: not found (a fleet claim's window names a list that was never stored)`);
      lists.set(id, list);
    }
  };
  const resourceCharges = new Map<string, Promise<number | null>>();
  const chargeOfResource = (scope: ClaimScope, month: string, resource: string) => {
    const key = JSON.stringify([scope.account, month, scope.service, scope.region, resource]);
    let p = resourceCharges.get(key);
    if (!p) {
      p = deps.spend.chargesCents({ account: scope.account, month, service: scope.service, region: scope.region, resource });
      resourceCharges.set(key, p);
    }
    return p;
  };
  /** A fleet claim's inputs: every counting window's full list, and its resources' charges added up. */
  const fleetInputs = async (target: ClaimTarget, windows: WindowMap) => {
    const byIncident = new Map<string, readonly string[]>();
    const toRead: string[] = [];
    const all = new Set<string>();
    for (const [k, w] of Object.entries(windows)) {
      if (!windowTouches(w, target.month, nowMs)) continue;
      if (!w.resourceChunks?.length) w.affectedResources.forEach((r) => all.add(r));
      else if (target.resources?.[k] && windows[k] === target.patch[k]) byIncident.set(k, target.resources[k]!);
      else toRead.push(...w.resourceChunks);
    }
    await readLists(toRead);
    for (const [k, w] of Object.entries(windows)) {
      if (w.resourceChunks?.length && !byIncident.has(k) && windowTouches(w, target.month, nowMs)) byIncident.set(k, w.resourceChunks.flatMap((id) => lists.get(id)!));
    }
    for (const list of byIncident.values()) list.forEach((r) => all.add(r));
    const charges = new Map<string, number | null>();
    await mapPool([...all], WRITE_CONCURRENCY, async (r) => void charges.set(r, await chargeOfResource(target.scope, target.month, r)));
    const sum = (resources: readonly string[]) => {
      let total = 0;
      for (const r of resources) {
        const c = charges.get(r);
        if (c === null || c === undefined) return null;
        total += c;
      }
      return total;
    };
    return { resourceLists: byIncident, resourceCharges: sum };
  };

  /** Recomputes one target from `current` (what is stored, or null): nothing to write, or the write to make. */
  const step = async (target: ClaimTarget, current: StoredClaim | null): Promise<Step> => {
    const sla = deps.contract.slas.get(target.scope.slaId);
    if (!sla) return { done: true, claim: null };
    const windows = applyPatch(current?.windows ?? {}, target, nowMs);
    // A month this incident does not touch gets no new claim; an existing one is corrected.
    if (!current && Object.keys(windows).length === 0) return { done: true, claim: null };
    // A fleet's charges are its resources' (each credited on its own), never the Region's.
    const fleet = target.scope.fleet ? await fleetInputs(target, windows) : null;
    const chargesCents = fleet ? null : await chargesOf(target.scope, target.month, chargeBaseFor(sla, target.scope.region, creditBaseOptionsOf(deps.contract, target.scope)));
    const built = buildClaimWithLists({ scope: target.scope, sla, negotiated: deps.contract.negotiated.has(sla.id), month: target.month, windows, chargesCents, nowMs, credit, series: target.series ?? current?.claim.measuredSeries ?? null, ...(fleet ?? {}) });
    const computed = built.claim;
    const bounded = boundWindows(windows, computed.evidence);
    if (current && sameNumbers(current.claim, computed) && sameWindows(current.windows, bounded)) return { done: true, claim: current.claim };
    // Every list the write names goes first, unless the stored claim names it already (it was stored before that
    // claim was): a redelivery that changes nothing writes none.
    const named = new Set([...Object.values(windows).flatMap((w) => w.resourceChunks ?? []), ...built.chunks.map((c) => c.id)]);
    const stored = new Set([...Object.values(current?.windows ?? {}).flatMap((w) => w.resourceChunks ?? []), ...(current?.claim.fleet?.parts.flatMap((p) => p.chunks ?? []) ?? [])]);
    const newLists = new Map([...(target.lists ?? []), ...built.chunks].filter((c) => named.has(c.id) && !stored.has(c.id)).map((c) => [c.id, c]));
    if (newLists.size) await deps.claims.putResourceLists([...newLists.values()]);
    const next = nextClaim(current?.claim ?? null, computed);
    return { done: false, write: { next, windows: bounded, audit: recomputeAudit(current?.claim ?? null, next) }, current };
  };

  let written = 0;
  /** The single conditional path: write, and on a lost race recompute from the claim returned and try again. */
  const settle = async (target: ClaimTarget, first: Step): Promise<Claim | null> => {
    let s = first;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (s.done) return s.claim;
      const saved = await deps.claims.saveRecomputed(s.write.next, s.write.windows, s.current, s.write.audit);
      if (saved.ok) {
        written++;
        return saved.claim;
      }
      s = await step(target, saved.current);
    }
    throw new Error(`claim ${claimIdOf(target.scope.scopeKey, target.month)}: too many concurrent updates; will be retried`);
  };

  const claims: Claim[] = [];
  for (let from = 0; from < targets.length; from += SLICE) {
    const slice = targets.slice(from, from + SLICE);
    const ids = slice.map((t) => claimIdOf(t.scope.scopeKey, t.month));
    const stored = new Map<string, StoredClaim>();
    const toRead: string[] = [];
    for (const id of ids) {
      if (!prefetched?.ids.has(id)) toRead.push(id);
      else if (prefetched.claims.has(id)) stored.set(id, prefetched.claims.get(id)!);
    }
    const chunks: string[][] = [];
    for (let i = 0; i < toRead.length; i += 100) chunks.push(toRead.slice(i, i + 100));
    for (const part of await mapPool(chunks, READ_CONCURRENCY, (c) => deps.claims.getForRecompute(c))) for (const [k, v] of part) stored.set(k, v);

    const steps = await mapPool(slice, WRITE_CONCURRENCY, (target, i) => step(target, stored.get(ids[i]!) ?? null));
    stored.clear();
    // New claims (a large event's resources) go in batches of conditional Puts; whatever a batch did not create
    // (a claim appeared meanwhile) takes the single conditional path below, which recomputes from what is stored.
    // A transaction may not name one item twice: a repeated claim id (not expected) takes the single path.
    const batched = new Map<string, Step>();
    for (const s of steps) if (!s.done && !s.current && !batched.has(s.write.next.claimId)) batched.set(s.write.next.claimId, s);
    let created = new Set<string>();
    if (deps.claims.createMany && batched.size > 1) {
      created = await deps.claims.createMany([...batched.values()].map((s) => (s as Extract<Step, { done: false }>).write));
      written += created.size;
    }
    // The other writes of the slice (an update touching two months; a refresh): their first attempts go 25 per
    // request when the store offers it, each still conditional on its own claim; a lost race goes on singly below.
    const firsts = new Map<number, SaveResult>();
    if (deps.claims.saveManyRecomputed) {
      const rest: number[] = [];
      steps.forEach((s, i) => {
        if (!s.done && !(created.has(s.write.next.claimId) && batched.get(s.write.next.claimId) === s)) rest.push(i);
      });
      if (rest.length > 1) {
        const groups: number[][] = [];
        for (let i = 0; i < rest.length; i += MANY) groups.push(rest.slice(i, i + MANY));
        await mapPool(groups, READ_CONCURRENCY, async (group) => {
          const writes = group.map((i) => {
            const s = steps[i] as Extract<Step, { done: false }>;
            return { next: s.write.next, windows: s.write.windows, expected: s.current, audit: s.write.audit };
          });
          const saved = await deps.claims.saveManyRecomputed!(writes);
          group.forEach((i, k) => firsts.set(i, saved[k]!));
        });
      }
    }
    const results = await mapPool(slice, WRITE_CONCURRENCY, async (target, i): Promise<Claim | null> => {
      const s = steps[i]!;
      if (!s.done && created.has(s.write.next.claimId) && batched.get(s.write.next.claimId) === s) return s.write.next;
      const first = firsts.get(i);
      if (first?.ok) {
        written++;
        return first.claim;
      }
      return settle(target, first ? await step(target, first.current) : s);
    });
    for (const c of results) if (c) claims.push(c);
  }
  return { claims, written };
}

/**
 * The claim's windows with the patch applied, keeping only windows that count in the month. A window stored from a
 * longer history than the patch's stays: two updates of one incident processed at once, the older one having read
 * the history first and lost the version race, must not put its older window back on retry.
 */
export function applyPatch(windows: WindowMap, target: Pick<ClaimTarget, 'patch' | 'month' | 'historyUpdates' | 'guess'>, nowMs: number): WindowMap {
  const out: WindowMap = { ...windows };
  for (const [key, w] of Object.entries(target.patch)) {
    const stored = out[key]?.historyUpdates;
    if (stored !== undefined && target.historyUpdates !== undefined && (stored > target.historyUpdates || (target.guess && stored === target.historyUpdates))) continue;
    if (w && windowTouches(w, target.month, nowMs)) out[key] = w;
    else delete out[key];
  }
  return out;
}

/** computeCredit, memoised on its inputs for one recompute run. */
function memoCredit(): (input: CreditInput) => CreditResult {
  const memo = new Map<string, CreditResult>();
  return (input) => {
    const outages = input.outages.map((o) => `${o.startMs}-${o.endMs}`).sort().join(',');
    const key = `${input.sla.id}|${input.month}|${input.chargesCents}|${input.nowMs}|${outages}`;
    let result = memo.get(key);
    if (!result) {
      result = computeCredit(input);
      memo.set(key, result);
    }
    return result;
  };
}
