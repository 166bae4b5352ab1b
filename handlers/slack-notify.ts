/**
 * DynamoDB stream (NEW_IMAGE, filtered to claim items) → Slack claim messages. Thin: see src/slack/notify.ts.
 * Reports batch item failures, so one failing record is retried without failing the others.
 *
 * Env: TABLE_NAME, SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS, SLACK_BOT_TOKEN_PARAM, optional SLACK_API_URL
 * and DYNAMODB_ENDPOINT (local runs).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoClaimStore } from '../src/store/claim-store.ts';
import { getDefaultDb } from '../src/store/clients.ts';
import { webClientSlackApi } from '../src/slack/api.ts';
import { loadSecretParamName, loadSlackConfig } from '../src/slack/config.ts';
import { notifyClaim, type NotifyDeps } from '../src/slack/notify.ts';
import { SsmSecretSource, type SecretSource } from '../src/slack/secrets.ts';
import { processClaimStream, type BatchResponse, type StreamEvent } from '../src/slack/stream.ts';

const logger = new Logger({ serviceName: 'sla-claims' });

export function notifyDepsFromEnv(env: NodeJS.ProcessEnv = process.env, secrets: SecretSource = new SsmSecretSource()): NotifyDeps {
  const config = loadSlackConfig(env);
  const botTokenParam = loadSecretParamName('SLACK_BOT_TOKEN_PARAM', env);
  return {
    config,
    store: new DynamoClaimStore(getDefaultDb()),
    slack: webClientSlackApi({ token: () => secrets.get(botTokenParam), apiUrl: config.apiUrl, timeoutMs: 5000, retries: 2 }),
    now: () => new Date(),
    logger,
  };
}

export function createSlackNotifyHandler(deps: NotifyDeps | (() => NotifyDeps)) {
  let resolved: NotifyDeps | undefined = typeof deps === 'function' ? undefined : deps;
  return async (event: StreamEvent): Promise<BatchResponse> => {
    if (!resolved) {
      try {
        resolved = (deps as () => NotifyDeps)();
      } catch (error) {
        logger.error('slack-notify is misconfigured', { error: (error as Error).message });
        throw error;
      }
    }
    const ready = resolved;
    return await processClaimStream(event, (claim) => notifyClaim(claim, ready), logger);
  };
}

export const handler = createSlackNotifyHandler(() => notifyDepsFromEnv());
