/**
 * Filing one approved claim with AWS Support, exactly once (use case).
 *
 * 1. Only an `approved` claim is filed. One the contract files by hand (`filing: manual`), whose terms are
 *    unconfirmed, or whose charges are unknown becomes `ready_to_file` (src/claims/lifecycle.ts
 *    `manualFilingReason`); so does one whose account has no Support plan (`SubscriptionRequiredException`). The
 *    case text is then shown for a person to paste; nothing is retried in a loop.
 * 2. The filing is announced first: a `filingIntent` (id, the claim's filing token, a lease) is written by
 *    compare-and-set, conditional on the claim still being approved. Of 20 parallel filers one wins; the others see
 *    a live lease and leave. The token goes into the case body.
 * 3. A filer that finds an earlier intent whose lease ended (its filer died, maybe after CreateCase) first looks for
 *    the case carrying the token (DescribeCases since that intent) and records that one instead of opening another.
 * 4. CreateCase (issueType customer-service, codes from DescribeServices or the contract, evidence files through
 *    AddAttachmentsToSet), then DescribeCases for the display id, then the conditional, audited transition
 *    approved → submitted with the filing record. A fleet claim's case names every affected resource: its full list
 *    is read from the resource-list items (`resourceLists`) and, when it does not fit the body, goes first into the
 *    attachment set as CSV (src/filing/fleet-list.ts); evidence files take the slots left. The token stays in the
 *    body either way, so the search of step 3 finds a fleet case like any other.
 *
 * The lease outlasts any one attempt (the function's timeout is well under it), so a live filer is never overtaken.
 */
import { randomUUID } from 'node:crypto';
import { filingToken, manualFilingReason } from '../claims/lifecycle.ts';
import type { Claim, FilingIntent, FilingRecord } from '../claims/types.ts';
import { filingModeFor, type FilingSettings } from '../contract/contract.ts';
import type { ResourceListStore } from '../pipeline/ports.ts';
import type { ClaimStore } from '../store/claim-store.ts';
import { silentLog, type Log } from '../util/log.ts';
import { CaseCodesCache } from './case-codes.ts';
import { caseTextForClaim, type CaseText } from './case-text.ts';
import { readFleetLists } from './fleet-list.ts';
import { isSubscriptionRequired, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, type Attachment, type SupportApi, type SupportCase } from './support-api.ts';

/** How long a started filing keeps other filers away: above the filing function's timeout (120 s). */
export const FILING_LEASE_MS = 5 * 60_000;
/** The case search starts this long before the earlier intent (our clock against AWS's). */
const FIND_SKEW_MS = 15 * 60_000;
const MAX_ATTEMPTS = 6;

export interface FileClaimDeps {
  store: ClaimStore;
  /** The Support API of an account (its filer role). */
  supportFor: (account: string) => Promise<SupportApi>;
  filing: FilingSettings;
  /** Fleet claims' full resource lists (src/pipeline/ports.ts); default: `store`, which implements the port. */
  resourceLists?: ResourceListStore;
  /** The evidence files of a claim with a measured series (CSV, chart); none by default. */
  evidenceFiles?: (claim: Claim) => Promise<Attachment[]>;
  codes?: CaseCodesCache;
  now: () => Date;
  log?: Log;
}

export type FileResult =
  | { action: 'submitted'; claim: Claim; caseId: string; displayId?: string; /** The case an earlier, interrupted filing opened. */ found: boolean }
  | { action: 'ready_to_file'; claim: Claim; reason: string }
  /** Another filer holds the lease (or just took it). */
  | { action: 'in_progress' }
  | { action: 'skipped'; reason: string }
  /** The case was opened but the claim changed meanwhile (new numbers): it is linked after the next approval. */
  | { action: 'filed_unrecorded'; caseId: string; reason: string };

