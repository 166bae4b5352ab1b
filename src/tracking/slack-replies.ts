/**
 * The Slack adapter of `AnswerNotifier`: a thread reply under the claim's approval message (chat.postMessage with
 * thread_ts), through the Web API client of src/slack/api.ts; without a message, a post in the claims channel.
 * What AWS wrote is quoted (Slack-escaped, cut to fit a section's 3000 characters) for a person to decide.
 */
import type { WebClient } from '@slack/web-api';
import type { CaseAnswer, Claim, ClaimStatus } from '../claims/types.ts';
import { countText } from '../format/fleet.ts';
import type { AnswerNotifier } from './ports.ts';

/** Slack's mrkdwn needs &, < and > escaped (https://docs.slack.dev/messaging/formatting-message-text). */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const QUOTE_CHARS = 2400;

export function awsRepliedText(claim: Claim, answer: CaseAnswer, outcome: { status: ClaimStatus | null; reason: string }): string {
  const caseRef = escapeSlack(claim.filing?.displayId || claim.filing?.caseId || 'the case');
  const where = claim.resource ?? (claim.fleet ? `${countText(claim.fleet.resourceCount)} in ${claim.region}` : claim.region);
  const scope = escapeSlack(`${claim.slaClause?.name ?? claim.slaId}, ${where}, account ${claim.account}, ${claim.month}`);
  const head =
    outcome.status === 'credited'
      ? `:white_check_mark: *AWS credited* the claim on case ${caseRef} (${scope}); the bill will confirm the amount.`
      : outcome.status === 'denied'
        ? `:x: *AWS denied* the claim on case ${caseRef} (${scope}).`
        : `:speech_balloon: *AWS replied* on case ${caseRef} (${scope}). ${escapeSlack(outcome.reason)} Decide what to do: answer on the case in AWS Support Center.`;
  const body = answer.body.length > QUOTE_CHARS ? `${answer.body.slice(0, QUOTE_CHARS)}…` : answer.body;
  const quote = escapeSlack(body).split('\n').map((l) => `>${l}`).join('\n');
  return `${head}\n${quote}`;
}

export class SlackAnswerNotifier implements AnswerNotifier {
  constructor(
    /** The Web API client (createWebClient of src/slack/api.ts). */
    private readonly client: WebClient,
    private readonly token: () => Promise<string>,
    /** The claims channel, for a claim without a Slack message. */
    private readonly channel: string,
  ) {}

  async awsReplied(claim: Claim, answer: CaseAnswer, outcome: { status: ClaimStatus | null; reason: string }): Promise<void> {
    const text = awsRepliedText(claim, answer, outcome);
    await this.client.chat.postMessage({
      token: await this.token(),
      channel: claim.slack?.channel ?? this.channel,
      ...(claim.slack?.ts ? { thread_ts: claim.slack.ts } : {}),
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    });
  }
}
