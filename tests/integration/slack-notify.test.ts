import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { webClientSlackApi, type SlackApi } from '../../src/slack/api.ts';
import type { ClaimStore } from '../../src/store/claim-store.ts';
import { decodeButtonValue } from '../../src/slack/blocks.ts';
import { handleInteraction } from '../../src/slack/interactions.ts';
import { silentLogger } from '../../src/slack/log.ts';
import { notifyClaim, POST_LEASE_MS, shownVersionOf, type NotifyDeps } from '../../src/slack/notify.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';
import { clickPayload, messageText, startFakeSlack, type FakeMessage, type FakeSlack } from '../helpers/fake-slack.ts';

const CHANNEL = 'C0CLAIMS';
let db: Db;
let store: DynamoClaimStore;
let fake: FakeSlack;
let deps: NotifyDeps;
let n = 0;

beforeAll(async () => {
  db = await freshDb('slack-notify');
  store = new DynamoClaimStore(db);
  fake = await startFakeSlack({ token: 'xoxb-notify' });
  deps = {
    store,
    slack: webClientSlackApi({ token: async () => 'xoxb-notify', apiUrl: fake.apiUrl, retries: 0 }),
    config: { channelId: CHANNEL, approvers: new Set(['U0ALICE']) },
    now: () => new Date('2025-11-01T12:00:00Z'),
  };
});
afterAll(async () => {
  db.client.destroy();
  await fake.close();
});
beforeEach(() => {
  fake.calls.length = 0;
});

async function draft(overrides: Partial<Claim> = {}): Promise<Claim> {
  n += 1;
  return await store.saveComputedClaim(sampleClaim({ claimId: `notify-${n}`, ...overrides }));
}

function buttons(message: FakeMessage | undefined) {
  const actions = (message?.blocks as { type: string; elements?: { action_id: string; value: string }[] }[] | undefined)?.find((b) => b.type === 'actions');
  return actions?.elements ?? [];
}

