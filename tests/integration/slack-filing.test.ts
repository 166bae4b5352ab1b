/**
 * The Slack side of filing, against the fake Slack and the fake Support server: the message of a ready-to-file claim
 * (why, the basis, the terms flag, "Show case text" and "Mark as filed…"), the signed interactions that open the case
 * text and record a manual filing, and the message of a submitted claim (case id, link to Support Center).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackInteractionsHandler } from '../../handlers/slack-interactions.ts';
import { filingToken } from '../../src/claims/lifecycle.ts';
import type { Claim } from '../../src/claims/types.ts';
import { DEFAULT_FILING } from '../../src/contract/contract.ts';
import { fileClaim } from '../../src/filing/file-claim.ts';
import { supportForAccount } from '../../src/filing/support-api.ts';
import { createResponder, webClientSlackApi } from '../../src/slack/api.ts';
import type { SlackConfig } from '../../src/slack/config.ts';
import type { SlackHttpDeps } from '../../src/slack/http.ts';
import { silentLogger } from '../../src/slack/log.ts';
import { notifyClaim } from '../../src/slack/notify.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';
import { clickPayload, formBody, markFiledSubmissionPayload, messageText, signedEvent, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { fakeSupportCredentials, startFakeSupport, type FakeSupport } from '../helpers/fake-support.ts';

const TEAM = 'T0TEAM';
const CHANNEL = 'C0CLAIMS';
const SECRET = 'test-signing-secret-0123456789abcdef';
const TOKEN = 'xoxb-filing';
const APPROVER = 'U0APPROVER';

let db: Db;
let store: DynamoClaimStore;
let slack: FakeSlack;
let support: FakeSupport;
let deps: SlackHttpDeps;
let handler: ReturnType<typeof createSlackInteractionsHandler>;
let n = 0;

beforeAll(async () => {
  db = await freshDb('slack-filing');
  store = new DynamoClaimStore(db);
  slack = await startFakeSlack({ token: TOKEN });
  support = await startFakeSupport();
  const config: SlackConfig = { teamId: TEAM, channelId: CHANNEL, approvers: new Set([APPROVER]), apiUrl: slack.apiUrl };
  deps = {
    config,
    store,
    slack: webClientSlackApi({ token: async () => TOKEN, apiUrl: slack.apiUrl, retries: 0 }),
    respond: createResponder({ extraOrigin: slack.origin }),
    signingSecret: async () => SECRET,
    now: () => new Date(),
    logger: silentLogger,
  };
  handler = createSlackInteractionsHandler(deps);
});
afterAll(async () => {
  db.client.destroy();
  await slack.close();
  await support.close();
});

const send = (payload: Record<string, unknown>) => handler(signedEvent(formBody(payload), { secret: SECRET, timestampSec: Math.floor(Date.now() / 1000) }));
const shownText = (claim: Claim) => messageText(slack.message(claim.slack!.channel, claim.slack!.ts)!.blocks);

/** Posted, approved by a click, then filed (or made ready to file) and its message brought up to date. */
async function approvedAndFiled(overrides: Partial<Claim>): Promise<Claim> {
  n += 1;
  const saved = await store.saveComputedClaim(sampleClaim({ claimId: `slack-filing-${n}`, ...overrides }));
  await notifyClaim(saved, deps);
  const posted = (await store.getClaim(saved.claimId))!;
  await send(clickPayload({ claimId: posted.claimId, version: posted.version, action: 'claim_approve', userId: APPROVER, teamId: TEAM, channelId: CHANNEL, messageTs: posted.slack!.ts, responseUrl: slack.responseUrl(CHANNEL, posted.slack!.ts) }));
  await fileClaim(posted.claimId, {
    store,
    supportFor: supportForAccount({ endpoint: support.endpoint, credentials: fakeSupportCredentials }),
    filing: DEFAULT_FILING,
    now: () => new Date(),
  });
  const filed = (await store.getClaim(posted.claimId))!;
  await notifyClaim(filed, deps);
  return (await store.getClaim(posted.claimId))!;
}

