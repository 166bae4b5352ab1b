/**
 * The whole Slack approval flow, locally, with no Slack workspace and no AWS account:
 * DynamoDB Local + the fake Slack Web API (tests/helpers/fake-slack.ts) + the real use cases and handler.
 *
 *   node bin/run-ts.js scripts/slack-demo.ts                       # approve
 *   node bin/run-ts.js scripts/slack-demo.ts --reject "Not ours"   # reject through the modal
 *   node bin/run-ts.js scripts/slack-demo.ts --json                # also print the Block Kit JSON as posted
 *
 * Prints the message as posted (with its buttons), then as it reads after the click, the claim and its audit trail.
 *
 * Needs Java 17+ for DynamoDB Local.
 */
import { DateTime } from 'luxon';
import { createSlackInteractionsHandler } from '../handlers/slack-interactions.ts';
import { claimDeadline, monthOf } from '../src/credit/month.ts';
import { startLocalDynamoDb } from '../src/store/local-dynamodb.ts';
import { DynamoClaimStore } from '../src/store/claim-store.ts';
import { createResponder, webClientSlackApi } from '../src/slack/api.ts';
import { silentLogger } from '../src/slack/log.ts';
import { notifyClaim } from '../src/slack/notify.ts';
import { sampleClaim } from '../tests/helpers/claims.ts';
import { clickPayload, formBody, rejectSubmissionPayload, signedEvent, startFakeSlack } from '../tests/helpers/fake-slack.ts';

const args = process.argv.slice(2);
const rejectAt = args.indexOf('--reject');
const rejectReason = rejectAt >= 0 ? (args[rejectAt + 1] ?? 'Rejected in the demo') : undefined;
const showJson = args.includes('--json');

/** A plain-text rendering of Block Kit, roughly as Slack lays it out (buttons as [ … ]). */
function renderBlocks(blocks: unknown[]): string {
  const out: string[] = [];
  const text = (t: unknown) => String((t as { text?: unknown } | undefined)?.text ?? '');
  for (const block of blocks as { type: string; text?: unknown; fields?: unknown[]; elements?: unknown[] }[]) {
    switch (block.type) {
      case 'header':
        out.push(`▌ ${text(block.text)}`, '');
        break;
      case 'section':
        if (block.text) out.push(text(block.text), '');
        if (block.fields) {
          const cells = block.fields.map((f) => text(f).replace('\n', ': '));
          for (let i = 0; i < cells.length; i += 2) out.push(`${(cells[i] ?? '').padEnd(46)}${cells[i + 1] ?? ''}`);
          out.push('');
        }
        break;
      case 'context':
        out.push(...(block.elements ?? []).map((e) => `· ${text(e)}`), '');
        break;
      case 'actions':
        out.push(
          (block.elements ?? [])
            .map((e) => {
              const b = e as { text?: unknown; style?: string; value?: string };
              return `[ ${text(b.text)} ]${b.style === 'primary' ? '*' : ''}`;
            })
            .join('   ') + `   ← value ${String((block.elements?.[0] as { value?: string } | undefined)?.value)}`,
          '',
        );
        break;
      case 'divider':
        out.push('───', '');
        break;
      default:
        out.push(`(${block.type} block)`, '');
    }
  }
  return out.join('\n').trimEnd();
}
const boxed = (text: string) => text.replace(/^/gm, '   │ ');

const TEAM = 'T0DEMO';
const CHANNEL = 'C0SLACLAIMS';
const APPROVER = 'U0APPROVER';
const SIGNING_SECRET = 'demo-signing-secret-not-a-real-one';
const BOT_TOKEN = 'xoxb-demo-token';

