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
 * Every post is announced first: a `slackPost` intent (id + 30-second lease) is written to the claim by
 * compare-and-set, and the message carries the intent id in its Slack message metadata. If the process dies (or the
 * transition fails) after chat.postMessage returned, the next notifier sees an intent that no stored message
 * completes, finds the earlier message (conversations.history by its metadata) and records that one instead of
 * posting again. While another notifier's lease runs it waits rather than posts. Should two messages still exist
 * (history unreadable, a lease outlived), the one not recorded is turned into a "duplicate post" notice without
 * buttons (nothing is deleted).
 */
import { randomUUID } from 'node:crypto';
import type { Claim, SlackPostIntent, SlackRef } from '../claims/types.ts';
import type { ClaimStore } from '../store/claim-store.ts';
import type { SlackApi, SlackMessageContent } from './api.ts';
import { awaitsChargesConfirmation, buildClaimMessage } from './blocks.ts';
import type { SlackConfig } from './config.ts';
import type { SlackLogger } from './log.ts';

/**
 * The Slack reference as this module stores it: `SlackRef` (with `shownVersion`, the claim version the message
 * shows) plus `postId`, the post intent the message was posted under (so that intent is known to be complete).
 */
export type StoredSlackRef = SlackRef & { postId?: string };

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
  /** Waits while another notifier holds the post lease (tests pass one that advances a fake clock). */
  sleep?: (ms: number) => Promise<void>;
}

/** How long a started post keeps others waiting: above the Web API client's worst case (3 tries × 5 s + backoff). */
export const POST_LEASE_MS = 30_000;
const POLL_MS = 250;
/** The history search starts this long before the intent (our clock against Slack's timestamps). */
const FIND_SKEW_MS = 5 * 60_000;

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

interface StartedPost {
  ref: SlackRef;
  postId: string;
  /** True when the message is an earlier post found again (it shows what that notifier rendered). */
  found: boolean;
}

/**
 * Posts `content` for `claim` exactly once per intent: finds the message of an unfinished earlier intent, else waits
 * out its lease, else announces a new intent (compare-and-set) and posts under it. Null: someone else is posting.
 */
async function startPost(
  claim: Claim,
  content: SlackMessageContent,
  deps: NotifyDeps,
  /** Intents this call already looked for in the history: false = while leased, true = after the lease ended. */
  searched: Map<string, boolean>,
): Promise<StartedPost | null> {
  const { store, slack, config } = deps;
  const intent = claim.slackPost;
  if (intent && (claim.slack as StoredSlackRef | undefined)?.postId !== intent.id) {
    const expired = Date.parse(intent.leaseUntil) <= deps.now().getTime();
    // Look once on first sight and once more when the lease is over (not on every poll: history is rate-limited).
    const before = searched.get(intent.id);
    if (before === undefined || (expired && !before)) {
      searched.set(intent.id, expired);
      const found = await findEarlierPost(claim, intent, deps);
      if (found) {
        deps.logger?.warn('found an unrecorded earlier post; recording it instead of posting again', { claimId: claim.claimId, ts: found.ts });
        return { ref: found, postId: intent.id, found: true };
      }
    }
    if (!expired) return null;
  }
  const at = deps.now();
  const next: SlackPostIntent = { id: randomUUID(), at: at.toISOString(), leaseUntil: new Date(at.getTime() + POST_LEASE_MS).toISOString() };
  if (!(await store.setSlackIntent(claim.claimId, next, intent?.id ?? null))) return null;
  try {
    const ref = await slack.postMessage(config.channelId, content, { claimId: claim.claimId, postId: next.id });
    return { ref, postId: next.id, found: false };
  } catch (error) {
    // Slack answered and refused (e.g. channel_not_found): nothing was posted, so end the lease for the next try.
    if (slackErrorCode(error) !== undefined) {
      await store.setSlackIntent(claim.claimId, { ...next, leaseUntil: next.at }, next.id).catch(() => false);
    }
    throw error;
  }
}

async function findEarlierPost(claim: Claim, intent: SlackPostIntent, deps: NotifyDeps): Promise<SlackRef | null> {
  try {
    const since = new Date(Date.parse(intent.at) - FIND_SKEW_MS);
    return await deps.slack.findPostedMessage(deps.config.channelId, { claimId: claim.claimId, postId: intent.id }, since);
  } catch (error) {
    const code = slackErrorCode(error);
    // An app installed before channels:history was added: post after the lease (a duplicate is then possible).
    if (code === 'missing_scope' || code === 'not_in_channel') {
      deps.logger?.warn('cannot read the channel history to find an earlier post', { claimId: claim.claimId, error: code });
      return null;
    }
    throw error;
  }
}

