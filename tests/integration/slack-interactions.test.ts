import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackInteractionsHandler } from '../../handlers/slack-interactions.ts';
import type { Claim } from '../../src/claims/types.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { createResponder, webClientSlackApi } from '../../src/slack/api.ts';
import type { SlackConfig } from '../../src/slack/config.ts';
import type { SlackHttpDeps } from '../../src/slack/http.ts';
import { silentLogger } from '../../src/slack/log.ts';
import { notifyClaim } from '../../src/slack/notify.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';
import {
  clickPayload,
  formBody,
  messageText,
  rejectSubmissionPayload,
  signedEvent,
  startFakeSlack,
  type ClickOptions,
  type FakeSlack,
} from '../helpers/fake-slack.ts';

const TEAM = 'T0TEAM';
const CHANNEL = 'C0CLAIMS';
const SECRET = 'test-signing-secret-0123456789abcdef';
const TOKEN = 'xoxb-interactions';
const APPROVERS = Array.from({ length: 20 }, (_, i) => `U0APPR${String(i).padStart(2, '0')}`);

let db: Db;
let store: DynamoClaimStore;
let fake: FakeSlack;
let deps: SlackHttpDeps;
let handler: ReturnType<typeof createSlackInteractionsHandler>;
let n = 0;

beforeAll(async () => {
  db = await freshDb('slack-interactions');
  store = new DynamoClaimStore(db);
  fake = await startFakeSlack({ token: TOKEN });
  const config: SlackConfig = { teamId: TEAM, channelId: CHANNEL, approvers: new Set(APPROVERS), apiUrl: fake.apiUrl };
  deps = {
    config,
    store,
    slack: webClientSlackApi({ token: async () => TOKEN, apiUrl: fake.apiUrl, retries: 0 }),
    respond: createResponder({ extraOrigin: fake.origin }),
    signingSecret: async () => SECRET,
    now: () => new Date(),
    logger: silentLogger,
  };
  handler = createSlackInteractionsHandler(deps);
});
afterAll(async () => {
  db.client.destroy();
  await fake.close();
});

/** A claim posted to Slack (pending_approval v2, message stored). */
async function postedClaim(): Promise<Claim> {
  n += 1;
  const saved = await store.saveComputedClaim(sampleClaim({ claimId: `interact-${n}` }));
  const result = await notifyClaim(saved, deps);
  expect(result.action).toBe('posted');
  const claim = await store.getClaim(saved.claimId);
  expect(claim).toMatchObject({ status: 'pending_approval', version: 2 });
  return claim as Claim;
}

function click(claim: Claim, overrides: Partial<ClickOptions> = {}) {
  const ts = claim.slack?.ts ?? '';
  const payload = clickPayload({
    claimId: claim.claimId,
    version: claim.version,
    action: 'claim_approve',
    userId: APPROVERS[0] as string,
    teamId: TEAM,
    channelId: CHANNEL,
    messageTs: ts,
    responseUrl: fake.responseUrl(CHANNEL, ts),
    ...overrides,
  });
  return handler(signedEvent(formBody(payload), { secret: SECRET, timestampSec: Math.floor(Date.now() / 1000) }));
}

function submitReason(privateMetadata: string, userId: string, reason: string, teamId = TEAM) {
  const payload = rejectSubmissionPayload({ userId, teamId, privateMetadata, reason });
  return handler(signedEvent(formBody(payload), { secret: SECRET, timestampSec: Math.floor(Date.now() / 1000) }));
}

const responsesFor = (claim: Claim) => fake.responses.filter((r) => r.ts === claim.slack?.ts);
const transitionsTo = async (claim: Claim, to: string) => (await store.listAudit(claim.claimId)).filter((a) => a.action === 'transition' && a.to === to);

