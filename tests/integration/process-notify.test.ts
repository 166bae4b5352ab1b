/** `sla-claims process --notify-slack`: the local pipeline posts claimable drafts through notifyClaim (fake Slack). */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadContract } from '../../src/contract/contract.ts';
import { loadLocalSlack, notifyClaims } from '../../src/cli/local-slack.ts';
import { runProcess } from '../../src/cli/process-run.ts';
import { UsageError } from '../../src/cli/args.ts';
import { CsvSpendSource } from '../../src/spend/spend.ts';
import type { LocalDynamoDb } from '../../src/store/local-dynamodb.ts';
import { freshDb } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

let local: LocalDynamoDb;
let fake: FakeSlack;

beforeAll(async () => {
  const db = await freshDb('process');
  local = { db, endpoint: inject('dynamoEndpoint'), port: 0, stop: async () => db.client.destroy() };
  fake = await startFakeSlack({ token: 'xoxb-local' });
});
afterAll(async () => {
  await fake.close();
  await local.stop();
});

describe('process → Slack, locally', () => {
  it('posts every claimable claim and every charges-unknown claim once, moves them to pending approval, skips the rest', async () => {
    const report = await runProcess(local, {
      inputs: ['events/demo'],
      contract: loadContract('config/contract.example.yml'),
      spend: CsvSpendSource.fromFile('config/spend.example.csv'),
      nowMs: Date.parse('2025-10-22T00:00:00Z'),
    });
    const env = { SLACK_TEAM_ID: 'T0LOCAL', SLACK_CHANNEL_ID: 'C0CLAIMS', SLACK_APPROVERS: 'U0ALICE', SLACK_BOT_TOKEN: 'xoxb-local', SLACK_API_URL: fake.apiUrl };
    const now = () => new Date('2025-10-22T00:00:00Z');
    const first = await notifyClaims(local, report.claims, loadLocalSlack(env), now);
    // Claimable, or owed with charges to confirm (the Lambda claim of 210987654321 has no spend row).
    const claimable = report.claims.filter((c) => c.claimable || (c.creditCents === null && c.creditPercent > 0 && c.deadline >= '2025-10-22'));
    expect(claimable.length).toBe(7);
    expect(first.results.filter((r) => r.action === 'posted')).toHaveLength(claimable.length);
    expect(first.claims.filter((c) => c.status === 'pending_approval').map((c) => c.claimId).sort()).toEqual(claimable.map((c) => c.claimId).sort());
    expect(fake.callsOf('chat.postMessage')).toHaveLength(claimable.length);
    // Running it again posts nothing new.
    await notifyClaims(local, first.claims, loadLocalSlack(env), now);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(claimable.length);
  });

  it('refuses to run without the Slack settings, naming the variable', async () => {
    // The settings are read before anything is processed (loadLocalSlack), no longer inside notifyClaims.
    expect(() => loadLocalSlack({ SLACK_TEAM_ID: 'T0LOCAL', SLACK_CHANNEL_ID: 'C0CLAIMS', SLACK_APPROVERS: 'U0ALICE' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => loadLocalSlack({ SLACK_BOT_TOKEN: 'x' })).toThrow(UsageError);
  });
});
