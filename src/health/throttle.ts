/**
 * Health API call policy: throttling is retried with backoff and jitter, a missing support plan becomes one clear
 * error ({@link HealthSubscriptionRequiredError}), anything else propagates.
 */

/** Thrown when the account has no support plan that includes the Health API. Log once; do not crash. */
export class HealthSubscriptionRequiredError extends Error {
  override readonly name = 'HealthSubscriptionRequiredError';
  constructor(options?: { cause?: unknown }) {
    super(
      'AWS Health API needs a Business, Enterprise On-Ramp or Enterprise support plan (or Business Support+/Unified Operations); ' +
        'Health API backfill skipped, EventBridge events are still processed',
      options,
    );
  }
}

export function isHealthSubscriptionRequiredError(e: unknown): e is HealthSubscriptionRequiredError {
  return e instanceof HealthSubscriptionRequiredError;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);

function errorName(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const o = e as { name?: unknown; Code?: unknown; code?: unknown };
  for (const v of [o.name, o.Code, o.code]) if (typeof v === 'string' && v !== 'Error') return v;
  return undefined;
}

export function isThrottlingError(e: unknown): boolean {
  const name = errorName(e);
  if (name !== undefined && THROTTLING_NAMES.has(name)) return true;
  const meta = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode === 429;
}

/** "Name: message" of an error (the name once), for logs and quarantine reasons. */
export function errorLabel(e: unknown): string {
  const name = errorName(e);
  const text = e instanceof Error ? e.message : String(e);
  return name && !text.startsWith(name) ? `${name}: ${text}` : text;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** First backoff in ms (default 250); doubles each retry. */
  baseDelayMs?: number;
  /** Backoff cap in ms (default 10 000). */
  maxDelayMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default Math.random. Delay = cap·(0.5 + 0.5·random). */
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`, retrying throttling errors with exponential backoff and jitter. Other errors propagate
 * immediately; `SubscriptionRequiredException` becomes {@link HealthSubscriptionRequiredError}.
 */
export async function withThrottleRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (errorName(e) === 'SubscriptionRequiredException') throw new HealthSubscriptionRequiredError({ cause: e });
      if (!isThrottlingError(e) || attempt >= maxRetries) throw e;
      const ceiling = Math.min(cap, base * 2 ** attempt);
      await sleep(Math.round(ceiling * (0.5 + 0.5 * random())));
    }
  }
}