describe('refused clicks change nothing and are audited', () => {
  it.each([
    ['a user who is not an approver', { userId: 'U0INTRUDER' }, 'not_approver', /user U0INTRUDER is not an approver/],
    ['a user of another workspace', { teamId: 'T0OTHER' }, 'other_team', /workspace T0OTHER is not the configured workspace/],
    ['a click from another channel', { channelId: 'C0ELSEWHERE' }, 'other_channel', /channel C0ELSEWHERE is not the claims channel/],
  ] as const)('%s', async (_name, overrides, code, reason) => {
    const claim = await postedClaim();
    const updatesBefore = fake.callsOf('chat.update').length;
    const result = await click(claim, overrides);
    expect(result.statusCode).toBe(200);

    const after = await store.getClaim(claim.claimId);
    expect(after).toMatchObject({ status: 'pending_approval', version: 2 });
    expect(after?.decidedBy).toBeUndefined();
    const audit = await store.listAudit(claim.claimId);
    const refused = audit.filter((a) => a.action === 'refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ reason: expect.stringMatching(reason), detail: expect.objectContaining({ code, decision: 'approve' }) });
    expect(audit.filter((a) => a.to === 'approved')).toHaveLength(0);
    expect(fake.callsOf('chat.update')).toHaveLength(updatesBefore);
    expect(responsesFor(claim)).toEqual([
      expect.objectContaining({ body: expect.objectContaining({ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(/You cannot approve/) }) }),
    ]);
  });

  it('refuses a non-approver asking to reject without opening the form', async () => {
    const claim = await postedClaim();
    const viewsBefore = fake.views.length;
    await click(claim, { action: 'claim_reject', userId: 'U0INTRUDER' });
    expect(fake.views).toHaveLength(viewsBefore);
    expect((await store.listAudit(claim.claimId)).filter((a) => a.action === 'refused')).toHaveLength(1);
    expect((await store.getClaim(claim.claimId))?.status).toBe('pending_approval');
  });

  it('only logs a click on an unknown claim', async () => {
    const ghost = { ...sampleClaim({ claimId: 'ghost-claim', version: 2 }), slack: { channel: CHANNEL, ts: '1.000001' } };
    const result = await click(ghost, { userId: 'U0INTRUDER' });
    expect(result.statusCode).toBe(200);
    expect(await store.getClaim('ghost-claim')).toBeNull();
    expect(await store.listAudit('ghost-claim')).toEqual([]);
    expect(responsesFor(ghost).at(-1)?.body.text).toBe('This claim no longer exists.');
  });
});

describe('claim references that could never be ours', () => {
  it('answers 400 naming the field for a claim id of 1 500 × "€" (4 500 bytes), before any read', async () => {
    const huge = '€'.repeat(1500);
    const ghost = { ...sampleClaim({ claimId: huge, version: 2 }), slack: { channel: CHANNEL, ts: '1.000001' } };
    const result = await click(ghost);
    expect(result.statusCode).toBe(400);
    expect(result.body).toBe('actions[0].value: claimId: claimId is 4500 bytes (UTF-8), over the 1536-byte limit');
  });

  it('accepts an id at the limit (1 536 bytes) as a reference and reads it (an unknown claim)', async () => {
    const ghost = { ...sampleClaim({ claimId: `${'€'.repeat(511)}abc`, version: 2 }), slack: { channel: CHANNEL, ts: '1.000002' } };
    const result = await click(ghost);
    expect(result.statusCode).toBe(200);
    expect(responsesFor(ghost).at(-1)?.body.text).toBe('This claim no longer exists.');
  });

  it('answers 400 for a rejection form whose metadata names an oversized claim id', async () => {
    const metadata = JSON.stringify({ claimId: '€'.repeat(1500), version: 2, channel: CHANNEL, messageTs: '1.2' });
    const result = await submitReason(metadata, APPROVERS[0] as string, 'Not ours');
    expect(result.statusCode).toBe(400);
    expect(result.body).toMatch(/^view\.private_metadata: claimId: claimId is 4500 bytes/);
  });
});

describe('approval', () => {
  it('20 parallel approvals make exactly one transition; the others are told who approved', async () => {
    const claim = await postedClaim();
    const results = await Promise.all(APPROVERS.map((userId) => click(claim, { userId })));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);

    const final = await store.getClaim(claim.claimId);
    expect(final).toMatchObject({ status: 'approved', version: 3 });
    const winner = final?.decidedBy as string;
    expect(APPROVERS).toContain(winner);
    const approvals = await transitionsTo(claim, 'approved');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ actor: winner, from: 'pending_approval', version: 3, detail: expect.objectContaining({ via: 'slack', decision: 'approve' }) });

    const told = responsesFor(claim).map((r) => r.body.text);
    expect(told).toHaveLength(19);
    for (const text of told) expect(text).toBe(`This claim was already approved by <@${winner}>.`);
    expect((await store.listAudit(claim.claimId)).filter((a) => a.action === 'late_click')).toHaveLength(19);

    const message = fake.message(CHANNEL, claim.slack?.ts ?? '');
    expect(messageText(message?.blocks ?? [])).toContain(`Approved by <@${winner}>`);
    expect((message?.blocks as { type: string }[]).some((b) => b.type === 'actions')).toBe(false);
  });

  it('does nothing for a click on numbers that changed since the message showed them, and refreshes the message', async () => {
    const claim = await postedClaim();
    const changed = await store.saveComputedClaim({ ...claim, creditPercent: 25, creditCents: 125000, updatedAt: new Date().toISOString() });
    expect(changed.version).toBe(3);
    await click(claim); // The button still says version 2.
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'pending_approval', version: 3 });
    expect(await transitionsTo(claim, 'approved')).toHaveLength(0);
    expect(responsesFor(claim).at(-1)?.body.text).toMatch(/changed since this message was shown \(now version 3\)/);
    expect(messageText(fake.message(CHANNEL, claim.slack?.ts ?? '')?.blocks ?? [])).toContain('$1,250.00');
  });
});

