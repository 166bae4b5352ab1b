import { describe, expect, it, vi } from 'vitest';
import { createSlackInteractionsHandler } from '../../handlers/slack-interactions.ts';
import type { ClaimStore } from '../../src/store/claim-store.ts';
import type { SlackApi } from '../../src/slack/api.ts';
import type { SlackHttpDeps } from '../../src/slack/http.ts';
import { signSlackRequest, verifySlackSignature } from '../../src/slack/signature.ts';

// Slack's published example (https://api.slack.com/docs/verifying-requests-from-slack).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TS = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

function untouchable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) => {
      if (prop === 'then') return undefined;
      return () => {
        throw new Error(`${name}.${String(prop)} must not be called for an unverified request`);
      };
    },
  });
}

/** The real handler wiring with a fixed clock; store, Slack and response_url must stay untouched. */
function handlerAt(nowSec: number) {
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const respond = vi.fn(async () => undefined);
  const deps: SlackHttpDeps = {
    config: { teamId: 'T1DC2JH3J', channelId: 'C0CLAIMS', approvers: new Set(['U2CERLKJA']) },
    store: untouchable<ClaimStore>('store'),
    slack: untouchable<SlackApi>('slack'),
    respond,
    signingSecret: async () => SECRET,
    now: () => new Date(nowSec * 1000),
    logger,
  };
  return { handler: createSlackInteractionsHandler(deps), logger, respond };
}

function event(options: { body?: string; headers?: Record<string, string>; base64?: boolean }) {
  const body = options.body ?? BODY;
  return {
    headers: options.headers ?? { 'x-slack-request-timestamp': String(TS), 'x-slack-signature': SIGNATURE },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
    requestContext: { http: { method: 'POST' } },
  };
}

describe('verifySlackSignature (pure)', () => {
  it("reproduces Slack's published example signature", () => {
    expect(signSlackRequest(SECRET, TS, BODY)).toBe(SIGNATURE);
    expect(verifySlackSignature(SECRET, { timestamp: String(TS), signature: SIGNATURE, rawBody: BODY }, TS * 1000)).toEqual({ ok: true });
    expect(verifySlackSignature(SECRET, { timestamp: String(TS), signature: SIGNATURE, rawBody: Buffer.from(BODY) }, TS * 1000)).toEqual({ ok: true });
  });

  it.each([
    ['a changed body byte', { rawBody: BODY.replace('roadrunner', 'roadrunnes') }, TS, 'mismatch'],
    ['a changed signature byte', { signature: SIGNATURE.slice(0, -1) + '4' }, TS, 'mismatch'],
    ['a truncated signature', { signature: SIGNATURE.slice(0, -2) }, TS, 'mismatch'],
    ['the v1= prefix', { signature: SIGNATURE.replace('v0=', 'v1=') }, TS, 'bad_version'],
    ['a timestamp 301 s in the past', {}, TS + 301, 'stale_timestamp'],
    ['a timestamp 301 s in the future', {}, TS - 301, 'stale_timestamp'],
    ['a non-numeric timestamp', { timestamp: '1531420618.5' }, TS, 'bad_timestamp'],
    ['no timestamp', { timestamp: undefined }, TS, 'missing_headers'],
    ['no signature', { signature: undefined }, TS, 'missing_headers'],
  ] as const)('rejects %s', (_name, change, nowSec, reason) => {
    const request = { timestamp: String(TS), signature: SIGNATURE, rawBody: BODY, ...change };
    expect(verifySlackSignature(SECRET, request, nowSec * 1000)).toEqual({ ok: false, reason });
  });

  it('accepts timestamps up to 299 s (and exactly 300 s) away in either direction', () => {
    for (const delta of [-300, -299, 0, 299, 300]) {
      expect(verifySlackSignature(SECRET, { timestamp: String(TS), signature: SIGNATURE, rawBody: BODY }, (TS + delta) * 1000).ok).toBe(true);
    }
  });

  it('refuses to verify with an empty secret', () => {
    expect(() => verifySlackSignature('', { timestamp: String(TS), signature: SIGNATURE, rawBody: BODY }, TS * 1000)).toThrow(/secret/);
  });
});

describe('POST /slack/interactions signature check (through the handler)', () => {
  // The example body is a slash command, not an interaction: once verified, the handler answers 400 "no payload".
  const VERIFIED = { statusCode: 400, body: 'no payload' };

  it('accepts the published example with the clock at its timestamp, plain or base64 (as API Gateway sends forms)', async () => {
    const { handler } = handlerAt(TS);
    expect(await handler(event({}))).toMatchObject(VERIFIED);
    expect(await handler(event({ base64: true }))).toMatchObject(VERIFIED);
  });

  it('accepts ±299 s of clock skew', async () => {
    expect(await handlerAt(TS + 299).handler(event({}))).toMatchObject(VERIFIED);
    expect(await handlerAt(TS - 299).handler(event({}))).toMatchObject(VERIFIED);
  });

  it('finds the headers whatever their case', async () => {
    const headers = { 'X-Slack-Request-Timestamp': String(TS), 'X-Slack-Signature': SIGNATURE };
    expect(await handlerAt(TS).handler(event({ headers }))).toMatchObject(VERIFIED);
  });

  const rejected: [string, number, Parameters<typeof event>[0]][] = [
    ['one changed body byte', TS, { body: BODY.replace('foobar', 'foobas') }],
    ['one changed body byte (base64)', TS, { body: BODY.replace('foobar', 'foobas'), base64: true }],
    ['a clock 301 s after the timestamp', TS + 301, {}],
    ['a clock 301 s before the timestamp', TS - 301, {}],
    ['no headers', TS, { headers: {} }],
    ['no signature header', TS, { headers: { 'x-slack-request-timestamp': String(TS) } }],
    ['no timestamp header', TS, { headers: { 'x-slack-signature': SIGNATURE } }],
    ['a v1= signature', TS, { headers: { 'x-slack-request-timestamp': String(TS), 'x-slack-signature': SIGNATURE.replace('v0=', 'v1=') } }],
    ['an empty signature', TS, { headers: { 'x-slack-request-timestamp': String(TS), 'x-slack-signature': '' } }],
  ];

  it.each(rejected)('answers 401 to %s, touching nothing', async (_name, nowSec, options) => {
    const { handler, respond, logger } = handlerAt(nowSec);
    const result = await handler(event(options));
    expect(result.statusCode).toBe(401);
    expect(respond).not.toHaveBeenCalled();
    // The log names the reason, never the secret, the signature or the body.
    const logged = JSON.stringify(logger.warn.mock.calls);
    expect(logged).toContain('signature');
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(SIGNATURE.slice(3));
    expect(logged).not.toContain('roadrunner');
  });
});
