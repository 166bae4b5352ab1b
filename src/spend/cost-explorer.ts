/**
 * Cost Explorer spend: GetCostAndUsage for one linked account and month, MONTHLY, grouped by SERVICE and
 * REGION, usage only (credits and refunds excluded), mapped to AWS Health service codes, cached per
 * (account, month) in the table.
 *
 * Failures: throttling and 5xx errors are thrown (the Lambda retries); any other Cost Explorer failure
 * (access denied, data unavailable, month too old, Cost Explorer not enabled, an unreadable amount) is logged
 * once and the month's charges are unknown (null) for the life of the instance, so claims are still created
 * with their percentage and a "charges unknown" marker.
 */
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { divideRoundHalfUp } from '../credit/money.ts';
import { retryStrategy } from '../config/retry.ts';
import type { Db } from '../store/clients.ts';
import { keys } from '../store/table.ts';
import { stderrLog, type Log } from '../util/log.ts';
import type { SpendQuery, SpendSource } from './spend.ts';

/** Cost Explorer SERVICE dimension values → AWS Health service codes. */
export const COST_EXPLORER_SERVICES: Readonly<Record<string, string>> = {
  'Amazon Elastic Compute Cloud - Compute': 'EC2',
  'Amazon Elastic Block Store': 'EBS',
  'Amazon Elastic Container Service': 'ECS',
  'Amazon Elastic Container Service for Kubernetes': 'EKS',
  'Amazon Elastic Kubernetes Service': 'EKS',
  'AWS Fargate': 'FARGATE',
  'Amazon Simple Storage Service': 'S3',
  'Amazon DynamoDB': 'DYNAMODB',
  'AWS Lambda': 'LAMBDA',
  'Amazon Relational Database Service': 'RDS',
  'Amazon Elastic Load Balancing': 'ELASTICLOADBALANCING',
  'Amazon API Gateway': 'APIGATEWAY',
  'Amazon CloudFront': 'CLOUDFRONT',
  'Amazon Simple Queue Service': 'SQS',
  'Amazon Simple Notification Service': 'SNS',
  'Amazon ElastiCache': 'ELASTICACHE',
  'Amazon Route 53': 'ROUTE53',
};

/** Cost Explorer REGION values are Region codes; global charges come as "global" or "NoRegion". */
function regionOf(value: string): string {
  return value === 'NoRegion' || value === '' ? 'global' : value;
}

/** "123.4567891" or "1.2E-7" USD → cents, rounded half up (away from zero), exactly (no floats). */
export function usdDecimalToCents(amount: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`Cost Explorer amount: not a decimal (got ${JSON.stringify(amount)})`);
  const fraction = match[3] ?? '';
  const units = BigInt(`${match[2]}${fraction}`) * 100n; // the amount in cents, times 10^fraction.length
  // cents = units · 10^shift
  const shift = BigInt(match[4] ?? '0') - BigInt(fraction.length);
  const tooLarge = () => new RangeError(`Cost Explorer amount: too large to count in cents exactly (got ${JSON.stringify(amount)})`);
  let cents: bigint;
  if (units === 0n) cents = 0n;
  else if (shift >= 0n) {
    if (shift > 20n) throw tooLarge(); // ≥ 10^20 cents: far beyond the exact range; do not build the power
    cents = units * 10n ** shift;
  } else if (-shift > BigInt(units.toString().length)) {
    cents = 0n; // below a tenth of a cent
  } else {
    cents = divideRoundHalfUp(units, 10n ** -shift);
  }
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) throw tooLarge();
  return Number(match[1] === '-' ? -cents : cents);
}

export type MonthSpend = Record<string, number>; // `${service}|${region}` → cents

/** A month becomes final (cached for good) this long after it ends: Cost Explorer keeps adding late usage. */
export const FINAL_AFTER_MS = 5 * 24 * 3600_000;

/** The part of the logging port this adapter uses (the Lambdas pass their logger; the CLI default is stderr). */
export type SpendLogger = Pick<Log, 'warn'>;

/**
 * Version of the cached month items. Items written before credits/refunds were excluded and before the
 * {@link FINAL_AFTER_MS} grace period (no version) may hold credit-reduced totals marked final: they are re-read.
 */
export const SPEND_CACHE_VERSION = 2;

const TRANSIENT_NAMES = new Set(['ThrottlingException', 'LimitExceededException', 'TooManyRequestsException']);

/** Throttling and server-side (5xx) errors: worth failing the invocation so it is retried. */
export function isTransientCostExplorerError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500 && status <= 599;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/** Cost Explorer's API lives in us-east-1 only; built on first use (most invocations read the cached month). */
export function createCostExplorerClient(): CostExplorerClient {
  return new CostExplorerClient({ region: 'us-east-1', retryStrategy: retryStrategy() });
}

