/**
 * POST /slack/interactions (API Gateway HTTP API). Thin: configuration and adapters are built once per cold start
 * (first invocation); the work is in src/slack/http.ts and src/slack/interactions.ts.
 *
 * Env: TABLE_NAME, SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS, SLACK_SIGNING_SECRET_PARAM, SLACK_BOT_TOKEN_PARAM,
 * optional SLACK_API_URL and DYNAMODB_ENDPOINT (local runs).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoClaimStore } from '../src/store/claim-store.ts';
import { getDefaultDb } from '../src/store/clients.ts';
import { createResponder, webClientSlackApi } from '../src/slack/api.ts';
import { loadSecretParamName, loadSlackConfig } from '../src/slack/config.ts';
import { handleSlackHttp, type HttpApiEvent, type HttpApiResult, type SlackHttpDeps } from '../src/slack/http.ts';
import { SsmSecretSource, type SecretSource } from '../src/slack/secrets.ts';

const logger = new Logger({ serviceName: 'sla-claims' });

/** Production wiring from the environment; throws an error naming the variable when the configuration is invalid. */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env, secrets: SecretSource = new SsmSecretSource()): SlackHttpDeps {
  const config = loadSlackConfig(env);
  const signingSecretParam = loadSecretParamName('SLACK_SIGNING_SECRET_PARAM', env);
  const botTokenParam = loadSecretParamName('SLACK_BOT_TOKEN_PARAM', env);
  return {
    config,
    store: new DynamoClaimStore(getDefaultDb()),
    // Tight timeouts, no retries: Slack wants an answer within 3 seconds; the stream notifier repairs the message later.
    slack: webClientSlackApi({ token: () => secrets.get(botTokenParam), apiUrl: config.apiUrl, timeoutMs: 1500, retries: 0 }),
    respond: createResponder({ ...(config.apiUrl ? { extraOrigin: new URL(config.apiUrl).origin } : {}), timeoutMs: 1500 }),
    signingSecret: () => secrets.get(signingSecretParam),
    refreshSigningSecret: () => secrets.refresh(signingSecretParam),
    now: () => new Date(),
    logger,
  };
}

export function createSlackInteractionsHandler(deps: SlackHttpDeps | (() => SlackHttpDeps)) {
  let resolved: SlackHttpDeps | undefined = typeof deps === 'function' ? undefined : deps;
  return async (event: HttpApiEvent): Promise<HttpApiResult> => {
    if (!resolved) {
      try {
        resolved = (deps as () => SlackHttpDeps)();
      } catch (error) {
        logger.error('slack-interactions is misconfigured', { error: (error as Error).message });
        throw error;
      }
    }
    return await handleSlackHttp(event, resolved);
  };
}

export const handler = createSlackInteractionsHandler(() => depsFromEnv());
