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

export interface SlackApi {
  /** chat.postMessage; returns where the message lives. */
  postMessage(channel: string, content: SlackMessageContent): Promise<SlackRef>;
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
    async postMessage(channel, content) {
      const result = await client.chat.postMessage({ token: await options.token(), channel, text: content.text, blocks: content.blocks });
      if (!result.ts || !result.channel) throw new Error('chat.postMessage returned no channel/ts');
      return { channel: result.channel, ts: result.ts };
    },
    async updateMessage(ref, content) {
      await client.chat.update({ token: await options.token(), channel: ref.channel, ts: ref.ts, text: content.text, blocks: content.blocks });
    },
    async openView(triggerId, view) {
      await client.views.open({ token: await options.token(), trigger_id: triggerId, view });
    },
  };
}

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