export class CostExplorerSpendSource implements SpendSource {
  /** Per (account, month): the month's spend, or null when Cost Explorer could not tell (remembered). */
  private readonly memory = new Map<string, Promise<MonthSpend | null>>();

  constructor(
    private readonly db: Db | null,
    private readonly client: CostExplorerClient | (() => CostExplorerClient) = createCostExplorerClient,
    /** Months not yet final are re-read after this long (ms); final months are cached for good. */
    private readonly openMonthTtlMs = 6 * 3600_000,
    private readonly now: () => number = Date.now,
    private readonly logger: SpendLogger = stderrLog,
  ) {}

  private resolvedClient: CostExplorerClient | undefined;

  private get ce(): CostExplorerClient {
    this.resolvedClient ??= 'send' in this.client ? this.client : this.client();
    return this.resolvedClient;
  }

  async chargesCents(query: SpendQuery): Promise<number | null> {
    if (query.resource) return null; // resource-level charges need hourly, resource-granular data: not requested here
    const spend = await this.monthSpend(query.account, query.month);
    if (!spend) return null;
    const service = query.service.toUpperCase();
    const totals = query.allRegions
      ? Object.entries(spend)
          .filter(([k]) => k.slice(0, k.indexOf('|')) === service)
          .map(([, cents]) => cents)
      : [spend[`${service}|${query.region}`]].filter((cents): cents is number => cents !== undefined);
    if (totals.length === 0) return null;
    // A negative total (credits that slipped through) is not a charge: unknown rather than a wrong or negative base.
    if (totals.some((cents) => cents < 0)) return null;
    return totals.reduce((a, b) => a + b, 0);
  }

  /** The month's usage by `${service}|${region}`, or null when Cost Explorer failed for a non-transient reason. */
  monthSpend(account: string, month: string): Promise<MonthSpend | null> {
    const k = `${account}|${month}`;
    let pending = this.memory.get(k);
    if (!pending) {
      pending = this.load(account, month);
      pending.catch(() => this.memory.delete(k));
      this.memory.set(k, pending);
    }
    return pending;
  }

  private async load(account: string, month: string): Promise<MonthSpend | null> {
    const start = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
    const end = start.plus({ months: 1 });
    const final = end.toMillis() + FINAL_AFTER_MS <= this.now();
    if (this.db) {
      const cached = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: keys.spend(account, month) }));
      const item = cached.Item as { spend?: MonthSpend; fetchedAt?: number; final?: boolean; version?: number } | undefined;
      if (item?.spend && item.version === SPEND_CACHE_VERSION && (item.final || this.now() - (item.fetchedAt ?? 0) < this.openMonthTtlMs)) return item.spend;
    }
    let spend: MonthSpend;
    try {
      spend = await this.fetch(account, start, end);
    } catch (error) {
      if (isTransientCostExplorerError(error)) throw error;
      this.logger.warn(
        `Cost Explorer spend unavailable for account ${account} month ${month} (${describeError(error)}); charges unknown`,
        { account, month, error: describeError(error) },
      );
      return null;
    }
    if (this.db) {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { ...keys.spend(account, month), type: 'spend', account, month, spend, fetchedAt: this.now(), final, version: SPEND_CACHE_VERSION },
        }),
      );
    }
    return spend;
  }

  private async fetch(account: string, start: DateTime, end: DateTime): Promise<MonthSpend> {
    const spend: MonthSpend = {};
    let token: string | undefined;
    do {
      const result = await this.ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: start.toISODate()!, End: end.toISODate()! },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          // Usage only: credits and refunds would lower (even negate) the charges the credit is a percentage of.
          Filter: {
            And: [
              { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [account] } },
              { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund'] } } },
            ],
          },
          GroupBy: [
            { Type: 'DIMENSION', Key: 'SERVICE' },
            { Type: 'DIMENSION', Key: 'REGION' },
          ],
          NextPageToken: token,
        }),
      );
      for (const period of result.ResultsByTime ?? []) {
        for (const group of period.Groups ?? []) {
          const [serviceName = '', region = ''] = group.Keys ?? [];
          const code = COST_EXPLORER_SERVICES[serviceName];
          const amount = group.Metrics?.UnblendedCost?.Amount;
          if (!code || amount === undefined) continue;
          const k = `${code}|${regionOf(region)}`;
          spend[k] = (spend[k] ?? 0) + usdDecimalToCents(amount);
          if (!Number.isSafeInteger(spend[k])) throw new RangeError(`Cost Explorer ${k}: total too large to count in cents exactly (got ${spend[k]})`);
        }
      }
      token = result.NextPageToken;
    } while (token);
    return spend;
  }
}