export async function fileClaim(claimId: string, deps: FileClaimDeps): Promise<FileResult> {
  const log = deps.log ?? silentLog;
  const claim = await deps.store.getClaim(claimId);
  if (!claim) return { action: 'skipped', reason: 'claim not found' };
  if (claim.status !== 'approved') return { action: 'skipped', reason: `claim is ${claim.status}, not approved` };

  const manual = manualFilingReason(claim, filingModeFor(deps.filing, claim.account));
  if (manual) return await readyToFile(claim, manual, deps);

  const previous = claim.filingIntent;
  const now = deps.now();
  if (previous && Date.parse(previous.leaseUntil) > now.getTime()) return { action: 'in_progress' };
  const intent: FilingIntent = {
    id: randomUUID(),
    token: filingToken(claim.claimId),
    at: now.toISOString(),
    leaseUntil: new Date(now.getTime() + FILING_LEASE_MS).toISOString(),
  };
  if (!(await deps.store.setFilingIntent(claim.claimId, intent, previous?.id ?? null, 'approved'))) return { action: 'in_progress' };

  let caseRequested = false;
  try {
    const support = await deps.supportFor(claim.account);
    if (previous) {
      const found = await support.findCaseByToken(intent.token, new Date(Date.parse(previous.at) - FIND_SKEW_MS));
      if (found) {
        log.warn('found the case an interrupted filing opened; recording it instead of filing again', { claimId, caseId: found.caseId });
        return await recordCase(claim, found, true, intent, deps);
      }
    }
    const { text, files } = await caseWithFiles(claim, deps, log);
    const codes = await (deps.codes ?? new CaseCodesCache(deps.filing)).for(claim.account, support);
    const attachmentSetId = files.length ? await support.addAttachments(files) : undefined;
    caseRequested = true;
    const caseId = await support.createCase({
      subject: text.subject,
      body: text.body,
      ...codes,
      ...(deps.filing.ccEmailAddresses ? { ccEmailAddresses: deps.filing.ccEmailAddresses } : {}),
      ...(attachmentSetId ? { attachmentSetId } : {}),
    });
    log.info('claim filed with AWS Support', { claimId, caseId, account: claim.account });
    const described = await support.getCase(caseId).catch((error: unknown) => {
      // The case exists: the display id is a nicety, not a reason to leave the claim unrecorded.
      log.warn('DescribeCases failed after CreateCase; recording the case without its display id', { claimId, caseId, error: (error as Error).message });
      return null;
    });
    return await recordCase(claim, described ?? { caseId, bodies: [] }, false, intent, deps);
  } catch (error) {
    if (isSubscriptionRequired(error)) {
      return await readyToFile(
        claim,
        `account ${claim.account} has no Business, Enterprise On-Ramp or Enterprise Support plan (SubscriptionRequiredException): file it in Support Center`,
        deps,
      );
    }
    // Nothing reached AWS: end the lease so the next trigger can try at once. After CreateCase was sent the lease
    // stays (it may have succeeded unanswered); the next filer after it searches for the case first.
    if (!caseRequested) await deps.store.setFilingIntent(claim.claimId, { ...intent, leaseUntil: intent.at }, intent.id, 'approved').catch(() => false);
    throw error;
  }
}

/**
 * The case text and every file it names: a fleet claim's resource list (when the body cannot hold it) first, then
 * the evidence files in the slots left (one attachment set holds 3).
 */
async function caseWithFiles(claim: Claim, deps: FileClaimDeps, log: Log): Promise<{ text: CaseText; files: Attachment[] }> {
  let evidence = await attachable(claim, deps, log);
  const fleetLists = claim.fleet ? await readFleetLists(claim, deps.resourceLists ?? deps.store) : undefined;
  const textWith = (files: readonly Attachment[]) => caseTextForClaim(claim, { attachments: files.map((f) => f.fileName), ...(fleetLists ? { fleetLists } : {}) });
  let text = textWith(evidence);
  if (text.files.length + evidence.length > MAX_ATTACHMENTS) {
    const kept = evidence.slice(0, Math.max(0, MAX_ATTACHMENTS - text.files.length));
    log.warn('evidence files left out of the case: the fleet resource list takes the attachment slots first', { claimId: claim.claimId, files: evidence.length, attached: kept.length });
    evidence = kept;
    text = textWith(evidence);
  }
  return { text, files: [...text.files, ...evidence] };
}

