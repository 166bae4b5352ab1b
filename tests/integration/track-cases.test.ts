/**
 * Tracking (issue 9, item 3) on DynamoDB Local: the real Support SDK client answered by aws-sdk-client-mock with
 * DescribeCases shapes, the fake Slack Web API for the "AWS replied" thread replies.
 */
import { DescribeCasesCommand, SupportClient } from '@aws-sdk/client-support';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { createWebClient } from '../../src/slack/api.ts';
import type { Db } from '../../src/store/clients.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { classifyAnswer } from '../../src/tracking/outcome.ts';
import { SlackAnswerNotifier } from '../../src/tracking/slack-replies.ts';
import { SupportCaseReader } from '../../src/tracking/support-cases.ts';
import { MAX_ANSWER_BYTES, trackCases, type TrackDeps } from '../../src/tracking/track-cases.ts';
import { DynamoTrackingStore } from '../../src/tracking/tracking-store.ts';
import { freshDb } from '../helpers/db.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const support = new SupportClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
const supportMock = mockClient(support);
let db: Db;
let store: DynamoClaimStore;
let slack: FakeSlack;
let deps: TrackDeps;
const NOW = Date.parse('2025-11-20T09:00:00Z');
const AWS = 'Amazon Web Services';
const US = 'SlaClaimsFiling (Role) <finops@example.com>';

beforeAll(async () => {
  db = await freshDb('track');
  store = new DynamoClaimStore(db);
  slack = await startFakeSlack({ token: 'xoxb-track' });
  deps = {
    store,
    tracking: new DynamoTrackingStore(db),
    cases: new SupportCaseReader(() => support),
    notify: new SlackAnswerNotifier(createWebClient({ apiUrl: slack.apiUrl, retries: 0 }), async () => 'xoxb-track', 'C0CLAIMS'),
    now: () => NOW,
  };
});
afterAll(async () => {
  await slack.close();
  db.client.destroy();
});
beforeEach(() => supportMock.reset());

/** A submitted claim with its case (as the filing would leave it). */
async function submitted(id: string, caseId: string): Promise<Claim> {
  let claim = await store.saveComputedClaim(sampleClaim({ claimId: `123456789012#dynamodb#${id}#2025-10` }));
  for (const to of ['pending_approval', 'approved', 'submitted'] as const) {
    const r = await store.transition({ claimId: claim.claimId, from: claim.status, to, expectedVersion: claim.version, actor: 'U1', at: '2025-11-03T10:00:00.000Z' });
    if (!r.ok) throw new Error('setup');
    claim = r.claim;
  }
  // The filing record the filing helper's use case writes with the submitted transition.
  await db.doc.send(
    new (await import('@aws-sdk/lib-dynamodb')).UpdateCommand({
      TableName: db.tableName,
      Key: { pk: `CLAIM#${claim.claimId}`, sk: 'CLAIM' },
      UpdateExpression: 'SET filing = :f, slack = :s',
      ExpressionAttributeValues: {
        ':f': { via: 'support-api', caseId, displayId: caseId.slice(-6), filedAt: '2025-11-03T10:00:00.000Z', filedBy: 'system' },
        ':s': { channel: 'C0CLAIMS', ts: `1762000000.${id.padStart(6, '0').slice(-6)}` },
      },
    }),
  );
  return (await store.getClaim(claim.claimId))!;
}

const caseOf = (caseId: string, status: string, messages: [string, string, string][]) => ({
  caseId,
  displayId: caseId.slice(-6),
  subject: 'SLA Credit Request - Amazon DynamoDB',
  status,
  serviceCode: 'customer-account',
  categoryCode: 'sla-credit',
  severityCode: 'low',
  submittedBy: 'finops@example.com',
  timeCreated: '2025-11-03T10:00:00.000Z',
  recentCommunications: {
    communications: messages.map(([submittedBy, timeCreated, body]) => ({ caseId, body, submittedBy, timeCreated, attachmentSet: [] })),
  },
});

