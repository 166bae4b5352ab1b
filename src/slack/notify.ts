/**
 * Keeps one Slack message per claim in step with the claim.
 *
 * - A claimable draft is posted (chat.postMessage), then moved draft → pending_approval by a conditional
 *   transition that also stores the message's channel/ts. The buttons carry the version the claim gets by that
 *   transition, so a click can only decide exactly what the message showed.
 * - A claim whose message shows an older version (recomputed numbers, a decision, a submission) gets its message
 *   updated in place (chat.update), then the shown version is recorded with a write conditional on the claim's
 *   version; if the claim moved on meanwhile the loop renders again, so concurrent renderers converge.
 * - A draft whose credit is owed but whose charges are unknown (creditPercent > 0, creditCents null) is posted the same
 *   way while its deadline has not passed; the message says the charges must be confirmed before filing.
 * - Other non-claimable drafts (no credit, $1.00 or less, deadline passed) are left alone.
 *
 * Idempotent under redelivery: the claim is always re-read (a stream image may be stale), a claim that already has a
 * message is never posted again, and the transition that records the message is conditional on status + version.
 * Remaining at-least-once window: if the process dies after chat.postMessage returned but before the transition
 * committed, a redelivery posts a second message (the first stays, unreferenced). Two notifiers racing on the same
 * draft (e.g. the stream and an in-process call) may both post; the loser's message is turned into a
 * "duplicate post" notice without buttons (nothing is deleted).
 */
import type { Claim, SlackRef } from '../claims/types.ts';
import type { ClaimStore } from '../store/claim-store.ts';
import type { SlackApi, SlackMessageContent } from './api.ts';
import { awaitsChargesConfirmation, buildClaimMessage } from './blocks.ts';
import type { SlackConfig } from './config.ts';
import type { SlackLogger } from './log.ts';

/**
 * The Slack reference as this module stores it: `shownVersion` is the claim version the message currently shows.
 * (Written inside the `slack` attribute; proposed as an optional field of `SlackRef`.)
 */
export type StoredSlackRef = SlackRef & { shownVersion?: number };

export function shownVersionOf(claim: Claim): number | undefined {
  const value = (claim.slack as StoredSlackRef | undefined)?.shownVersion;
  return typeof value === 'number' ? value : undefined;
}

export interface NotifyDeps {
  store: ClaimStore;
  slack: SlackApi;
  config: Pick<SlackConfig, 'channelId'> & Partial<Pick<SlackConfig, 'approvers'>>;
  now: () => Date;
  logger?: SlackLogger;
}

export type NotifyResult =
  | { action: 'posted'; ref: SlackRef }
  | { action: 'updated'; ref: SlackRef }
  | { action: 'unchanged'; ref: SlackRef }
  | { action: 'skipped'; reason: string };

const MAX_ATTEMPTS = 8;

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export async function notifyClaim(claim: Claim, deps: NotifyDeps): Promise<NotifyResult> {
  const { store, slack, config } = deps;
  const render = (c: Claim, duplicateOf?: SlackRef): SlackMessageContent =>
    buildClaimMessage(c, { now: deps.now(), ...(config.approvers ? { approvers: config.approvers } : {}), ...(duplicateOf ? { duplicateOf } : {}) });
  /** A message this call posted and has not yet seen recorded on the claim. */
  let posted: SlackRef | undefined;
  let lastSeen: Claim = claim;

  /** Our post will not become the claim's message: leave it, without buttons. */
  const retire = async (ref: SlackRef, content: SlackMessageContent) => {
    await slack.updateMessage(ref, content);
    deps.logger?.warn('slack message retired', { claimId: claim.claimId, ts: ref.ts });
  };

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.getClaim(claim.claimId);
    if (!current) {
      if (posted) await retire(posted, render({ ...lastSeen, status: 'draft' }));
      return { action: 'skipped', reason: 'claim not found' };
    }
    lastSeen = current;

    if (current.status === 'draft') {
      if (!current.claimable && !awaitsChargesConfirmation(current, deps.now())) {
        if (posted) await retire(posted, render(current));
        return { action: 'skipped', reason: 'draft is not claimable' };
      }
      // Render what the claim will be once the transition below commits.
      const next: Claim = { ...current, status: 'pending_approval', version: current.version + 1 };
      if (posted) await slack.updateMessage(posted, render(next));
      else posted = await slack.postMessage(config.channelId, render(next));
      const ref: StoredSlackRef = { channel: posted.channel, ts: posted.ts, shownVersion: next.version };
      const result = await store.transition({
        claimId: current.claimId,
        from: 'draft',
        to: 'pending_approval',
        expectedVersion: current.version,
        actor: 'system',
        at: deps.now().toISOString(),
        patch: { slack: ref },
        detail: { via: 'slack', channel: posted.channel, ts: posted.ts },
      });
      if (result.ok) {
        deps.logger?.info('claim posted for approval', { claimId: current.claimId, version: next.version, ts: posted.ts });
        return { action: 'posted', ref: posted };
      }
      continue; // Lost a race: look again (our message is reused or retired).
    }

    const ref = current.slack as StoredSlackRef | undefined;
    if (!ref) {
      // Decided without ever being posted (e.g. from the CLI): nothing to show.
      if (current.status !== 'pending_approval') {
        if (posted) await retire(posted, render({ ...current, status: 'draft' }));
        return { action: 'skipped', reason: `${current.status} claim has no Slack message` };
      }
      // Pending without a message (moved to pending outside this module): post it and record it.
      if (posted) await slack.updateMessage(posted, render(current));
      else posted = await slack.postMessage(config.channelId, render(current));
      const stored: StoredSlackRef = { channel: posted.channel, ts: posted.ts, shownVersion: current.version };
      if (await store.setSlackRef(current.claimId, stored, current.version)) return { action: 'posted', ref: posted };
      continue;
    }

    if (posted && posted.ts !== ref.ts) {
      await retire(posted, render(current, ref));
      posted = undefined;
    }
    if (shownVersionOf(current) === current.version) return { action: 'unchanged', ref: { channel: ref.channel, ts: ref.ts } };

    let target: SlackRef = { channel: ref.channel, ts: ref.ts };
    try {
      await slack.updateMessage(target, render(current));
    } catch (error) {
      // The message was deleted by someone: post it again rather than lose the claim.
      if (slackErrorCode(error) !== 'message_not_found') throw error;
      target = await slack.postMessage(config.channelId, render(current));
      deps.logger?.warn('claim message was deleted; posted again', { claimId: current.claimId, ts: target.ts });
    }
    const stored: StoredSlackRef = { ...ref, channel: target.channel, ts: target.ts, shownVersion: current.version };
    if (await store.setSlackRef(current.claimId, stored, current.version)) {
      return target.ts === ref.ts ? { action: 'updated', ref: target } : { action: 'posted', ref: target };
    }
    // The claim changed while we rendered it: render again.
  }
  throw new Error(`claim ${claim.claimId}: its Slack message could not be brought up to date (too many concurrent changes)`);
}