describe('Slack: filing', () => {
  it('a ready-to-file claim shows why, the basis, the terms flag, and the case text in a modal, ready to paste', async () => {
    const claim = await approvedAndFiled({ terms: { versionDate: null, confirmed: false, unconfirmed: ['the 25 % tier'] } });
    expect(claim.status).toBe('ready_to_file');
    const text = shownText(claim);
    expect(text).toContain('Ready to file by hand');
    expect(text).toContain('terms unconfirmed: not filed automatically');
    expect(text).toContain('estimate: AWS Health window, an upper bound');
    expect(text).toContain('Show case text');
    expect(text).toContain('Mark as filed');
    const views = slack.views.length;
    await send(clickPayload({ claimId: claim.claimId, version: claim.version, action: 'claim_case_text', userId: APPROVER, teamId: TEAM, channelId: CHANNEL, messageTs: claim.slack!.ts, responseUrl: slack.responseUrl(CHANNEL, claim.slack!.ts), triggerId: 'trigger-case' }));
    expect(slack.views).toHaveLength(views + 1);
    const modal = messageText((slack.views.at(-1)!.view as { blocks: unknown[] }).blocks);
    expect(modal).toContain('SLA Credit Request');
    expect(modal).toContain(filingToken(claim.claimId));
    expect(modal).toContain('Account: 123456789012');
  });

  it('"Mark as filed" asks for the case ID; a bad one is refused naming it; a good one submits the claim (manual filing) and the message shows the case', async () => {
    const claim = await approvedAndFiled({ terms: undefined });
    await send(clickPayload({ claimId: claim.claimId, version: claim.version, action: 'claim_mark_filed', userId: APPROVER, teamId: TEAM, channelId: CHANNEL, messageTs: claim.slack!.ts, responseUrl: slack.responseUrl(CHANNEL, claim.slack!.ts), triggerId: 'trigger-mark' }));
    const view = slack.views.at(-1)!.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('claim_mark_filed_case');
    const bad = await send(markFiledSubmissionPayload({ userId: APPROVER, teamId: TEAM, privateMetadata: view.private_metadata, caseId: 'my case' }));
    expect(JSON.parse(bad.body as string)).toMatchObject({ response_action: 'errors', errors: { case_ref: expect.stringContaining('"my case"') } });
    expect((await store.getClaim(claim.claimId))?.status).toBe('ready_to_file');
    // Someone not on the allow-list cannot record a filing.
    const outsider = await send(markFiledSubmissionPayload({ userId: 'U0STRANGER', teamId: TEAM, privateMetadata: view.private_metadata, caseId: '172834561234' }));
    expect(outsider.body).toContain('not an approver');
    expect((await store.getClaim(claim.claimId))?.status).toBe('ready_to_file');
    const ok = await send(markFiledSubmissionPayload({ userId: APPROVER, teamId: TEAM, privateMetadata: view.private_metadata, caseId: '172834561234' }));
    expect(ok.statusCode).toBe(200);
    const filed = (await store.getClaim(claim.claimId))!;
    expect(filed).toMatchObject({ status: 'submitted', filing: { via: 'manual', caseId: '172834561234', filedBy: APPROVER } });
    const text = shownText(filed);
    expect(text).toContain('Submitted');
    expect(text).toContain('https://support.console.aws.amazon.com/support/home#/case/?displayId=172834561234');
    // A second submission of the same form changes nothing.
    const again = await send(markFiledSubmissionPayload({ userId: APPROVER, teamId: TEAM, privateMetadata: view.private_metadata, caseId: '999999999999' }));
    expect(again.body).toContain('Not marked');
    expect((await store.getClaim(claim.claimId))?.filing?.caseId).toBe('172834561234');
  });

  it('a claim filed through the API shows its case id and the Support Center link; a measured claim says so', async () => {
    const claim = await approvedAndFiled({
      terms: { versionDate: '2023-06-01', confirmed: true, unconfirmed: [] },
      basis: { kind: 'measured', metrics: ['AWS/DynamoDB SystemErrors (Sum)'], resourceCount: 2, intervalCount: 8928 },
    });
    expect(claim.status).toBe('submitted');
    const text = shownText(claim);
    expect(text).toContain(`displayId=${claim.filing!.displayId}`);
    expect(text).toContain('filed automatically');
    expect(text).toContain('measured from your CloudWatch metrics');
    expect(text).not.toContain('terms unconfirmed');
    expect(text).not.toContain('Mark as filed');
  });
});
