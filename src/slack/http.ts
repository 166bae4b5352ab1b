/**
 * The HTTP side of `POST /slack/interactions` (API Gateway HTTP API, payload format 2.0): verify Slack's signature
 * over the raw body before anything else (undoing API Gateway's base64 first), then parse the form-encoded
 * `payload` and hand it to the use case. Nothing secret is logged: not the body, not the headers.
 */
import { handleInteraction, type InteractionDeps } from './interactions.ts';
import { verifySlackSignature, type SignatureCheck } from './signature.ts';

/** The fields of an API Gateway HTTP API (v2) event this handler reads. */
export interface HttpApiEvent {
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

export interface HttpApiResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SlackHttpDeps extends InteractionDeps {
  /** The signing secret (from SSM, cached). */
  signingSecret: () => Promise<string>;
  /**
   * The signing secret read again (rate-limited by the source): called once when a signature does not verify, so a
   * secret rotated in SSM is accepted at once rather than after the cache expires.
   */
  refreshSigningSecret?: () => Promise<string>;
}

function header(headers: HttpApiEvent['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

const text = (statusCode: number, body: string): HttpApiResult => ({ statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

export async function handleSlackHttp(event: HttpApiEvent, deps: SlackHttpDeps): Promise<HttpApiResult> {
  const method = event.requestContext?.http?.method;
  if (method && method !== 'POST') return text(405, 'method not allowed');
  const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const timestamp = header(event.headers, 'x-slack-request-timestamp');
  const signature = header(event.headers, 'x-slack-signature');
  let check: SignatureCheck = { ok: false, reason: 'missing_headers' };
  if (timestamp && signature) {
    const request = { timestamp, signature, rawBody };
    const secret = await deps.signingSecret();
    check = verifySlackSignature(secret, request, deps.now().getTime());
    if (!check.ok && check.reason === 'mismatch' && deps.refreshSigningSecret) {
      const fresh = await deps.refreshSigningSecret().catch((error: unknown) => {
        deps.logger.warn('could not re-read the signing secret', { error: (error as Error).message });
        return secret;
      });
      if (fresh !== secret) check = verifySlackSignature(fresh, request, deps.now().getTime());
    }
  }
  if (!check.ok) {
    deps.logger.warn('rejected a request without a valid Slack signature', { reason: check.reason });
    return text(401, 'invalid signature');
  }

  let payload: unknown;
  try {
    const form = new URLSearchParams(rawBody.toString('utf8'));
    const json = form.get('payload');
    if (json === null) return text(400, 'no payload');
    payload = JSON.parse(json);
  } catch {
    return text(400, 'payload is not JSON');
  }

  try {
    const result = await handleInteraction(payload, deps);
    if (result.badRequest !== undefined) return text(400, result.badRequest);
    return result.body
      ? { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(result.body) }
      : { statusCode: 200, body: '' };
  } catch (error) {
    deps.logger.error('interaction failed', { error: (error as Error).message, name: (error as Error).name });
    return text(500, 'internal error');
  }
}
