/**
 * The claim lifecycle in one place (pure): which transitions exist, what a recompute does to a decided claim, when a
 * claim may be filed with AWS Support without a person, and the claim's filing token.
 *
 *   draft → pending_approval → approved → (ready_to_file) → submitted → credited | denied
 *   pending_approval → rejected;  draft | pending_approval | approved | ready_to_file → expired
 *   approved | ready_to_file → pending_approval when the numbers change (a new approval is needed)
 *
 * Every transition is written by the store's conditional, audited `transition` (src/store/claim-store.ts), which
 * refuses any pair `canTransition` refuses; computed changes (`statusAfterRecompute`) only ever move a claim back to
 * pending_approval.
 */
import { createHash } from 'node:crypto';
import { canTransition, TRANSITIONS, type Claim, type ClaimStatus } from './types.ts';

export { canTransition, TRANSITIONS };

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
}

/** Throws when `from → to` is not a transition of the lifecycle. */
export function assertTransition(from: ClaimStatus, to: ClaimStatus): void {
  if (!canTransition(from, to)) throw new TransitionError(`transition: ${from} → ${to} is not allowed`);
}

/** Statuses whose credit was approved but not yet filed: a change of the numbers needs a new approval. */
const APPROVED_UNFILED: ReadonlySet<ClaimStatus> = new Set(['approved', 'ready_to_file']);

/**
 * The status after a recompute of a decided claim: an approved (or ready-to-file) claim whose credit changed goes
 * back to pending approval; every other status is kept (a submitted case is AWS's to answer).
 */
export function statusAfterRecompute(previous: Claim, next: Pick<Claim, 'creditCents' | 'creditPercent'>): ClaimStatus {
  const moneyChanged = previous.creditCents !== next.creditCents || previous.creditPercent !== next.creditPercent;
  if (APPROVED_UNFILED.has(previous.status) && moneyChanged) return 'pending_approval';
  return previous.status;
}

export type FilingMode = 'support-api' | 'manual';

/** Null when an approved claim may be filed through the Support API now; else why a person must file it. */
export function manualFilingReason(claim: Claim, mode: FilingMode): string | null {
  if (mode === 'manual') return 'the contract says filing: manual for this account';
  if (claim.terms?.confirmed !== true) {
    const what = claim.terms?.unconfirmed?.length ? ` (${claim.terms.unconfirmed.join('; ')})` : '';
    return `terms unconfirmed: not filed automatically${what}`;
  }
  if (claim.creditCents === null) return "charges unknown: confirm the month's charges, then file by hand";
  return null;
}

/**
 * The claim's filing token: the same for every attempt, so whichever filer comes after a crash recognises the case
 * an earlier one opened (it is written into the case body). 20 hex characters of SHA-256 of the claim id.
 */
export function filingToken(claimId: string): string {
  return `slac-${createHash('sha256').update(claimId, 'utf8').digest('hex').slice(0, 20)}`;
}