/** The evidence files that fit the Support API (≤ 3, ≤ 5 MB each); the rest are left out, with a warning. */
async function attachable(claim: Claim, deps: FileClaimDeps, log: Log): Promise<Attachment[]> {
  if (!deps.evidenceFiles) return [];
  const files = await deps.evidenceFiles(claim);
  const fitting = files.filter((f) => f.data.byteLength <= MAX_ATTACHMENT_BYTES).slice(0, MAX_ATTACHMENTS);
  if (fitting.length < files.length) {
    log.warn('evidence files left out of the case (the Support API takes 3 files of 5 MB at most)', { claimId: claim.claimId, files: files.length, attached: fitting.length });
  }
  return fitting;
}

/** approved → submitted with the case; retried while only the version moved (a recompute that kept the money). */
async function recordCase(claim: Claim, found: SupportCase, wasFound: boolean, intent: FilingIntent, deps: FileClaimDeps): Promise<FileResult> {
  const filing: FilingRecord = {
    via: 'support-api',
    caseId: found.caseId,
    ...(found.displayId ? { displayId: found.displayId } : {}),
    filedAt: found.timeCreated ?? deps.now().toISOString(),
    filedBy: 'system',
    filedInAccount: claim.account,
  };
  let current: Claim | null = claim;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && current; attempt++) {
    if (current.status === 'submitted' && current.filing?.caseId === found.caseId) {
      return { action: 'submitted', claim: current, caseId: found.caseId, ...(found.displayId ? { displayId: found.displayId } : {}), found: wasFound };
    }
    if (current.status !== 'approved') break;
    const result = await deps.store.transition({
      claimId: claim.claimId,
      from: 'approved',
      to: 'submitted',
      expectedVersion: current.version,
      actor: 'system',
      at: deps.now().toISOString(),
      patch: { filing },
      detail: {
        via: 'support-api',
        caseId: found.caseId,
        displayId: found.displayId ?? '',
        account: claim.account,
        token: intent.token,
        ...(wasFound ? { foundAfterInterruptedFiling: 'true' } : {}),
      },
    });
    if (result.ok) return { action: 'submitted', claim: result.claim, caseId: found.caseId, ...(found.displayId ? { displayId: found.displayId } : {}), found: wasFound };
    current = result.current;
  }
  const reason = current ? `the claim became ${current.status} (version ${current.version}) while it was filed` : 'the claim disappeared while it was filed';
  await deps.store.appendAudit({
    claimId: claim.claimId,
    at: deps.now().toISOString(),
    actor: 'system',
    action: 'filed_unrecorded',
    reason,
    detail: { caseId: found.caseId, displayId: found.displayId ?? '', token: intent.token },
  });
  (deps.log ?? silentLog).warn('case opened but the claim changed meanwhile; it is linked when the claim is approved again', { claimId: claim.claimId, caseId: found.caseId });
  return { action: 'filed_unrecorded', caseId: found.caseId, reason };
}

/** approved → ready_to_file with why; retried while only the version moved. */
async function readyToFile(claim: Claim, reason: string, deps: FileClaimDeps): Promise<FileResult> {
  let current: Claim | null = claim;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && current?.status === 'approved'; attempt++) {
    const result = await deps.store.transition({
      claimId: claim.claimId,
      from: 'approved',
      to: 'ready_to_file',
      expectedVersion: current.version,
      actor: 'system',
      at: deps.now().toISOString(),
      reason,
      patch: { filingNote: reason },
      detail: { via: 'filing', account: claim.account },
    });
    if (result.ok) {
      (deps.log ?? silentLog).info('claim is ready to file by hand', { claimId: claim.claimId, reason });
      return { action: 'ready_to_file', claim: result.claim, reason };
    }
    current = result.current;
  }
  return { action: 'skipped', reason: `claim is ${current?.status ?? 'gone'}, not approved` };
}