export async function notifyClaim(claim: Claim, deps: NotifyDeps): Promise<NotifyResult> {
  const { store, slack, config } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const render = (c: Claim, duplicateOf?: SlackRef): SlackMessageContent =>
    buildClaimMessage(c, { now: deps.now(), ...(config.approvers ? { approvers: config.approvers } : {}), ...(duplicateOf ? { duplicateOf } : {}) });
  /** A message this call posted (or found) and has not yet seen recorded on the claim, and its intent. */
  let posted: SlackRef | undefined;
  let postedId: string | undefined;
  let lastSeen: Claim = claim;
  let attempts = 0;
  let waitedMs = 0;
  const searched = new Map<string, boolean>();

  /** Our post will not become the claim's message: leave it, without buttons. */
  const retire = async (ref: SlackRef, content: SlackMessageContent) => {
    await slack.updateMessage(ref, content);
    deps.logger?.warn('slack message retired', { claimId: claim.claimId, ts: ref.ts });
  };
  /** The message to show `content` on: ours from an earlier round, or a post made (or found) now; null: wait. */
  const messageFor = async (current: Claim, content: SlackMessageContent): Promise<SlackRef | null> => {
    if (posted) {
      await slack.updateMessage(posted, content);
      return posted;
    }
    const started = await startPost(current, content, deps, searched);
    if (!started) return null;
    posted = started.ref;
    postedId = started.postId;
    if (started.found) await slack.updateMessage(posted, content);
    return posted;
  };
  /** Another notifier is posting: give it time, then look again (bounded by the lease). */
  const wait = async () => {
    if (waitedMs > POST_LEASE_MS + FIND_SKEW_MS) throw new Error(`claim ${claim.claimId}: another notifier's Slack post did not finish`);
    await sleep(POLL_MS);
    waitedMs += POLL_MS;
  };

  while (attempts < MAX_ATTEMPTS) {
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
      const message = await messageFor(current, render(next));
      if (!message) {
        await wait();
        continue;
      }
      attempts++;
      const ref: StoredSlackRef = { channel: message.channel, ts: message.ts, shownVersion: next.version, ...(postedId ? { postId: postedId } : {}) };
      const result = await store.transition({
        claimId: current.claimId,
        from: 'draft',
        to: 'pending_approval',
        expectedVersion: current.version,
        actor: 'system',
        at: deps.now().toISOString(),
        patch: { slack: ref },
        detail: { via: 'slack', channel: message.channel, ts: message.ts },
      });
      if (result.ok) {
        deps.logger?.info('claim posted for approval', { claimId: current.claimId, version: next.version, ts: message.ts });
        return { action: 'posted', ref: message };
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
      const message = await messageFor(current, render(current));
      if (!message) {
        await wait();
        continue;
      }
      attempts++;
      const stored: StoredSlackRef = { channel: message.channel, ts: message.ts, shownVersion: current.version, ...(postedId ? { postId: postedId } : {}) };
      if (await store.setSlackRef(current.claimId, stored, current.version)) return { action: 'posted', ref: message };
      continue;
    }

    if (posted && posted.ts !== ref.ts) {
      await retire(posted, render(current, ref));
      posted = undefined;
      postedId = undefined;
    }
    if (shownVersionOf(current) === current.version) return { action: 'unchanged', ref: { channel: ref.channel, ts: ref.ts } };

    let target: SlackRef = { channel: ref.channel, ts: ref.ts };
    try {
      await slack.updateMessage(target, render(current));
    } catch (error) {
      // The message was deleted by someone: post it again rather than lose the claim.
      if (slackErrorCode(error) !== 'message_not_found') throw error;
      const message = await messageFor(current, render(current));
      if (!message) {
        await wait();
        continue;
      }
      target = message;
      deps.logger?.warn('claim message was deleted; posted again', { claimId: current.claimId, ts: target.ts });
    }
    attempts++;
    const stored: StoredSlackRef = {
      ...ref,
      channel: target.channel,
      ts: target.ts,
      shownVersion: current.version,
      ...(target.ts !== ref.ts && postedId ? { postId: postedId } : {}),
    };
    if (await store.setSlackRef(current.claimId, stored, current.version)) {
      return target.ts === ref.ts ? { action: 'updated', ref: target } : { action: 'posted', ref: target };
    }
    // The claim changed while we rendered it: render again.
  }
  throw new Error(`claim ${claim.claimId}: its Slack message could not be brought up to date (too many concurrent changes)`);
}
