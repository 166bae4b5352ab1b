/**
 * Slack request signing (v0): `v0=` + hex(HMAC-SHA256(signingSecret, `v0:{timestamp}:{raw body}`)), compared in
 * constant time. Timestamps more than 5 minutes away from now, in either direction, are rejected (replay window).
 * Pure: the clock is a parameter.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_CLOCK_SKEW_SECONDS = 300;

export type SignatureFailure = 'missing_headers' | 'bad_version' | 'bad_timestamp' | 'stale_timestamp' | 'mismatch';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

export interface SignedRequest {
  /** `X-Slack-Request-Timestamp` (seconds since the epoch), or undefined when absent. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`, or undefined when absent. */
  signature: string | undefined;
  /** The raw body exactly as Slack sent it (after undoing API Gateway's base64), before any parsing. */
  rawBody: Buffer | string;
}

function hmacHex(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
}

/** The `X-Slack-Signature` value Slack would send (used by tests and the local demo to sign requests). */
export function signSlackRequest(signingSecret: string, timestamp: string | number, rawBody: Buffer | string): string {
  return `v0=${hmacHex(signingSecret, String(timestamp), rawBody)}`;
}

export function verifySlackSignature(signingSecret: string, request: SignedRequest, nowMs: number): SignatureCheck {
  if (!signingSecret) throw new Error('verifySlackSignature: the signing secret is empty');
  const { timestamp, signature, rawBody } = request;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!signature.startsWith('v0=')) return { ok: false, reason: 'bad_version' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const expected = Buffer.from(hmacHex(signingSecret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(signature.slice(3), 'utf8');
  // Lengths are not secret (always 64 hex digits); timingSafeEqual needs equal lengths.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
