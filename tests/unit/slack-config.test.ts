import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSlackNotifyHandler } from '../../handlers/slack-notify.ts';
import { createSlackInteractionsHandler } from '../../handlers/slack-interactions.ts';
import { slackInteractionsDeps as depsFromEnv, slackNotifyDeps as notifyDepsFromEnv } from '../../handlers/wiring.ts';
import { createResponder } from '../../src/slack/api.ts';
import { SlackConfigError, loadSecretParamName, loadSlackConfig } from '../../src/slack/config.ts';
import { handleSlackHttp, type SlackHttpDeps } from '../../src/slack/http.ts';
import { silentLogger } from '../../src/slack/log.ts';
import { MIN_REFRESH_MS, SECRET_TTL_MS, SsmSecretSource, SecretUnavailableError } from '../../src/slack/secrets.ts';
import { formBody, signedEvent } from '../helpers/fake-slack.ts';

/** One mock of the SSM client for the file (a second mockClient of the same class would replace the first). */
const ssm = mockClient(SSMClient);

const ENV = {
  SLACK_TEAM_ID: 'T0TEAM',
  SLACK_CHANNEL_ID: 'C0CLAIMS',
  SLACK_APPROVERS: 'U0ALICE, U0BOB',
  SLACK_SIGNING_SECRET_PARAM: '/sla-claims/slack/signing-secret',
  SLACK_BOT_TOKEN_PARAM: '/sla-claims/slack/bot-token',
};

describe('Slack configuration from the environment', () => {
  it('reads ids, the approver list and the optional API URL', () => {
    expect(loadSlackConfig({ ...ENV, SLACK_API_URL: 'http://127.0.0.1:9999/api/' })).toEqual({
      teamId: 'T0TEAM',
      channelId: 'C0CLAIMS',
      approvers: new Set(['U0ALICE', 'U0BOB']),
      apiUrl: 'http://127.0.0.1:9999/api/',
    });
    expect(loadSlackConfig(ENV).apiUrl).toBeUndefined();
    expect(loadSecretParamName('SLACK_BOT_TOKEN_PARAM', ENV)).toBe('/sla-claims/slack/bot-token');
  });

  it.each([
    ['SLACK_TEAM_ID', undefined, /SLACK_TEAM_ID is required but not set/],
    ['SLACK_TEAM_ID', 'my-team', /SLACK_TEAM_ID: expected a Slack team id/],
    ['SLACK_CHANNEL_ID', '#sla-claims', /SLACK_CHANNEL_ID: expected a Slack channel id .*"#sla-claims"/],
    ['SLACK_APPROVERS', ' , ', /SLACK_APPROVERS: expected at least one Slack user id/],
    ['SLACK_APPROVERS', 'U0ALICE,alice@example.com', /SLACK_APPROVERS: expected Slack user ids/],
    ['SLACK_API_URL', 'file:///etc/passwd', /SLACK_API_URL: expected an http\(s\) URL/],
  ])('names %s when it is %j', (name, value, message) => {
    expect(() => loadSlackConfig({ ...ENV, [name]: value })).toThrow(SlackConfigError);
    expect(() => loadSlackConfig({ ...ENV, [name]: value })).toThrow(message);
  });

  it('names a missing parameter-name variable', () => {
    expect(() => loadSecretParamName('SLACK_SIGNING_SECRET_PARAM', {})).toThrow(/SLACK_SIGNING_SECRET_PARAM is required but not set/);
  });

  it('fails the handlers at cold start with the variable named', async () => {
    const interactions = createSlackInteractionsHandler(() => depsFromEnv({ ...ENV, SLACK_CHANNEL_ID: undefined }));
    await expect(interactions({ body: '' })).rejects.toThrow(/SLACK_CHANNEL_ID is required/);
    const notify = createSlackNotifyHandler(() => notifyDepsFromEnv({ ...ENV, SLACK_BOT_TOKEN_PARAM: '' }));
    await expect(notify({ Records: [] })).rejects.toThrow(/SLACK_BOT_TOKEN_PARAM is required/);
  });
});

