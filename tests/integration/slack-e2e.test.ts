/**
 * End to end: the real `handlers/slack-interactions.ts` module behind a real HTTP server that turns requests into
 * API Gateway HTTP API (v2) events (form bodies base64-encoded, as API Gateway does), the fake Slack Web API, SSM
 * (mocked: the handler reads its secrets through the real SsmSecretSource) and DynamoDB Local.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { webClientSlackApi } from '../../src/slack/api.ts';
import type { HttpApiEvent, HttpApiResult } from '../../src/slack/http.ts';
import { notifyClaim, type NotifyDeps } from '../../src/slack/notify.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';
import { clickPayload, formBody, messageText, rejectSubmissionPayload, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const TEAM = 'T0E2E';
const CHANNEL = 'C0E2E';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const SECRET = 'e2e-signing-secret-fedcba9876543210';
const TOKEN = 'xoxb-e2e-token';
const PARAMS = { secret: '/sla-claims/test/slack/signing-secret', token: '/sla-claims/test/slack/bot-token' };

const ssm = mockClient(SSMClient);
let db: Db;
let store: DynamoClaimStore;
let fake: FakeSlack;
let api: Server;
let endpoint: string;
let notifyDeps: NotifyDeps;
const savedEnv = { ...process.env };

/** A minimal API Gateway HTTP API: one route, payload format 2.0, form bodies base64-encoded. */
async function startApiGateway(handler: (event: HttpApiEvent) => Promise<HttpApiResult>): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'POST' || url.pathname !== '/slack/interactions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"message":"Not Found"}');
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      const contentType = headers['content-type'] ?? '';
      const textual = /^(text\/|application\/(json|xml|javascript))/.test(contentType);
      const event = {
        version: '2.0',
        routeKey: 'POST /slack/interactions',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        requestContext: { http: { method: req.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' } },
        body: textual ? raw.toString('utf8') : raw.toString('base64'),
        isBase64Encoded: !textual,
      };
      const result = await handler(event);
      res.writeHead(result.statusCode, result.headers ?? {});
      res.end(result.body ?? '');
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

async function postToSlackEndpoint(payload: Record<string, unknown>, options: { sign?: boolean } = {}) {
  const body = formBody(payload);
  const ts = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)' };
  if (options.sign ?? true) {
    headers['x-slack-request-timestamp'] = ts;
    headers['x-slack-signature'] = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  }
  return await fetch(`${endpoint}/slack/interactions`, { method: 'POST', headers, body });
}

beforeAll(async () => {
  db = await freshDb('slack-e2e');
  store = new DynamoClaimStore(db);
  fake = await startFakeSlack({ token: TOKEN });
  ssm.on(GetParameterCommand, { Name: PARAMS.secret, WithDecryption: true }).resolves({ Parameter: { Name: PARAMS.secret, Type: 'SecureString', Value: SECRET } });
  ssm.on(GetParameterCommand, { Name: PARAMS.token, WithDecryption: true }).resolves({ Parameter: { Name: PARAMS.token, Type: 'SecureString', Value: TOKEN } });
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    TABLE_NAME: db.tableName,
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SLACK_TEAM_ID: TEAM,
    SLACK_CHANNEL_ID: CHANNEL,
    SLACK_APPROVERS: `${ALICE},${BOB}`,
    SLACK_API_URL: fake.apiUrl,
    SLACK_SIGNING_SECRET_PARAM: PARAMS.secret,
    SLACK_BOT_TOKEN_PARAM: PARAMS.token,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const { handler } = await import('../../handlers/slack-interactions.ts');
  api = await startApiGateway(handler);
  endpoint = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  notifyDeps = {
    store,
    slack: webClientSlackApi({ token: async () => TOKEN, apiUrl: fake.apiUrl, retries: 0 }),
    config: { channelId: CHANNEL, approvers: new Set([ALICE, BOB]) },
    now: () => new Date(),
  };
});

afterAll(async () => {
  process.env = savedEnv;
  ssm.restore();
  await new Promise<void>((resolve) => api.close(() => resolve()));
  await fake.close();
  db.client.destroy();
});

async function postClaim(claimId: string): Promise<Claim> {
  const saved = await store.saveComputedClaim(sampleClaim({ claimId }));
  expect((await notifyClaim(saved, notifyDeps)).action).toBe('posted');
  return (await store.getClaim(claimId)) as Claim;
}

function clickOn(claim: Claim, action: 'claim_approve' | 'claim_reject', userId: string) {
  const ts = claim.slack?.ts ?? '';
  return clickPayload({
    claimId: claim.claimId,
    version: claim.version,
    action,
    userId,
    teamId: TEAM,
    channelId: CHANNEL,
    messageTs: ts,
    responseUrl: fake.responseUrl(CHANNEL, ts),
    triggerId: `trigger-${claim.claimId}`,
  });
}

describe('Slack approval over HTTP (API Gateway → handler → DynamoDB Local + fake Slack)', () => {
  it('answers 401 to an unsigned request and changes nothing', async () => {
    const claim = await postClaim('e2e-unsigned');
    const response = await postToSlackEndpoint(clickOn(claim, 'claim_approve', ALICE), { sign: false });
    expect(response.status).toBe(401);
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'pending_approval', version: 2 });
  });

  it('posts a claim, approves it with a signed click, and shows the decision in the store and in Slack', async () => {
    const claim = await postClaim('e2e-approve');
    const posted = fake.message(CHANNEL, claim.slack?.ts ?? '');
    expect(messageText(posted?.blocks ?? [])).toContain('Awaiting approval');

    const started = Date.now();
    const response = await postToSlackEndpoint(clickOn(claim, 'claim_approve', ALICE));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);

    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'approved', version: 3, decidedBy: ALICE });
    const audit = await store.listAudit(claim.claimId);
    expect(audit.filter((a) => a.action === 'transition').map((a) => [a.from, a.to, a.actor])).toEqual([
      ['draft', 'pending_approval', 'system'],
      ['pending_approval', 'approved', ALICE],
    ]);

    const message = fake.message(CHANNEL, claim.slack?.ts ?? '');
    expect(message?.history.length).toBeGreaterThanOrEqual(2); // updated in place, not reposted
    expect(messageText(message?.blocks ?? [])).toContain(`Approved by <@${ALICE}>`);
    expect(fake.callsOf('chat.update').at(-1)?.token).toBe(TOKEN);

    // A late click from Bob is told who approved, ephemerally.
    await postToSlackEndpoint(clickOn(claim, 'claim_approve', BOB));
    expect(fake.responses.at(-1)?.body).toEqual({ response_type: 'ephemeral', replace_original: false, text: `This claim was already approved by <@${ALICE}>.` });
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'approved', version: 3, decidedBy: ALICE });
  });

  it('rejects through the modal: click → views.open → view_submission with a reason', async () => {
    const claim = await postClaim('e2e-reject');
    const click = await postToSlackEndpoint(clickOn(claim, 'claim_reject', BOB));
    expect(click.status).toBe(200);
    const view = fake.views.find((v) => v.trigger_id === `trigger-${claim.claimId}`)?.view;
    expect(view).toMatchObject({ type: 'modal', callback_id: 'claim_reject_reason' });

    const submit = await postToSlackEndpoint(
      rejectSubmissionPayload({ userId: BOB, teamId: TEAM, privateMetadata: String(view?.private_metadata), reason: 'Not our outage: the workload runs in us-west-2' }),
    );
    expect(submit.status).toBe(200);
    expect(await submit.text()).toBe('');

    expect(await store.getClaim(claim.claimId)).toMatchObject({
      status: 'rejected',
      version: 3,
      decidedBy: BOB,
      decisionReason: 'Not our outage: the workload runs in us-west-2',
    });
    const rejected = (await store.listAudit(claim.claimId)).filter((a) => a.to === 'rejected');
    expect(rejected).toEqual([expect.objectContaining({ actor: BOB, reason: 'Not our outage: the workload runs in us-west-2' })]);
    expect(messageText(fake.message(CHANNEL, claim.slack?.ts ?? '')?.blocks ?? [])).toContain(
      `Rejected by <@${BOB}>*: Not our outage: the workload runs in us-west-2`,
    );
  });
});
