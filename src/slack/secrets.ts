/**
 * Slack secrets (signing secret, bot token) from SSM Parameter Store SecureStrings, decrypted on read and cached in
 * memory for 5 minutes, so a rotated secret reaches every warm Lambda instance within that time.
 * Values are never logged; errors name the parameter, not its value.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

export const SECRET_TTL_MS = 5 * 60 * 1000;

export interface SecretSource {
  /** The decrypted value of a parameter. */
  get(name: string): Promise<string>;
}

let defaultSsm: SSMClient | undefined;

/** The SSM client shared by the module (created once per Lambda instance). */
export function getSsmClient(): SSMClient {
  defaultSsm ??= new SSMClient({});
  return defaultSsm;
}

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

interface CacheEntry {
  value: Promise<string>;
  expiresAt: number;
}

export class SsmSecretSource implements SecretSource {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly client: SSMClient = getSsmClient(),
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  get(name: string): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(name);
    if (cached && cached.expiresAt > now) return cached.value;
    // Concurrent callers share one in-flight request; a failure is not cached.
    const value = this.fetch(name);
    this.cache.set(name, { value, expiresAt: now + (this.options.ttlMs ?? SECRET_TTL_MS) });
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
