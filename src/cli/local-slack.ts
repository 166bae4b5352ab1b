/**
 * `process --notify-slack`: the local stand-in for the DynamoDB stream → slackNotify path. Posts each claim with
 * `notifyClaim`, configured from SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS, SLACK_BOT_TOKEN (local runs only;
 * in AWS the token is in SSM) and optionally SLACK_API_URL (a fake Slack Web API). The settings are checked before
 * anything is processed, so a missing variable costs nothing.
 */
import type { Claim } from '../claims/types.ts';
import { webClientSlackApi } from '../slack/api.ts';
import { loadSlackConfig, SlackConfigError, type SlackConfig } from '../slack/config.ts';
import { notifyClaim, type NotifyResult } from '../slack/notify.ts';
import { DynamoClaimStore } from '../store/claim-store.ts';
import type { LocalDynamoDb } from '../store/local-dynamodb.ts';
import { UsageError } from './args.ts';

export interface LocalSlack {
  config: SlackConfig;
  token: string;
}

export function loadLocalSlack(env: NodeJS.ProcessEnv = process.env): LocalSlack {
  let config: SlackConfig;
  try {
    config = loadSlackConfig(env);
  } catch (error) {
    if (error instanceof SlackConfigError) throw new UsageError(`--notify-slack: ${error.message}`);
    throw error;
  }
  const token = env.SLACK_BOT_TOKEN;
  if (!token) throw new UsageError('--notify-slack: SLACK_BOT_TOKEN must hold the bot token (xoxb-…) for local runs');
  return { config, token };
}

/** Posts (or updates) each claim's message; returns the claims as they are afterwards. */
export async function notifyClaims(
  local: LocalDynamoDb,
  claims: readonly Claim[],
  { config, token }: LocalSlack,
  now: () => Date = () => new Date(),
): Promise<{ claims: Claim[]; results: NotifyResult[] }> {
  const store = new DynamoClaimStore(local.db);
  const slack = webClientSlackApi({ token: async () => token, ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}) });
  const results: NotifyResult[] = [];
  const after: Claim[] = [];
  for (const claim of claims) {
    results.push(await notifyClaim(claim, { store, slack, config, now }));
    after.push((await store.getClaim(claim.claimId)) ?? claim);
  }
  return { claims: after, results };
}