describe('SsmSecretSource', () => {
  afterEach(() => ssm.reset());

  function source(clock: { now: number }) {
    return new SsmSecretSource(new SSMClient({ region: 'us-east-1' }), { now: () => clock.now });
  }

  it('reads SecureStrings with decryption and caches them for 5 minutes', async () => {
    ssm.on(GetParameterCommand, { Name: '/p/token' }).resolves({ Parameter: { Name: '/p/token', Type: 'SecureString', Value: 'xoxb-1' } });
    const clock = { now: 1_000_000 };
    const secrets = source(clock);
    expect(await secrets.get('/p/token')).toBe('xoxb-1');
    clock.now += SECRET_TTL_MS - 1;
    expect(await Promise.all([secrets.get('/p/token'), secrets.get('/p/token')])).toEqual(['xoxb-1', 'xoxb-1']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: '/p/token', WithDecryption: true });

    ssm.on(GetParameterCommand, { Name: '/p/token' }).resolves({ Parameter: { Name: '/p/token', Type: 'SecureString', Value: 'xoxb-2' } });
    clock.now += 2;
    expect(await secrets.get('/p/token')).toBe('xoxb-2');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('shares one request between concurrent callers', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Type: 'SecureString', Value: 's3cr3t' } });
    const secrets = source({ now: 0 });
    await Promise.all(Array.from({ length: 10 }, () => secrets.get('/p/secret')));
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('does not cache failures, and names the parameter but not the value', async () => {
    ssm.on(GetParameterCommand).rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })).resolves({
      Parameter: { Type: 'SecureString', Value: 'later' },
    });
    const secrets = source({ now: 0 });
    await expect(secrets.get('/p/secret')).rejects.toThrow(/SSM parameter \/p\/secret could not be read: AccessDeniedException/);
    expect(await secrets.get('/p/secret')).toBe('later');
  });

  it('refuses plain String parameters and empty values', async () => {
    ssm.on(GetParameterCommand, { Name: '/p/plain' }).resolves({ Parameter: { Type: 'String', Value: 'visible-secret' } });
    ssm.on(GetParameterCommand, { Name: '/p/empty' }).resolves({ Parameter: { Type: 'SecureString', Value: '' } });
    const secrets = source({ now: 0 });
    const error = await secrets.get('/p/plain').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(String(error)).toMatch(/must be a SecureString/);
    expect(String(error)).not.toContain('visible-secret');
    await expect(secrets.get('/p/empty')).rejects.toThrow(/has no value/);
  });
});

describe('signing-secret rotation', () => {
  afterEach(() => {
    ssm.reset();
    vi.unstubAllEnvs();
  });
  const PARAM = ENV.SLACK_SIGNING_SECRET_PARAM;
  const holds = (value: string) =>
    ssm.on(GetParameterCommand, { Name: PARAM }).resolves({ Parameter: { Name: PARAM, Type: 'SecureString', Value: value } });
  const reads = () => ssm.commandCalls(GetParameterCommand).length;

  /** The interactions endpoint as the handler wires it (the SSM source's get and refresh), at a settable clock. */
  function endpoint(clock: { now: number }) {
    vi.stubEnv('TABLE_NAME', 'unused-by-these-requests');
    const secrets = new SsmSecretSource(new SSMClient({ region: 'us-east-1' }), { now: () => clock.now });
    // The wiring's builder is async (it imports the Slack modules on first use); the SSM source is shared.
    const deps = depsFromEnv(ENV, secrets).then((d): SlackHttpDeps => ({ ...d, now: () => new Date(clock.now), logger: silentLogger }));
    // A signed interaction this app ignores (no store or Slack call): 200 when the signature verifies, else 401.
    return async (secret: string) =>
      (await handleSlackHttp(signedEvent(formBody({ type: 'shortcut' }), { secret, timestampSec: Math.floor(clock.now / 1000) }), await deps)).statusCode;
  }

  it('accepts the new secret at once after a rotation, and refuses the old one from then on', async () => {
    const clock = { now: 1_800_000_000_000 };
    const send = endpoint(clock);
    holds('old-secret');
    expect(await send('old-secret')).toBe(200);
    expect(reads()).toBe(1);

    holds('new-secret'); // rotated in SSM; the instance still caches the old value for 5 minutes
    clock.now += MIN_REFRESH_MS + 1_000;
    expect(await send('new-secret')).toBe(200);
    expect(reads()).toBe(2);
    expect(await send('old-secret')).toBe(401);
    expect(await send('new-secret')).toBe(200);
    expect(reads()).toBe(2);
  });

  it('re-reads at most once per 30 s, however many bad signatures arrive', async () => {
    const clock = { now: 1_800_000_000_000 };
    const send = endpoint(clock);
    holds('the-secret');
    expect(await send('the-secret')).toBe(200);
    clock.now += MIN_REFRESH_MS; // the cached value is now old enough to be re-read once
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      statuses.push(await send(`forged-${i}`));
      clock.now += 100; // 200 requests over 20 s
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(reads()).toBe(2);
    clock.now += MIN_REFRESH_MS;
    expect(await Promise.all(Array.from({ length: 50 }, (_, i) => send(`forged-again-${i}`)))).toEqual(Array(50).fill(401));
    expect(reads()).toBe(3);
    expect(await send('the-secret')).toBe(200);
    expect(reads()).toBe(3);
  });

  it('refuses (401) rather than fails when SSM cannot be read again', async () => {
    const clock = { now: 1_800_000_000_000 };
    const send = endpoint(clock);
    holds('the-secret');
    expect(await send('the-secret')).toBe(200);
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    clock.now += MIN_REFRESH_MS + 1;
    expect(await send('another-secret')).toBe(401);
    expect(await send('the-secret')).toBe(200);
  });
});

describe('response_url replies', () => {
  it("refuse URLs that are not Slack's (or the configured fake)", async () => {
    const respond = createResponder({ extraOrigin: 'http://127.0.0.1:1' });
    const body = { response_type: 'ephemeral', replace_original: false, text: 'x' } as const;
    await expect(respond('https://evil.example.com/hooks', body)).rejects.toThrow(/not Slack's/);
    await expect(respond('http://hooks.slack.com/actions/1', body)).rejects.toThrow(/not Slack's/);
    await expect(respond('not a url', body)).rejects.toThrow(/not a URL/);
  });
});
