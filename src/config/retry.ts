/**
 * The retry strategy of every AWS SDK client the Lambdas build (DynamoDB, Cost Explorer, Health, SES, SSM).
 *
 * Why not the SDK default: standard mode "includes a retry quota, a token bucket that deducts tokens for each retry
 * and replenishes tokens when requests succeed. When the available tokens are exhausted, the SDK returns the error
 * without retrying" (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). In
 * `@smithy/core/retry` (StandardRetryStrategy, retries-2026-config) the bucket holds 500 tokens for the life of the
 * client, a transient retry costs 14, and a first-try success gives back only 1: under 50 % injected faults the
 * bucket of a warm instance drains after ~100 operations and then every fault fails at once, for the rest of the
 * instance's life (issue 11: 128 of 200 deliveries still failed after 50 redeliveries). Neither the capacity nor the
 * costs of StandardRetryStrategy can be configured, and `maxAttempts` alone does not help once the bucket is empty.
 *
 * This strategy keeps what the quota is for (no retry storm while a service is down) but bounds each operation by a
 * time budget that fits the function's timeout, and refills its bucket with time, so a burst of faults slows the
 * instance down for seconds instead of disabling its retries for good:
 * - retries only what the SDK classifies as THROTTLING or TRANSIENT (5xx 500/502/503/504, timeouts, resets), like
 *   standard mode;
 * - at most `maxAttempts` attempts, exponential backoff with full jitter (`baseDelayMs · 2^retry`, capped at
 *   `maxDelayMs`; throttling starts at `throttlingBaseDelayMs`), at least the server's Retry-After hint;
 * - no retry whose delay would end after `budgetMs` since the operation's first attempt;
 * - a bucket of `capacity` tokens, `retryCost` per retry; when an operation finally succeeds, all its retries are
 *   refunded (the service answers: the faults were transient), plus 1 for a first-try success, as the SDK does; the
 *   bucket also refills at `refillPerSecond`. So only operations that fail for good drain it (at 50 % faults, ~1 in
 *   1 000), and under a full outage it allows ~`refillPerSecond / retryCost` retries per second.
 */
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

export interface RetryBudget {
  maxAttempts: number;
  /** Per operation: no retry is started whose delay would end later than this after the first attempt. */
  budgetMs: number;
  baseDelayMs: number;
  throttlingBaseDelayMs: number;
  maxDelayMs: number;
  capacity: number;
  retryCost: number;
  refillPerSecond: number;
}

/** For the event-driven and scheduled functions (timeouts of 60-900 s): ~1/1 000 of operations fail at 50 % faults. */
export const BACKGROUND_RETRY: RetryBudget = {
  maxAttempts: 10,
  budgetMs: 20_000,
  baseDelayMs: 50,
  throttlingBaseDelayMs: 500,
  maxDelayMs: 5_000,
  capacity: 500,
  retryCost: 5,
  refillPerSecond: 50,
};

/** For the Slack interactions function, which must answer within 3 s (its timeout is 10 s). */
export const INTERACTIVE_RETRY: RetryBudget = { ...BACKGROUND_RETRY, maxAttempts: 4, budgetMs: 1_000, maxDelayMs: 400 };

class BudgetToken implements StandardRetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
    private readonly cost: number | undefined,
    readonly startedAt: number,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
  getRetryCost(): number | undefined {
    return this.cost;
  }
}

export class BudgetedRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly budget: RetryBudget = BACKGROUND_RETRY,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.tokens = budget.capacity;
    this.refilledAt = now();
  }

  /** Read by the SDK for the `amz-sdk-request: attempt=…; max=…` header. */
  async maxAttempts(): Promise<number> {
    return this.budget.maxAttempts;
  }

  async acquireInitialRetryToken(_scope: string): Promise<StandardRetryToken> {
    return new BudgetToken(0, 0, undefined, this.now());
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, info: RetryErrorInfo): Promise<StandardRetryToken> {
    const b = this.budget;
    // Any refusal: the SDK rethrows the request's own error.
    if (info.errorType !== 'THROTTLING' && info.errorType !== 'TRANSIENT') {
      // The service answered (e.g. ConditionalCheckFailed after a retried write that was applied but unanswered):
      // it is up, so what this operation spent on retries goes back, as on success. Without this refund a burst of
      // such answers drains the bucket and later transient errors are not retried at all.
      this.refund(token);
      throw new Error('not retryable');
    }
    const retry = token.getRetryCount();
    if (retry + 1 >= b.maxAttempts) throw new Error('attempts exhausted');
    const base = info.errorType === 'THROTTLING' ? b.throttlingBaseDelayMs : b.baseDelayMs;
    let delay = Math.floor(this.random() * Math.min(base * 2 ** retry, b.maxDelayMs));
    if (info.retryAfterHint instanceof Date) delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - this.now(), b.maxDelayMs));
    const startedAt = token instanceof BudgetToken ? token.startedAt : this.now();
    if (this.now() + delay - startedAt > b.budgetMs) throw new Error('time budget exhausted');
    this.refill();
    if (this.tokens < b.retryCost) throw new Error('retry capacity exhausted');
    this.tokens -= b.retryCost;
    // The token carries what the operation has spent so far, refunded on success.
    return new BudgetToken(retry + 1, delay, (token.getRetryCost?.() ?? 0) + b.retryCost, startedAt);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.refund(token, 1);
  }

  private refund(token: StandardRetryToken, atLeast = 0): void {
    this.refill();
    this.tokens = Math.min(this.budget.capacity, this.tokens + (token.getRetryCost?.() ?? atLeast));
  }

  /** Tokens left now (tests, logs). */
  capacityLeft(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.budget.capacity, this.tokens + ((t - this.refilledAt) / 1000) * this.budget.refillPerSecond);
    this.refilledAt = t;
  }
}

export function retryStrategy(budget: RetryBudget = BACKGROUND_RETRY): BudgetedRetryStrategy {
  return new BudgetedRetryStrategy(budget);
}
