/**
 * A fake Slack Web API on 127.0.0.1 (random port) for tests and the local demo. It records every call, keeps the
 * posted messages so that chat.update edits them in place, records views.open, and serves `response_url`s
 * (`/response/...`): `replace_original` edits the message, ephemeral replies are recorded. Messages keep their
 * message metadata (`metadata` of chat.postMessage), and conversations.history lists them newest first, with the
 * metadata only when `include_all_metadata` is set, paginated by `cursor`, refused with `missing_scope` when the
 * fake's token lacks `channels:history`.
 * Like Slack, it answers HTTP 200 with `{ ok: false, error }` for API errors, checks the bot token, and enforces a
 * few Block Kit limits (≤ 50 blocks, section text ≤ 3000 characters).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** The message metadata it was posted with (`{ event_type, event_payload }`), if any. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Every version of the message, oldest first (the first is the post). */
  history: { text: string; blocks: unknown[] }[];
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
}

export interface ResponseUrlPost {
  channel: string;
  ts: string;
  body: Record<string, unknown>;
}

export interface FakeSlack {
  /** Base URL for `@slack/web-api`'s `slackApiUrl` (ends with `/api/`). */
  apiUrl: string;
  origin: string;
  calls: RecordedCall[];
  messages: Map<string, FakeMessage>;
  views: { trigger_id: string; view: Record<string, unknown> }[];
  responses: ResponseUrlPost[];
  /** A `response_url` as Slack would send with a click on that message. */
  responseUrl(channel: string, ts: string): string;
  message(channel: string, ts: string): FakeMessage | undefined;
  callsOf(method: string): RecordedCall[];
  /** Makes the next call of `method` answer `{ ok: false, error }`. */
  failNext(method: string, error: string): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // @slack/web-api sends objects and arrays as JSON strings inside the form.
    args[key] = (key === 'blocks' || key === 'view' || key === 'attachments' || key === 'metadata') && value ? JSON.parse(value) : value;
  }
  return args;
}

function blocksProblem(blocks: unknown): string | null {
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks';
  for (const block of blocks as { type?: string; text?: { text?: string }; fields?: { text?: string }[] }[]) {
    if (block.type === 'section' && (block.text?.text?.length ?? 0) > 3000) return 'invalid_blocks';
    if (block.type === 'section' && (block.fields?.length ?? 0) > 10) return 'invalid_blocks';
  }
  return null;
}

function metadataProblem(metadata: unknown): string | null {
  if (metadata === undefined) return null;
  const m = metadata as { event_type?: unknown; event_payload?: unknown } | null;
  if (!m || typeof m.event_type !== 'string' || !m.event_payload || typeof m.event_payload !== 'object') return 'invalid_metadata_format';
  return null;
}

