/**
 * A person filed a `ready_to_file` claim in Support Center and records the case (use case): ready_to_file →
 * submitted with a manual filing record, through the store's conditional, audited transition (conditional on the
 * version the person saw, so a claim whose numbers changed since is not marked).
 */
import type { Claim, FilingRecord } from '../claims/types.ts';
import type { ClaimStore } from '../store/claim-store.ts';

/** What Support Center shows as the case ID (digits), or an API case id (`case-…`). */
const CASE_REF = /^(\d{5,20}|case-[A-Za-z0-9-]{5,120})$/;

/** Null when `value` is a case reference; else why not (naming the value). */
export function caseRefProblem(value: string): string | null {
  if (CASE_REF.test(value)) return null;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `expected the case ID Support Center shows (digits, e.g. 172834561234) or a case-… id (got ${JSON.stringify(shown)})`;
}

export interface MarkFiledRequest {
  claimId: string;
  caseRef: string;
  /** The version the person saw (the button's). */
  expectedVersion: number;
  actor: string;
  /** UTC ISO-8601. */
  at: string;
  via: string;
}

export type MarkFiledResult =
  | { ok: true; claim: Claim }
  | { ok: false; problem: 'bad_case_ref'; text: string }
  | { ok: false; problem: 'not_ready'; current: Claim | null };

export async function markFiled(store: ClaimStore, request: MarkFiledRequest): Promise<MarkFiledResult> {
  const ref = request.caseRef.trim();
  const problem = caseRefProblem(ref);
  if (problem) return { ok: false, problem: 'bad_case_ref', text: problem };
  const numeric = /^\d+$/.test(ref);
  const claim = await store.getClaim(request.claimId);
  if (!claim || claim.status !== 'ready_to_file' || claim.version !== request.expectedVersion) return { ok: false, problem: 'not_ready', current: claim };
  const filing: FilingRecord = {
    via: 'manual',
    caseId: ref,
    ...(numeric ? { displayId: ref } : {}),
    filedAt: request.at,
    filedBy: request.actor,
    filedInAccount: claim.account,
  };
  const result = await store.transition({
    claimId: claim.claimId,
    from: 'ready_to_file',
    to: 'submitted',
    expectedVersion: request.expectedVersion,
    actor: request.actor,
    at: request.at,
    patch: { filing },
    detail: { via: request.via, caseId: ref, filing: 'manual' },
  });
  return result.ok ? { ok: true, claim: result.claim } : { ok: false, problem: 'not_ready', current: result.current };
}
