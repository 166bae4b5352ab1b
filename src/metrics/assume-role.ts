/**
 * Metrics live in each member account: they are read through a role assumed there (`sts:AssumeRole` on
 * `arn:<partition>:iam::<account>:role/<metricsRoleName>`, deployed from deploy/metrics-reader-role.yml).
 *
 * Credentials are cached per account until 5 minutes before they expire ("If users don't specify a value for the
 * DurationSeconds parameter, their security credentials are valid for one hour by default",
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), so a run assumes each role once.
 * A role that is missing, not trusting the collector, or not allowed (STS answers AccessDenied for all three) gives
 * one warning per account and `{ ok: false }`: that account's claims stay `health-window`, nothing throws. The
 * refusal is remembered for a while, so one run logs it once however many claims the account has.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { retryStrategy } from '../config/retry.ts';
import type { Log } from '../util/log.ts';
import { cloudWatchApi, type AccountMetrics, type CloudWatchApi, type MetricsAccess } from './ports.ts';

/** Credentials are renewed this long before they expire (a long read never runs on expired keys). */
export const REFRESH_BEFORE_MS = 5 * 60_000;
/** A refusal is remembered this long (one log line per account per collection run). */
export const DENIED_TTL_MS = 10 * 60_000;
const SESSION_SECONDS = 3600;

/** Errors meaning "this role cannot be used" rather than "try again": logged once, the claim stays health-window. */
const REFUSALS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'RegionDisabledException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'NoSuchEntity',
]);

export function isRefusal(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return REFUSALS.has(e?.name ?? '') || REFUSALS.has(e?.Code ?? '') || e?.$metadata?.httpStatusCode === 403;
}

export function roleArnOf(account: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

export interface AssumeRoleOptions {
  roleName: string;
  partition?: string;
  /** CloudTrail shows it in the member account. */
  sessionName?: string;
  log: Log;
  now?: () => number;
  /** A CloudWatch client in `region` on these credentials (default: the SDK client with the budgeted retries). */
  cloudWatchFor?: (region: string, credentials: () => Promise<AwsCredentialIdentity>) => CloudWatchApi;
}

interface Cached {
  credentials: Promise<AwsCredentialIdentity>;
  /** Epoch ms; Infinity until the answer arrives. */
  expiresMs: number;
}

function defaultCloudWatch(region: string, credentials: () => Promise<AwsCredentialIdentity>): CloudWatchApi {
  return cloudWatchApi(new CloudWatchClient({ region, credentials, retryStrategy: retryStrategy() }));
}

export class AssumedRoleMetricsAccess implements MetricsAccess {
  private readonly cache = new Map<string, Cached>();
  private readonly denied = new Map<string, { reason: string; untilMs: number }>();
  private readonly clients = new Map<string, CloudWatchApi>();
  private readonly now: () => number;

  constructor(
    private readonly sts: Pick<STSClient, 'send'>,
    private readonly options: AssumeRoleOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  roleArn(account: string): string {
    return roleArnOf(account, this.options.roleName, this.options.partition);
  }

  async forAccount(account: string, region: string): Promise<AccountMetrics> {
    const refused = this.denied.get(account);
    if (refused && refused.untilMs > this.now()) return { ok: false, reason: refused.reason };
    try {
      await this.credentials(account);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return { ok: false, reason: this.refuse(account, `role ${this.roleArn(account)} cannot be assumed (${describe(error)})`) };
    }
    const key = `${account}|${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = (this.options.cloudWatchFor ?? defaultCloudWatch)(region, () => this.credentials(account));
      this.clients.set(key, client);
    }
    return { ok: true, cloudWatch: client };
  }

  /**
   * Records that `account`'s metrics cannot be read (e.g. the role exists but CloudWatch answers AccessDenied) and
   * logs it once; returns the reason.
   */
  refuse(account: string, reason: string): string {
    if (!this.denied.has(account) || this.denied.get(account)!.untilMs <= this.now()) {
      this.options.log.warn(`measured evidence: account ${account}: ${reason}; its claims stay health-window (deploy deploy/metrics-reader-role.yml there)`, {
        account,
        roleArn: this.roleArn(account),
      });
    }
    this.denied.set(account, { reason, untilMs: this.now() + DENIED_TTL_MS });
    return reason;
  }

  /** The role's credentials in `account`, from the cache while they have more than 5 minutes left. */
  credentials(account: string): Promise<AwsCredentialIdentity> {
    const cached = this.cache.get(account);
    if (cached && cached.expiresMs - this.now() > REFRESH_BEFORE_MS) return cached.credentials;
    const entry: Cached = { credentials: this.assume(account), expiresMs: Infinity };
    this.cache.set(account, entry);
    entry.credentials.then(
      (c) => {
        entry.expiresMs = c.expiration?.getTime() ?? this.now() + SESSION_SECONDS * 1000;
      },
      () => {
        if (this.cache.get(account) === entry) this.cache.delete(account);
      },
    );
    return entry.credentials;
  }

  private async assume(account: string): Promise<AwsCredentialIdentity> {
    const out = await this.sts.send(
      new AssumeRoleCommand({ RoleArn: this.roleArn(account), RoleSessionName: this.options.sessionName ?? 'sla-claims-metrics', DurationSeconds: SESSION_SECONDS }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${this.roleArn(account)}: the answer holds no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}) };
  }
}

export function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${(e?.message ?? String(error)).split('\n')[0]!.slice(0, 300)}`;
}
