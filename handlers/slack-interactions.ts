/**
 * POST /slack/interactions (API Gateway HTTP API). Thin: the work is in src/slack/http.ts and
 * src/slack/interactions.ts; dependencies are built once per cold start by handlers/wiring.ts.
 *
 * Env: TABLE_NAME, SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS, SLACK_SIGNING_SECRET_PARAM, SLACK_BOT_TOKEN_PARAM,
 * optional SLACK_API_URL and DYNAMODB_ENDPOINT (local runs).
 */
import { handleSlackHttp, type HttpApiEvent, type HttpApiResult, type SlackHttpDeps } from '../src/slack/http.ts';
import { lambda, slackInteractionsDeps } from './wiring.ts';

/** The handler over given deps (an object, or a builder run on the first invocation): tests and the Slack demo. */
export function createSlackInteractionsHandler(deps: SlackHttpDeps | (() => SlackHttpDeps | Promise<SlackHttpDeps>)) {
  return lambda('slack-interactions', deps, (event: HttpApiEvent, ready): Promise<HttpApiResult> => handleSlackHttp(event, ready));
}

export const handler = createSlackInteractionsHandler(() => slackInteractionsDeps());
