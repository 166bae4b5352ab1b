/**
 * DynamoDB stream (NEW_IMAGE, filtered to claim items) → Slack claim messages. Thin: see src/slack/notify.ts.
 * Reports batch item failures, so one failing record is retried without failing the others. Dependencies:
 * handlers/wiring.ts.
 *
 * Env: TABLE_NAME, SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS, SLACK_BOT_TOKEN_PARAM, optional SLACK_API_URL
 * and DYNAMODB_ENDPOINT (local runs).
 */
import { notifyClaim, type NotifyDeps } from '../src/slack/notify.ts';
import { processClaimStream, type BatchResponse, type StreamEvent } from '../src/slack/stream.ts';
import { lambda, log, slackNotifyDeps } from './wiring.ts';

/** The handler over given deps (an object, or a builder run on the first invocation). */
export function createSlackNotifyHandler(deps: NotifyDeps | (() => NotifyDeps | Promise<NotifyDeps>)) {
  return lambda('slack-notify', deps, (event: StreamEvent, ready): Promise<BatchResponse> =>
    processClaimStream(event, (claim) => notifyClaim(claim, ready), log),
  );
}

export const handler = createSlackNotifyHandler(() => slackNotifyDeps());