describe('the outcome wording rules', () => {
  it.each([
    ['We have reviewed your request and a credit of $500.00 has been applied to your account.', 'credited'],
    ['The SLA credit was issued and will appear on your next bill.', 'credited'],
    ['We have issued an SLA credit of $1,245.08 for the affected Region.', 'credited'],
    ['After review, this request is not eligible for an SLA credit: the impact did not meet the SLA definition.', 'denied'],
    ['Unfortunately we are unable to approve the credit request because the Monthly Uptime Percentage was above 99.99%.', 'denied'],
    ['Your SLA credit request has been denied.', 'denied'],
    ['Thank you for contacting AWS. We are reviewing your request with the service team and will update the case.', 'unclear'],
    ['Could you provide the request IDs of the failed calls?', 'unclear'],
    ['The credit has not been applied yet; the service team is reviewing it.', 'unclear'],
    ['A credit has been applied for us-east-1; eu-west-1 is not eligible.', 'unclear'],
  ])('%s → %s', (body, outcome) => expect(classifyAnswer(body)).toBe(outcome));
});

describe('trackCases', () => {
  it('a denied case → denied, audited, with AWS\'s words on the claim and a thread reply', async () => {
    const claim = await submitted('den', 'case-123456789012-muen-2025-a1b2c3d4e5f6a7b8');
    supportMock.on(DescribeCasesCommand).resolves({
      cases: [
        caseOf(claim.filing!.caseId, 'resolved', [
          [US, '2025-11-03T10:00:00.000Z', 'SLA Credit Request ... [sla-claims token 1]'],
          [AWS, '2025-11-10T15:30:12.000Z', 'Hello, after review your request is not eligible for an SLA credit: the errors were within the SLA.'],
        ]),
      ],
    });
    const report = await trackCases(deps, { months: ['2025-10'] });
    expect(report.denied).toEqual([claim.claimId]);
    const input = supportMock.commandCalls(DescribeCasesCommand)[0]!.args[0].input;
    expect(input).toEqual({ caseIdList: [claim.filing!.caseId], includeCommunications: true, includeResolvedCases: true });
    const after = (await store.getClaim(claim.claimId))!;
    expect(after.status).toBe('denied');
    expect(after.tracking).toMatchObject({ caseStatus: 'resolved', outcome: 'denied', answers: [{ at: '2025-11-10T15:30:12.000Z', from: AWS }] });
    const audit = (await store.listAudit(claim.claimId)).at(-1)!;
    expect(audit).toMatchObject({ actor: 'aws-support', from: 'submitted', to: 'denied' });
    expect(audit.reason).toContain('not eligible for an SLA credit');
    const reply = slack.callsOf('chat.postMessage').at(-1)!;
    expect(reply.args).toMatchObject({ channel: 'C0CLAIMS', thread_ts: claim.slack!.ts });
    expect(String(reply.args.text)).toMatch(/^:x: \*AWS denied\* the claim on case/);
  });

  it('"credit has been applied" → credited pending reconciliation (no payment yet)', async () => {
    const claim = await submitted('cre', 'case-123456789012-muen-2025-0000000000000002');
    supportMock.on(DescribeCasesCommand).resolves({
      cases: [caseOf(claim.filing!.caseId, 'resolved', [[AWS, '2025-11-12T08:00:00Z', 'Thank you for your patience. A credit of $500.00 has been applied to your account and will show on your bill.']])],
    });
    const report = await trackCases(deps, { months: ['2025-10'] });
    expect(report.credited).toEqual([claim.claimId]);
    const after = (await store.getClaim(claim.claimId))!;
    expect(after.status).toBe('credited');
    expect(after.payment).toBeUndefined();
  });

  it('an answer without an outcome: recorded, posted once as "AWS replied" in the thread, never decided', async () => {
    const claim = await submitted('unc', 'case-123456789012-muen-2025-0000000000000003');
    const body = 'We are reviewing your request with the DynamoDB team. Could you share the request IDs? <script>';
    supportMock.on(DescribeCasesCommand).resolves({
      cases: [caseOf(claim.filing!.caseId, 'pending-customer-action', [[AWS, '2025-11-05T12:00:00Z', body]])],
    });
    const posts = () => slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === claim.slack!.ts);
    const first = await trackCases(deps, { months: ['2025-10'] });
    expect(first.replied).toEqual([claim.claimId]);
    expect(posts()).toHaveLength(1);
    expect(String(posts()[0]!.args.text)).toContain(':speech_balloon: *AWS replied* on case');
    expect(String(posts()[0]!.args.text)).toContain('&lt;script&gt;');
    const after = (await store.getClaim(claim.claimId))!;
    expect(after.status).toBe('submitted');
    expect(after.tracking).toMatchObject({ outcome: 'unclear', notifiedAt: '2025-11-05T12:00:00.000Z', caseStatus: 'pending-customer-action' });
    expect((await store.listAudit(claim.claimId)).map((a) => a.action).slice(-2)).toEqual(['case-answer', 'slack-aws-replied']);
    // The next run sees nothing new: no write, no second post.
    await trackCases(deps, { months: ['2025-10'] });
    expect(posts()).toHaveLength(1);
    expect((await store.getClaim(claim.claimId))!.version).toBe(after.version);
  });

  it('a failed Slack post is retried by the next run; the answer is recorded once', async () => {
    const claim = await submitted('retry', 'case-123456789012-muen-2025-0000000000000004');
    supportMock.on(DescribeCasesCommand).resolves({
      cases: [caseOf(claim.filing!.caseId, 'opened', [[AWS, '2025-11-06T12:00:00Z', 'We have forwarded your request to the service team.']])],
    });
    slack.failNext('chat.postMessage', 'ratelimited');
    const first = await trackCases(deps, { months: ['2025-10'] });
    expect(first.replied).toEqual([]);
    expect((await store.getClaim(claim.claimId))!.tracking?.notifiedAt).toBeUndefined();
    const second = await trackCases(deps, { months: ['2025-10'] });
    expect(second.replied).toEqual([claim.claimId]);
    expect((await store.listAudit(claim.claimId)).filter((a) => a.action === 'case-answer')).toHaveLength(1);
  });

  it('keeps the newest answers, bounded in bytes; pages through DescribeCases; an account without a Support plan is reported, not thrown', async () => {
    const claim = await submitted('big', 'case-123456789012-muen-2025-0000000000000005');
    const long = 'é'.repeat(8000);
    supportMock
      .on(DescribeCasesCommand)
      .resolvesOnce({ cases: [], nextToken: 'page-2' })
      .resolves({ cases: [caseOf(claim.filing!.caseId, 'opened', Array.from({ length: 5 }, (_, i): [string, string, string] => [AWS, `2025-11-0${i + 1}T00:00:00Z`, `${i} ${long}`]))] });
    const report = await trackCases(deps, { months: ['2025-10'] });
    expect(supportMock.commandCalls(DescribeCasesCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'page-2']);
    expect(report.answered).toBeGreaterThanOrEqual(1);
    const t = (await store.getClaim(claim.claimId))!.tracking!;
    expect(t.answers).toHaveLength(5);
    for (const a of t.answers) expect(Buffer.byteLength(a.body)).toBeLessThanOrEqual(MAX_ANSWER_BYTES);

    supportMock.reset();
    supportMock.on(DescribeCasesCommand).rejects(Object.assign(new Error('AWS Premium Support Subscription is required to use this service.'), { name: 'SubscriptionRequiredException', $metadata: { httpStatusCode: 400 } }));
    const denied = await trackCases(deps, { months: ['2025-10'] });
    expect(denied.failedAccounts).toEqual([{ account: '123456789012', error: 'SubscriptionRequiredException: AWS Premium Support Subscription is required to use this service.' }]);
  });
});