describe('notifyClaim (DynamoDB Local + fake Slack Web API)', () => {
  it('leaves a non-claimable draft alone', async () => {
    const claim = await draft({ claimable: false, creditCents: 90 });
    expect(await notifyClaim(claim, deps)).toEqual({ action: 'skipped', reason: 'draft is not claimable' });
    expect(fake.calls).toHaveLength(0);
    expect((await store.getClaim(claim.claimId))?.status).toBe('draft');
  });

  it('posts a claimable draft, moves it to pending_approval with the message stored, buttons naming the new version', async () => {
    const claim = await draft();
    const result = await notifyClaim(claim, deps);
    expect(result.action).toBe('posted');
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(fake.callsOf('chat.postMessage')[0]?.args.channel).toBe(CHANNEL);

    const stored = await store.getClaim(claim.claimId);
    expect(stored).toMatchObject({ status: 'pending_approval', version: 2 });
    expect(stored?.slack).toMatchObject({ channel: CHANNEL, ts: result.action === 'posted' ? result.ref.ts : '?' });
    expect(shownVersionOf(stored as Claim)).toBe(2);

    const message = fake.message(CHANNEL, stored?.slack?.ts ?? '');
    expect(buttons(message).map((b) => decodeButtonValue(b.value))).toEqual([
      { claimId: claim.claimId, version: 2 },
      { claimId: claim.claimId, version: 2 },
    ]);
    expect(messageText(message?.blocks ?? [])).toContain('$500.00');
    const audit = await store.listAudit(claim.claimId);
    expect(audit.filter((a) => a.to === 'pending_approval')).toEqual([
      expect.objectContaining({ actor: 'system', from: 'draft', version: 2, detail: expect.objectContaining({ ts: stored?.slack?.ts }) }),
    ]);
  });

  it('is idempotent under redelivery: the same (stale) record again posts nothing and updates nothing', async () => {
    const claim = await draft();
    await notifyClaim(claim, deps);
    fake.calls.length = 0;
    for (let i = 0; i < 3; i++) expect((await notifyClaim(claim, deps)).action).toBe('unchanged');
    expect(fake.calls).toHaveLength(0);
  });

  it('makes exactly one claim message when notifiers race on the same draft; extra posts become duplicate notices', async () => {
    const claim = await draft();
    const before = new Set(fake.messages.keys());
    const results = await Promise.all(Array.from({ length: 5 }, () => notifyClaim(claim, deps)));
    expect(results.filter((r) => r.action === 'posted')).toHaveLength(1);
    const stored = await store.getClaim(claim.claimId);
    expect(stored).toMatchObject({ status: 'pending_approval', version: 2 });
    const posted = [...fake.messages.values()].filter((m) => !before.has(`${m.channel}/${m.ts}`));
    expect(posted.length).toBe(fake.callsOf('chat.postMessage').length);
    for (const message of posted) {
      if (message.ts === stored?.slack?.ts) {
        expect(buttons(message)).toHaveLength(2);
      } else {
        expect(messageText(message.blocks)).toContain('Duplicate post');
        expect(buttons(message)).toHaveLength(0);
      }
    }
    expect(posted.filter((m) => buttons(m).length > 0)).toHaveLength(1);
    expect((await store.listAudit(claim.claimId)).filter((a) => a.to === 'pending_approval')).toHaveLength(1);
  });

  it('updates the same message in place when the amount changes, with buttons for the new version', async () => {
    const claim = await draft();
    await notifyClaim(claim, deps);
    const before = await store.getClaim(claim.claimId);
    const changed = await store.saveComputedClaim({ ...claim, creditPercent: 25, creditCents: 125000, updatedAt: '2025-10-22T00:00:00.000Z' });
    expect(changed).toMatchObject({ status: 'pending_approval', version: 3 });
    fake.calls.length = 0;

    expect(await notifyClaim(changed, deps)).toEqual({ action: 'updated', ref: { channel: CHANNEL, ts: before?.slack?.ts } });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(0);
    expect(fake.callsOf('chat.update')).toHaveLength(1);
    const message = fake.message(CHANNEL, before?.slack?.ts ?? '');
    expect(messageText(message?.blocks ?? [])).toContain('25 % of $5,000.00 = $1,250.00');
    expect(decodeButtonValue(buttons(message)[0]?.value)).toEqual({ claimId: claim.claimId, version: 3 });
    expect(shownVersionOf((await store.getClaim(claim.claimId)) as Claim)).toBe(3);
    // A second delivery of the same change does nothing.
    expect((await notifyClaim(changed, deps)).action).toBe('unchanged');
    expect(fake.callsOf('chat.update')).toHaveLength(1);
  });

  it('shows a decision made elsewhere (e.g. the CLI) on the message', async () => {
    const claim = await draft();
    await notifyClaim(claim, deps);
    const decided = await store.transition({
      claimId: claim.claimId, from: 'pending_approval', to: 'approved', expectedVersion: 2, actor: 'U0ALICE', at: '2025-11-01T12:00:00.000Z', patch: { decidedBy: 'U0ALICE' },
    });
    expect(decided.ok).toBe(true);
    expect((await notifyClaim(claim, deps)).action).toBe('updated');
    const stored = await store.getClaim(claim.claimId);
    const message = fake.message(CHANNEL, stored?.slack?.ts ?? '');
    expect(messageText(message?.blocks ?? [])).toContain('Approved by <@U0ALICE>');
    expect(buttons(message)).toHaveLength(0);
  });

  it('posts again when the message was deleted in Slack', async () => {
    const claim = await draft();
    await notifyClaim(claim, deps);
    const first = (await store.getClaim(claim.claimId))?.slack;
    fake.messages.delete(`${CHANNEL}/${first?.ts}`);
    const changed = await store.saveComputedClaim({ ...claim, creditPercent: 25, creditCents: 125000, updatedAt: '2025-10-22T00:00:00.000Z' });
    const result = await notifyClaim(changed, deps);
    expect(result.action).toBe('posted');
    const now = (await store.getClaim(claim.claimId))?.slack;
    expect(now?.ts).not.toBe(first?.ts);
    expect(fake.message(CHANNEL, now?.ts ?? '')).toBeDefined();
  });

  it('leaves the claim a draft when Slack refuses the post (so a redelivery tries again)', async () => {
    const claim = await draft();
    fake.failNext('chat.postMessage', 'channel_not_found');
    await expect(notifyClaim(claim, deps)).rejects.toThrow(/channel_not_found/);
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'draft', version: 1 });
    expect((await notifyClaim(claim, deps)).action).toBe('posted');
  });

  const chargesUnknown = { chargesCents: null, creditCents: null, chargesKnown: false, claimable: false, creditPercent: 25 } as const;

  it('posts a draft whose charges are unknown, saying to confirm them before filing; Approve works as usual', async () => {
    const claim = await draft(chargesUnknown);
    const result = await notifyClaim(claim, deps);
    expect(result.action).toBe('posted');
    const stored = await store.getClaim(claim.claimId);
    expect(stored).toMatchObject({ status: 'pending_approval', version: 2, claimable: false, creditCents: null });
    const message = fake.message(CHANNEL, stored?.slack?.ts ?? '');
    expect(messageText(message?.blocks ?? [])).toContain("credit 25 % — charges unknown: confirm the month's charges before filing");
    expect(buttons(message).map((b) => b.action_id)).toEqual(['claim_approve', 'claim_reject']);

    const responses: unknown[] = [];
    await handleInteraction(
      clickPayload({
        claimId: claim.claimId,
        version: 2,
        action: 'claim_approve',
        userId: 'U0ALICE',
        teamId: 'T0TEAM',
        channelId: CHANNEL,
        messageTs: stored?.slack?.ts ?? '',
        responseUrl: 'https://hooks.slack.invalid/x',
      }),
      {
        store,
        slack: deps.slack,
        respond: async (_url, body) => void responses.push(body),
        config: { teamId: 'T0TEAM', channelId: CHANNEL, approvers: new Set(['U0ALICE']) },
        now: deps.now,
        logger: silentLogger,
      },
    );
    expect(responses).toEqual([]);
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'approved', decidedBy: 'U0ALICE' });
    const after = fake.message(CHANNEL, stored?.slack?.ts ?? '');
    expect(messageText(after?.blocks ?? [])).toContain('Approved by <@U0ALICE>');
    expect(buttons(after)).toHaveLength(0);
  });

  it('still leaves alone a charges-unknown draft whose deadline passed, and one with no credit', async () => {
    const late = await draft({ ...chargesUnknown, deadline: '2025-10-31' });
    expect(await notifyClaim(late, deps)).toEqual({ action: 'skipped', reason: 'draft is not claimable' });
    const none = await draft({ ...chargesUnknown, creditPercent: 0 });
    expect(await notifyClaim(none, deps)).toEqual({ action: 'skipped', reason: 'draft is not claimable' });
    expect(fake.calls).toHaveLength(0);
    expect((await store.getClaim(late.claimId))?.status).toBe('draft');
    expect((await store.getClaim(none.claimId))?.status).toBe('draft');
  });

  /** Messages of one claim in the fake channel, from the metadata they were posted with. */
  const messagesOf = (claimId: string) =>
    [...fake.messages.values()].filter((m) => m.channel === CHANNEL && m.metadata?.event_payload.claim_id === claimId);

  it('a crash between chat.postMessage and the transition: the redelivery records the same message, one live message', async () => {
    const claim = await draft();
    // The first delivery posts, then its transition fails (DynamoDB error, or the process dies).
    const crashing: ClaimStore = Object.create(store, {
      transition: { value: async () => Promise.reject(Object.assign(new Error('connection reset'), { name: 'TimeoutError' })) },
    });
    await expect(notifyClaim(claim, { ...deps, store: crashing })).rejects.toThrow(/connection reset/);
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'draft', version: 1 });
    expect(messagesOf(claim.claimId)).toHaveLength(1);

    // The stream redelivers the record (same stale image) at once, while the first lease is still running.
    const result = await notifyClaim(claim, deps);
    expect(result.action).toBe('posted');
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(fake.callsOf('conversations.history')).toHaveLength(1);
    expect(fake.callsOf('conversations.history')[0]?.args).toMatchObject({ channel: CHANNEL, include_all_metadata: 'true' });

    const messages = messagesOf(claim.claimId);
    expect(messages).toHaveLength(1);
    const stored = await store.getClaim(claim.claimId);
    expect(stored).toMatchObject({ status: 'pending_approval', version: 2, slack: { channel: CHANNEL, ts: messages[0]?.ts } });
    expect(buttons(messages[0]).map((b) => decodeButtonValue(b.value))).toEqual([
      { claimId: claim.claimId, version: 2 },
      { claimId: claim.claimId, version: 2 },
    ]);

    // A click on that one message decides the claim (nothing is refused as `other_message`).
    await handleInteraction(
      clickPayload({
        claimId: claim.claimId, version: 2, action: 'claim_approve', userId: 'U0ALICE', teamId: 'T0TEAM', channelId: CHANNEL,
        messageTs: messages[0]?.ts ?? '', responseUrl: 'https://hooks.slack.invalid/x',
      }),
      { store, slack: deps.slack, respond: async () => undefined, config: { teamId: 'T0TEAM', channelId: CHANNEL, approvers: new Set(['U0ALICE']) }, now: deps.now, logger: silentLogger },
    );
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'approved', decidedBy: 'U0ALICE' });
    expect((await store.listAudit(claim.claimId)).filter((a) => a.action === 'refused')).toEqual([]);
  });

  it('a post that may or may not have reached Slack: the redelivery waits out the lease, then posts exactly once', async () => {
    const claim = await draft();
    // The request dies before Slack saw it (a network error: the notifier cannot know whether it posted).
    const lost: SlackApi = { ...deps.slack, postMessage: async () => Promise.reject(new Error('socket hang up')) };
    const clock = { now: Date.parse('2025-11-01T12:00:00Z') };
    const slept: number[] = [];
    const timed: NotifyDeps = { ...deps, now: () => new Date(clock.now), sleep: async (ms) => void (slept.push(ms), (clock.now += ms)) };
    await expect(notifyClaim(claim, { ...timed, slack: lost })).rejects.toThrow(/socket hang up/);
    expect(messagesOf(claim.claimId)).toHaveLength(0);

    expect((await notifyClaim(claim, timed)).action).toBe('posted');
    expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(POST_LEASE_MS);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    // Looked for the earlier post once on first sight and once when its lease ended, not on every poll.
    expect(fake.callsOf('conversations.history')).toHaveLength(2);
    const messages = messagesOf(claim.claimId);
    expect(messages).toHaveLength(1);
    expect((await store.getClaim(claim.claimId))?.slack?.ts).toBe(messages[0]?.ts);
  });

  it('marks every post with message metadata naming the claim and the post intent recorded on the claim', async () => {
    const claim = await draft();
    await notifyClaim(claim, deps);
    const stored = await store.getClaim(claim.claimId);
    const [message] = messagesOf(claim.claimId);
    expect(message?.metadata).toEqual({ event_type: 'sla_claim_posted', event_payload: { claim_id: claim.claimId, post_id: stored?.slackPost?.id } });
    expect(stored?.slack).toMatchObject({ postId: stored?.slackPost?.id });
  });

  it('setSlackIntent is a compare-and-set on the intent id, without a version bump', async () => {
    const claim = await draft();
    const intent = (id: string) => ({ id, at: '2025-11-01T12:00:00.000Z', leaseUntil: '2025-11-01T12:00:30.000Z' });
    expect(await store.setSlackIntent(claim.claimId, intent('a'), null)).toBe(true);
    expect(await store.setSlackIntent(claim.claimId, intent('b'), null)).toBe(false);
    expect(await store.setSlackIntent(claim.claimId, intent('c'), 'not-a')).toBe(false);
    expect(await store.setSlackIntent(claim.claimId, intent('d'), 'a')).toBe(true);
    // The same request again (an SDK retry whose first try was applied but unanswered) still succeeds.
    expect(await store.setSlackIntent(claim.claimId, intent('d'), 'a')).toBe(true);
    expect(await store.setSlackIntent(claim.claimId, intent('a'), 'a')).toBe(false);
    expect(await store.setSlackIntent('no-such-claim', intent('e'), null)).toBe(false);
    expect(await store.getClaim(claim.claimId)).toMatchObject({ version: 1, slackPost: intent('d') });
    // A recompute keeps it.
    const changed = await store.saveComputedClaim({ ...claim, creditPercent: 25, creditCents: 125000, updatedAt: '2025-10-22T00:00:00.000Z' });
    expect((await store.getClaim(changed.claimId))?.slackPost).toEqual(intent('d'));
  });

  it('skips a claim that does not exist', async () => {
    expect(await notifyClaim(sampleClaim({ claimId: 'never-saved' }), deps)).toEqual({ action: 'skipped', reason: 'claim not found' });
  });
});
