/**
 * Use case: recompute claims (scope × month) after their incident windows changed — from ingest (one incident's
 * window into each of its claims) and from claimsRefresh (charges and "now" moved on).
 *
 * A claim item embeds the windows of every incident of its scope-month, so a recompute is one read (BatchGetItem,
 * 100 claims per request) and, when something changed, one write conditional on the version read (a lost race
 * returns the current item with the failure; recompute from it and try again). The numbers depend only on the set
 * of windows, never on arrival order. Unchanged numbers and windows write nothing, which is what makes a
 * redelivery harmless. A credit is computed once per distinct (SLA, month, windows, charges): 10 000 resources of
 * one event share one computation.
 */
import { boundWindows, buildClaim, nextClaim, recomputeAudit, sameNumbers, sameWindows, windowTouches, type ClaimScope } from '../claims/build.ts';
import { claimIdOf } from '../claims/ids.ts';
import type { Claim, IncidentWindow, WindowMap } from '../claims/types.ts';
import type { Contract } from '../contract/contract.ts';
import { computeCredit, type CreditInput, type CreditResult } from '../credit/engine.ts';
import type { SpendSource } from '../spend/spend.ts';
import { mapPool } from '../util/pool.ts';
import type { RecomputeClaimStore, StoredClaim } from './ports.ts';

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

export async function recomputeClaims(targets: readonly ClaimTarget[], deps: RecomputeDeps): Promise<RecomputeResult> {
  const nowMs = deps.now();
  const ids = targets.map((t) => claimIdOf(t.scope.scopeKey, t.month));
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
  const stored = new Map<string, StoredClaim>();
  for (const part of await mapPool(chunks, READ_CONCURRENCY, (c) => deps.claims.getForRecompute(c))) for (const [k, v] of part) stored.set(k, v);

  const credit = memoCredit();
  const charges = new Map<string, Promise<number | null>>();
  const chargesOf = (scope: ClaimScope, month: string, allRegions: boolean) => {
    const key = JSON.stringify([scope.account, month, scope.service, scope.region, scope.resource, allRegions]);
    let p = charges.get(key);
    if (!p) {
      p = deps.spend.chargesCents({ account: scope.account, month, service: scope.service, region: scope.region, resource: scope.resource, allRegions });
      charges.set(key, p);
    }
    return p;
  };

  let written = 0;
  const results = await mapPool(targets, WRITE_CONCURRENCY, async (target, i): Promise<Claim | null> => {
    const sla = deps.contract.slas.get(target.scope.slaId);
    if (!sla) return null;
    const claimId = ids[i]!;
    let current = stored.get(claimId) ?? null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const windows = applyPatch(current?.windows ?? {}, target.patch, target.month, nowMs);
      // A month this incident does not touch gets no new claim; an existing one is corrected.
      if (!current && Object.keys(windows).length === 0) return null;
      const chargesCents = await chargesOf(target.scope, target.month, sla.creditBase === 'service-global');
      const computed = buildClaim({
        scope: target.scope,
        sla,
        negotiated: deps.contract.negotiated.has(sla.id),
        month: target.month,
        windows,
        chargesCents,
        nowMs,
        credit,
      });
      const bounded = boundWindows(windows, computed.evidence);
      if (current && sameNumbers(current.claim, computed) && sameWindows(current.windows, bounded)) return current.claim;
      const next = nextClaim(current?.claim ?? null, computed);
      const saved = await deps.claims.saveRecomputed(next, bounded, current, recomputeAudit(current?.claim ?? null, next));
      if (saved.ok) {
        written++;
        return saved.claim;
      }
      current = saved.current;
    }
    throw new Error(`claim ${claimId}: too many concurrent updates; will be retried`);
  });
  return { claims: results.filter((c): c is Claim => c !== null), written };
}

/** The claim's windows with the patch applied, keeping only windows that count in the month. */
function applyPatch(windows: WindowMap, patch: Record<string, IncidentWindow | null>, month: string, nowMs: number): WindowMap {
  const out: WindowMap = { ...windows };
  for (const [key, w] of Object.entries(patch)) {
    if (w && windowTouches(w, month, nowMs)) out[key] = w;
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
