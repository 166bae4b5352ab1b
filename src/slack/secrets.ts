/**
 * Slack secrets (signing secret, bot token) from SSM Parameter Store SecureStrings, decrypted on read and cached in
 * memory for 5 minutes, so a rotated secret reaches every warm Lambda instance within that time. A caller that has a
 * reason to think the value changed (a signature that does not verify) may `refresh` it sooner, at most once per
 * `MIN_REFRESH_MS` per parameter and instance, so bad requests cannot make us hammer SSM.
 * Values are never logged; errors name the parameter, not its value.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

export const SECRET_TTL_MS = 5 * 60 * 1000;
/** The shortest time between two SSM reads of one parameter forced by `refresh`. */
export const MIN_REFRESH_MS = 30 * 1000;

export interface SecretSource {
  /** The decrypted value of a parameter. */
  get(name: string): Promise<string>;
  /**
   * The value read again now, unless it was read less than `MIN_REFRESH_MS` ago (then the cached value): for a
   * caller that suspects the parameter was rotated.
   */
  refresh(name: string): Promise<string>;
}

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

interface CacheEntry {
  value: Promise<string>;
  fetchedAt: number;
  expiresAt: number;
}

export class SsmSecretSource implements SecretSource {
  private readonly cache = new Map<string, CacheEntry>();
  /** When `refresh` last went to SSM, per parameter (success or not): the rate limit. */
  private readonly refreshedAt = new Map<string, number>();

  constructor(
    /** Built by handlers/wiring.ts (one client per Lambda instance). */
    private readonly client: SSMClient,
    private readonly options: { ttlMs?: number; minRefreshMs?: number; now?: () => number } = {},
  ) {}

  get(name: string): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(name);
    if (cached && cached.expiresAt > now) return cached.value;
    return this.load(name, now);
  }

  refresh(name: string): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(name);
    const last = Math.max(cached?.fetchedAt ?? -Infinity, this.refreshedAt.get(name) ?? -Infinity);
    if (cached && now - last < (this.options.minRefreshMs ?? MIN_REFRESH_MS)) return cached.value;
    this.refreshedAt.set(name, now);
    if (!cached) return this.load(name, now);
    // Keep serving the cached value if this re-read fails (SSM throttled or down): a failed refresh changes nothing.
    const fresh = this.fetch(name);
    return fresh.then(
      (value) => {
        this.cache.set(name, { value: fresh, fetchedAt: now, expiresAt: now + (this.options.ttlMs ?? SECRET_TTL_MS) });
        return value;
      },
      () => cached.value,
    );
  }

  private load(name: string, now: number): Promise<string> {
    // Concurrent callers share one in-flight request; a failure is not cached.
    const value = this.fetch(name);
    this.cache.set(name, { value, fetchedAt: now, expiresAt: now + (this.options.ttlMs ?? SECRET_TTL_MS) });
    value.catch(() => {
      if (this.cache.get(name)?.value === value) this.cache.delete(name);
    });
    return value;
  }

  private async fetch(name: string): Promise<string> {
    let result;
    try {
      result = await this.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    } catch (error) {
      throw new SecretUnavailableError(`SSM parameter ${name} could not be read: ${(error as Error).name}`, { cause: error });
    }
    const value = result.Parameter?.Value;
    if (!value) throw new SecretUnavailableError(`SSM parameter ${name} has no value`);
    if (result.Parameter?.Type && result.Parameter.Type !== 'SecureString') {
      throw new SecretUnavailableError(`SSM parameter ${name} must be a SecureString (it is a ${result.Parameter.Type})`);
    }
    return value;
  }
}