describe('rejection through the modal', () => {
  it('opens a form for the reason, then rejects with it and shows it on the message', async () => {
    const claim = await postedClaim();
    const rejecter = APPROVERS[3] as string;
    await click(claim, { action: 'claim_reject', userId: rejecter, triggerId: 'trigger-123' });
    const opened = fake.views.at(-1);
    expect(opened?.trigger_id).toBe('trigger-123');
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'pending_approval', version: 2 });
    const metadata = String(opened?.view.private_metadata);
    expect(JSON.parse(metadata)).toMatchObject({ claimId: claim.claimId, version: 2, channel: CHANNEL, messageTs: claim.slack?.ts });

    const empty = await submitReason(metadata, rejecter, '  ');
    expect(JSON.parse(empty.body ?? '{}')).toMatchObject({ response_action: 'errors', errors: { reject_reason: expect.any(String) } });
    expect((await store.getClaim(claim.claimId))?.status).toBe('pending_approval');

    const done = await submitReason(metadata, rejecter, 'Covered by the enterprise agreement <credits>');
    expect(done).toMatchObject({ statusCode: 200, body: '' });
    expect(await store.getClaim(claim.claimId)).toMatchObject({
      status: 'rejected',
      version: 3,
      decidedBy: rejecter,
      decisionReason: 'Covered by the enterprise agreement <credits>',
    });
    expect(await transitionsTo(claim, 'rejected')).toEqual([
      expect.objectContaining({ actor: rejecter, reason: 'Covered by the enterprise agreement <credits>', detail: expect.objectContaining({ decision: 'reject' }) }),
    ]);
    expect(messageText(fake.message(CHANNEL, claim.slack?.ts ?? '')?.blocks ?? [])).toContain(
      `Rejected by <@${rejecter}>*: Covered by the enterprise agreement &lt;credits&gt;`,
    );

    // A second submission (another approver's form, opened earlier) is told, and changes nothing.
    const late = await submitReason(metadata, APPROVERS[4] as string, 'duplicate');
    expect(JSON.parse(late.body ?? '{}')).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(JSON.parse(late.body ?? '{}').view.blocks[0].text.text).toBe(`This claim was already rejected by <@${rejecter}>.`);
    expect(await transitionsTo(claim, 'rejected')).toHaveLength(1);
  });

  it('refuses a submission from another workspace or a non-approver', async () => {
    const claim = await postedClaim();
    const metadata = JSON.stringify({ claimId: claim.claimId, version: 2, channel: CHANNEL, messageTs: claim.slack?.ts });
    for (const [user, team] of [['U0INTRUDER', TEAM], [APPROVERS[0] as string, 'T0OTHER']] as const) {
      const result = await submitReason(metadata, user, 'not ours', team);
      expect(result.body).toContain('You cannot reject this claim');
    }
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'pending_approval', version: 2 });
    expect((await store.listAudit(claim.claimId)).filter((a) => a.action === 'refused').map((a) => a.detail?.code)).toEqual(
      expect.arrayContaining(['not_approver', 'other_team']),
    );
  });
});