export async function startFakeSlack(options: { token?: string; scopes?: readonly string[] } = {}): Promise<FakeSlack> {
  const expectedToken = options.token ?? 'xoxb-test-token';
  const scopes = new Set(options.scopes ?? ['chat:write', 'channels:history']);
  const calls: RecordedCall[] = [];
  const messages = new Map<string, FakeMessage>();
  const views: FakeSlack['views'] = [];
  const responses: ResponseUrlPost[] = [];
  const failures = new Map<string, string>();
  let counter = 0;
  const key = (channel: string, ts: string) => `${channel}/${ts}`;

  const api = (method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> => {
    calls.push({ method, args, token });
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      return { ok: false, error: failure };
    }
    if (token !== expectedToken) return { ok: false, error: 'invalid_auth' };
    const problem = blocksProblem(args.blocks);
    if (problem) return { ok: false, error: problem };
    switch (method) {
      case 'chat.postMessage': {
        const channel = String(args.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        counter += 1;
        // Like Slack's: the posting time in seconds (so conversations.history's `oldest` works), unique per message.
        const ts = `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, '0')}`;
        const metaProblem = metadataProblem(args.metadata);
        if (metaProblem) return { ok: false, error: metaProblem };
        const message: FakeMessage = {
          channel,
          ts,
          text: String(args.text ?? ''),
          blocks: (args.blocks as unknown[]) ?? [],
          ...(args.metadata ? { metadata: args.metadata as FakeMessage['metadata'] } : {}),
          history: [],
        };
        message.history.push({ text: message.text, blocks: message.blocks });
        messages.set(key(channel, ts), message);
        return { ok: true, channel, ts, message: { text: message.text, ts } };
      }
      case 'chat.update': {
        const message = messages.get(key(String(args.channel), String(args.ts)));
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = String(args.text ?? message.text);
        message.blocks = (args.blocks as unknown[]) ?? message.blocks;
        message.history.push({ text: message.text, blocks: message.blocks });
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'conversations.history': {
        if (!scopes.has('channels:history')) {
          return { ok: false, error: 'missing_scope', needed: 'channels:history', provided: [...scopes].join(',') };
        }
        const channel = String(args.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const oldest = Number(args.oldest ?? 0);
        const latest = args.latest === undefined ? Infinity : Number(args.latest);
        const limit = Math.min(Math.max(Number(args.limit ?? 100), 1), 999);
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const inRange = [...messages.values()]
          .filter((m) => m.channel === channel && Number(m.ts) > oldest && Number(m.ts) < latest)
          .sort((a, b) => Number(b.ts) - Number(a.ts));
        const start = args.cursor ? Number(Buffer.from(String(args.cursor), 'base64').toString('utf8').replace('next_ts:', '')) : 0;
        const page = inRange.slice(start, start + limit);
        const more = start + limit < inRange.length;
        return {
          ok: true,
          messages: page.map((m) => ({
            type: 'message',
            subtype: 'bot_message',
            bot_id: 'B0FAKE',
            text: m.text,
            ts: m.ts,
            blocks: m.blocks,
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          })),
          has_more: more,
          pin_count: 0,
          ...(more ? { response_metadata: { next_cursor: Buffer.from(`next_ts:${start + limit}`).toString('base64') } } : {}),
        };
      }
      case 'views.open': {
        const view = args.view as Record<string, unknown> | undefined;
        if (!args.trigger_id || !view) return { ok: false, error: 'invalid_arguments' };
        views.push({ trigger_id: String(args.trigger_id), view });
        return { ok: true, view: { ...view, id: `V${views.length}` } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST') return send(405, { ok: false, error: 'method_not_allowed' });
      if (url.pathname.startsWith('/api/')) {
        const auth = req.headers.authorization;
        const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
        return send(200, api(url.pathname.slice(5), parseArgs(raw, req.headers['content-type']), token));
      }
      const match = /^\/response\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (match) {
        const channel = decodeURIComponent(match[1] ?? '');
        const ts = decodeURIComponent(match[2] ?? '');
        const body = JSON.parse(raw || '{}') as Record<string, unknown>;
        responses.push({ channel, ts, body });
        if (body.replace_original === true) {
          const message = messages.get(key(channel, ts));
          if (!message) return send(404, { ok: false, error: 'message_not_found' });
          message.text = String(body.text ?? message.text);
          message.blocks = (body.blocks as unknown[]) ?? message.blocks;
          message.history.push({ text: message.text, blocks: message.blocks });
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('ok');
      }
      return send(404, { ok: false, error: 'not_found' });
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${origin}/api/`,
    origin,
    calls,
    messages,
    views,
    responses,
    responseUrl: (channel, ts) => `${origin}/response/${encodeURIComponent(channel)}/${encodeURIComponent(ts)}`,
    message: (channel, ts) => messages.get(key(channel, ts)),
    callsOf: (method) => calls.filter((c) => c.method === method),
    failNext: (method, error) => void failures.set(method, error),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** All the text of a message's blocks (mrkdwn and plain), for assertions. */
export function messageText(blocks: unknown[]): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.text === 'string') out.push(record.text);
      for (const [k, v] of Object.entries(record)) if (k !== 'text' || typeof v !== 'string') walk(v);
    }
  };
  walk(blocks);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// What Slack sends to the interactivity URL: payload builders and signed API Gateway HTTP API (v2) events.

export interface ClickOptions {
  claimId: string;
  version: number;
  action: 'claim_approve' | 'claim_reject' | 'claim_case_text' | 'claim_mark_filed';
  userId: string;
  teamId: string;
  channelId: string;
  messageTs: string;
  responseUrl: string;
  triggerId?: string;
}

/** A `block_actions` payload for a button click (the fields Slack documents and this app reads). */
export function clickPayload(o: ClickOptions): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: o.userId, username: o.userId.toLowerCase(), team_id: o.teamId },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channelId, is_ephemeral: false },
    trigger_id: o.triggerId ?? `${Date.now()}.1234.abcdef`,
    team: { id: o.teamId, domain: 'example' },
    channel: { id: o.channelId, name: 'sla-claims' },
    response_url: o.responseUrl,
    actions: [
      {
        action_id: o.action,
        block_id: `claim-actions-v${o.version}`,
        type: 'button',
        value: JSON.stringify({ claimId: o.claimId, version: o.version }),
        action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
      },
    ],
  };
}

/** A `view_submission` payload for the rejection modal. */
export function rejectSubmissionPayload(o: { userId: string; teamId: string; privateMetadata: string; reason: string }): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: o.teamId, domain: 'example' },
    user: { id: o.userId, username: o.userId.toLowerCase(), team_id: o.teamId },
    api_app_id: 'A0TEST',
    trigger_id: `${Date.now()}.5678.fedcba`,
    view: {
      id: 'V1',
      type: 'modal',
      callback_id: 'claim_reject_reason',
      private_metadata: o.privateMetadata,
      state: { values: { reject_reason: { reason: { type: 'plain_text_input', value: o.reason } } } },
    },
    response_urls: [],
  };
}

/** A `view_submission` payload for the "Mark as filed" modal. */
export function markFiledSubmissionPayload(o: { userId: string; teamId: string; privateMetadata: string; caseId: string }): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: o.teamId, domain: 'example' },
    user: { id: o.userId, username: o.userId.toLowerCase(), team_id: o.teamId },
    api_app_id: 'A0TEST',
    trigger_id: `${Date.now()}.5679.fedcba`,
    view: {
      id: 'V2',
      type: 'modal',
      callback_id: 'claim_mark_filed_case',
      private_metadata: o.privateMetadata,
      state: { values: { case_ref: { case_id: { type: 'plain_text_input', value: o.caseId } } } },
    },
    response_urls: [],
  };
}

/** The form body Slack posts: `payload=<url-encoded JSON>`. */
export function formBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SignedEventOptions {
  secret: string;
  timestampSec: number;
  /** API Gateway HTTP APIs base64-encode form posts (default true). */
  base64?: boolean;
}

/** An API Gateway HTTP API (v2) event carrying a signed Slack request, as API Gateway would deliver it. */
export function signedEvent(rawBody: string, o: SignedEventOptions): {
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  requestContext: { http: { method: string } };
} {
  const signature = `v0=${createHmac('sha256', o.secret).update(`v0:${o.timestampSec}:${rawBody}`).digest('hex')}`;
  const base64 = o.base64 ?? true;
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(o.timestampSec),
      'x-slack-signature': signature,
    },
    body: base64 ? Buffer.from(rawBody, 'utf8').toString('base64') : rawBody,
    isBase64Encoded: base64,
    requestContext: { http: { method: 'POST' } },
  };
}