const local = await startLocalDynamoDb({ tableName: 'sla-claims-slack-demo' });
const fake = await startFakeSlack({ token: BOT_TOKEN });
try {
  const store = new DynamoClaimStore(local.db);
  const config = { teamId: TEAM, channelId: CHANNEL, approvers: new Set([APPROVER]), apiUrl: fake.apiUrl };
  const slack = webClientSlackApi({ token: async () => BOT_TOKEN, apiUrl: fake.apiUrl, retries: 0 });
  const now = () => new Date();

  // 1. Ingest produced a claimable draft; the notifier (stream handler in AWS) posts it for approval.
  // (The sample outage, moved to last month so the filing deadline is still ahead.)
  const month = monthOf(DateTime.utc().minus({ months: 1 }).toMillis());
  const sample = sampleClaim();
  const evidence = sample.evidence.map((e) => ({ ...e, startTime: `${month}-20T06:48:00.000Z`, endTime: `${month}-20T09:40:00.000Z` }));
  const draft = await store.saveComputedClaim(
    sampleClaim({ claimId: `123456789012#dynamodb#us-east-1#${month}`, month, deadline: claimDeadline(month), evidence, computedAt: now().toISOString(), updatedAt: now().toISOString() }),
  );
  const posted = await notifyClaim(draft, { store, slack, config, now });
  console.log(`1. notifyClaim → ${posted.action}`);
  const claim = await store.getClaim(draft.claimId);
  if (!claim?.slack) throw new Error('the claim was not posted');
  const asPosted = fake.message(CHANNEL, claim.slack.ts)?.history[0];
  console.log(`\n   The message as posted to ${CHANNEL} (ts ${claim.slack.ts}), with its buttons:\n`);
  console.log(boxed(renderBlocks(asPosted?.blocks ?? [])));
  if (showJson) console.log(`\n   Block Kit JSON as posted (chat.postMessage):\n${boxed(JSON.stringify(asPosted?.blocks, null, 2))}`);
  console.log('');

  // 2. The interactivity endpoint, as `sls offline` / API Gateway would call it (signed, base64 form body).
  const handler = createSlackInteractionsHandler({
    config,
    store,
    slack,
    respond: createResponder({ extraOrigin: fake.origin }),
    signingSecret: async () => SIGNING_SECRET,
    now,
    logger: silentLogger,
  });
  const send = async (payload: Record<string, unknown>) =>
    await handler(signedEvent(formBody(payload), { secret: SIGNING_SECRET, timestampSec: Math.floor(Date.now() / 1000) }));
  const click = (action: 'claim_approve' | 'claim_reject') =>
    clickPayload({
      claimId: claim.claimId,
      version: claim.version,
      action,
      userId: APPROVER,
      teamId: TEAM,
      channelId: CHANNEL,
      messageTs: claim.slack?.ts ?? '',
      responseUrl: fake.responseUrl(CHANNEL, claim.slack?.ts ?? ''),
      triggerId: 'demo-trigger',
    });

  if (rejectReason === undefined) {
    const result = await send(click('claim_approve'));
    console.log(`2. signed Approve click by ${APPROVER} → HTTP ${result.statusCode}`);
  } else {
    const opened = await send(click('claim_reject'));
    const view = fake.views.at(-1)?.view;
    console.log(`2. signed Reject click by ${APPROVER} → HTTP ${opened.statusCode}, modal "${String((view?.title as { text?: string })?.text)}" opened`);
    const submitted = await send(
      rejectSubmissionPayload({ userId: APPROVER, teamId: TEAM, privateMetadata: String(view?.private_metadata), reason: rejectReason }),
    );
    console.log(`   view_submission with reason ${JSON.stringify(rejectReason)} → HTTP ${submitted.statusCode}`);
  }

  // 3. What Slack shows and what the store holds.
  const message = fake.message(CHANNEL, claim.slack.ts);
  console.log(`\n3. The same Slack message ${CHANNEL}/${claim.slack.ts} after the decision (${message?.history.length ?? 0} version(s), edited in place, no buttons left):\n`);
  console.log(boxed(renderBlocks(message?.blocks ?? [])));
  const final = await store.getClaim(claim.claimId);
  console.log('\n4. Store:');
  console.log(`   status=${final?.status} version=${final?.version} decidedBy=${final?.decidedBy ?? '-'}${final?.decisionReason ? ` reason=${JSON.stringify(final.decisionReason)}` : ''}`);
  console.log(`   slack=${JSON.stringify(final?.slack)}`);
  console.log('   audit:');
  for (const entry of await store.listAudit(claim.claimId)) {
    console.log(`     ${entry.at}  ${entry.actor.padEnd(11)} ${entry.action}${entry.from ? ` ${entry.from} → ${entry.to}` : entry.to ? ` → ${entry.to}` : ''}${entry.reason ? ` (${entry.reason})` : ''}`);
  }
  console.log(`\nSlack Web API calls: ${fake.calls.map((c) => c.method).join(', ')}`);
} finally {
  await fake.close();
  await local.stop();
}
