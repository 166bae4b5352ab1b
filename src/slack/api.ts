/**
 * The small part of Slack the use cases need (a port), its `@slack/web-api` adapter, and `response_url` replies.
 * The bot token is resolved per call (it comes from SSM and may rotate), so one WebClient serves every call.
 */
import { WebClient, type KnownBlock, type ModalView } from '@slack/web-api';
import type { SlackRef } from '../claims/types.ts';

export interface SlackMessageContent {
  text: string;
  blocks: KnownBlock[];
}

/**
 * What a claim message carries in its (invisible) message metadata, so the post can be found again
 * (https://docs.slack.dev/messaging/message-metadata). `postId` is the `SlackPostIntent` id it was posted under.
 */
export interface PostMarker {
  claimId: string;
  postId: string;
}

export const POST_EVENT_TYPE = 'sla_claim_posted';

export interface SlackApi {
  /** chat.postMessage (with the marker as message metadata); returns where the message lives. */
  postMessage(channel: string, content: SlackMessageContent, marker?: PostMarker): Promise<SlackRef>;
  /**
   * The message posted to `channel` since `since` whose metadata is `marker`, or null: conversations.history with
   * include_all_metadata (scope channels:history, or groups:history for a private channel).
   */
  findPostedMessage(channel: string, marker: PostMarker, since: Date): Promise<SlackRef | null>;
  /** chat.update of a message this bot posted. */
  updateMessage(ref: Pick<SlackRef, 'channel' | 'ts'>, content: SlackMessageContent): Promise<void>;
  /** views.open with a trigger_id from an interaction (valid for 3 seconds). */
  openView(triggerId: string, view: ModalView): Promise<void>;
}

export interface WebClientSlackApiOptions {
  /** Resolves the bot token (from SSM, cached). */
  token: () => Promise<string>;
  /** Slack Web API base URL (a fake server in tests); Slack's own by default. */
  apiUrl?: string;
  /** Per-request timeout; keep it short in the interactions handler (3-second budget). */
  timeoutMs?: number;
  /** Retries of failed requests (default 2; the stream handler is redelivered anyway). */
  retries?: number;
}

export function createWebClient(options: Pick<WebClientSlackApiOptions, 'apiUrl' | 'timeoutMs' | 'retries'>): WebClient {
  return new WebClient(undefined, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    timeout: options.timeoutMs ?? 5000,
    retryConfig: { retries: options.retries ?? 2, minTimeout: 100, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    // Never log request bodies or headers (tokens).
    logger: silentLogger(),
  });
}

export function webClientSlackApi(options: WebClientSlackApiOptions, client: WebClient = createWebClient(options)): SlackApi {
  return {
    async postMessage(channel, content, marker) {
      const result = await client.chat.postMessage({
        token: await options.token(),
        channel,
        text: content.text,
        blocks: content.blocks,
        ...(marker ? { metadata: { event_type: POST_EVENT_TYPE, event_payload: { claim_id: marker.claimId, post_id: marker.postId } } } : {}),
      });
      if (!result.ts || !result.channel) throw new Error('chat.postMessage returned no channel/ts');
      return { channel: result.channel, ts: result.ts };
    },
    async findPostedMessage(channel, marker, since) {
      const token = await options.token();
      let cursor: string | undefined;
      // Newest first; a handful of pages covers the minutes a post can stay unrecorded.
      for (let page = 0; page < FIND_MAX_PAGES; page++) {
        const result = await client.conversations.history({
          token,
          channel,
          oldest: (since.getTime() / 1000).toFixed(6),
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
        for (const message of result.messages ?? []) {
          const metadata = message.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
          const payload = metadata?.event_payload;
          if (metadata?.event_type === POST_EVENT_TYPE && payload?.claim_id === marker.claimId && payload.post_id === marker.postId && message.ts) {
            return { channel, ts: message.ts };
          }
        }
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!result.has_more || !cursor) return null;
      }
      return null;
    },
    async updateMessage(ref, content) {
      await client.chat.update({ token: await options.token(), channel: ref.channel, ts: ref.ts, text: content.text, blocks: content.blocks });
    },
    async openView(triggerId, view) {
      await client.views.open({ token: await options.token(), trigger_id: triggerId, view });
    },
  };
}

const FIND_MAX_PAGES = 5;

function silentLogger() {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error' as never, setName: noop };
}

/** A reply through an interaction's `response_url` (ephemeral notes to one clicker, or replacing the message). */
export type ResponseUrlBody =
  | { response_type: 'ephemeral'; replace_original: false; text: string }
  | { replace_original: true; text: string; blocks: KnownBlock[] };

export type RespondFn = (responseUrl: string, body: ResponseUrlBody) => Promise<void>;

/**
 * POSTs JSON to a `response_url`, only if it points at Slack (or at `extraOrigin`, the fake Slack of tests/demos),
 * so a forged URL cannot make the function call elsewhere.
 */
export function createResponder(options: { extraOrigin?: string; timeoutMs?: number } = {}): RespondFn {
  return async (responseUrl, body) => {
    let url: URL;
    try {
      url = new URL(responseUrl);
    } catch {
      throw new Error('response_url is not a URL');
    }
    const allowed = (url.protocol === 'https:' && url.hostname === 'hooks.slack.com') || (options.extraOrigin !== undefined && url.origin === options.extraOrigin);
    if (!allowed) throw new Error(`response_url host ${url.host} is not Slack's`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
    });
    if (!response.ok) throw new Error(`response_url answered HTTP ${response.status}`);
  };
}
