/**
 * Cost Explorer spend: GetCostAndUsage for one linked account and month, MONTHLY, UnblendedCost, grouped by SERVICE
 * and REGION, counting only the charge types a credit base counts (RECORD_TYPE in COUNTED_RECORD_TYPES: usage and
 * recurring reservation fees; never tax, credits, refunds, support or one-time fees — see src/sla/credit-bases.ts for
 * why, Savings Plans and RIs included), mapped to AWS Health service codes. For the services whose SLA bases count
 * only part of the service (S3 storage classes, Route 53 DNS queries, DynamoDB replicated writes) one more request per
 * service present groups its charges by REGION and USAGE_TYPE, added up per usage category. The month is cached per
 * (account, month) in the table.
 *
 * Failures: throttling and 5xx errors are thrown (the Lambda retries); any other Cost Explorer failure
 * (access denied, data unavailable, month too old, Cost Explorer not enabled, an unreadable amount) is logged
 * once and the month's charges are unknown (null) for the life of the instance, so claims are still created
 * with their percentage and a "charges unknown" marker.
 */
import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { divideRoundHalfUp } from '../credit/money.ts';
import { retryStrategy } from '../config/retry.ts';
import { COUNTED_RECORD_TYPES, DETAILED_SERVICES, usageCategory } from '../sla/credit-bases.ts';
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

/** `${service}|${region}` → cents, and `${service}|${region}|${category}` → cents for the detailed services. */
export type MonthSpend = Record<string, number>;

/** A month becomes final (cached for good) this long after it ends: Cost Explorer keeps adding late usage. */
export const FINAL_AFTER_MS = 5 * 24 * 3600_000;

/** The part of the logging port this adapter uses (the Lambdas pass their logger; the CLI default is stderr). */
export type SpendLogger = Pick<Log, 'warn'>;

/**
 * Version of the cached month items. Items written before credits/refunds were excluded and before the
 * {@link FINAL_AFTER_MS} grace period (no version) may hold credit-reduced totals marked final; version 2 items
 * counted tax and one-time fees and hold no usage categories: both are re-read.
 */
export const SPEND_CACHE_VERSION = 3;

/** A cached month item stays well under DynamoDB's 400 KB item limit; a larger month is not cached (logged). */
export const MAX_CACHED_SPEND_BYTES = 300_000;

/** The Cost Explorer filter part every request shares: one linked account, the counted charge types only. */
function countedFilter(account: string) {
  return [
    { Dimensions: { Key: 'LINKED_ACCOUNT' as const, Values: [account] } },
    { Dimensions: { Key: 'RECORD_TYPE' as const, Values: [...COUNTED_RECORD_TYPES] } },
  ];
}

/** Cost Explorer SERVICE names per detailed Health code (e.g. S3 → ["Amazon Simple Storage Service"]). */
function serviceNamesOf(code: string): string[] {
  return Object.entries(COST_EXPLORER_SERVICES)
    .filter(([, c]) => c === code)
    .map(([name]) => name);
}

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
  /** Per (account, month[, detailed service]): the month's spend, or null when Cost Explorer could not tell (remembered). */
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
    const allRegions = query.base?.allRegions ?? query.allRegions ?? false;
    const categories = query.base?.categories ?? null;
    const replicas = query.base?.replicas;
    const regions = Object.keys(spend)
      .map((k) => k.split('|'))
      .filter(([code, region]) => code === service && (allRegions || region === query.region))
      .map(([, region]) => region!);
    // No charge of the service where the base is taken: unknown, and no detail request.
    if (regions.length === 0) return null;
    const parts = categories ? [] : regions.map((r) => spend[`${service}|${r}`]!);
    if (categories || replicas) {
      if (!(DETAILED_SERVICES as readonly string[]).includes(service)) return null;
      const detail = await this.detailSpend(query.account, query.month, service as DetailedService);
      if (!detail) return null;
      if (categories) for (const r of regions) for (const c of categories) parts.push(detail[`${r}|${c}`] ?? 0);
      if (replicas) for (const r of replicas.regions) for (const c of replicas.categories) parts.push(detail[`${r}|${c}`] ?? 0);
    }
    // A negative total (credits that slipped through) is not a charge: unknown rather than a wrong or negative base.
    if (parts.some((cents) => cents < 0)) return null;
    return parts.reduce((a, b) => a + b, 0);
  }

  /** The month's usage by `${service}|${region}`, or null when Cost Explorer failed for a non-transient reason. */
  monthSpend(account: string, month: string): Promise<MonthSpend | null> {
    return this.remember(`${account}|${month}`, () =>
      this.load(account, month, keys.spend(account, month), 'spend', (period) => this.fetchServices(account, period)),
    );
  }

  /**
   * A detailed service's month by `${region}|${category}` (S3 storage classes, Route 53 queries, DynamoDB replicated
   * writes): asked only when a claim's base needs it, one request (and its pages) per account, month and service.
   */
  detailSpend(account: string, month: string, service: DetailedService): Promise<MonthSpend | null> {
    const key = { pk: keys.spend(account, month).pk, sk: `SPEND#DETAIL#${service}` };
    return this.remember(`${account}|${month}|${service}`, () =>
      this.load(account, month, key, `spend detail ${service}`, (period) => this.fetchDetail(account, period, service)),
    );
  }

  private remember(k: string, load: () => Promise<MonthSpend | null>): Promise<MonthSpend | null> {
    let pending = this.memory.get(k);
    if (!pending) {
      pending = load();
      pending.catch(() => this.memory.delete(k));
      this.memory.set(k, pending);
    }
    return pending;
  }

  private async load(
    account: string,
    month: string,
    key: { pk: string; sk: string },
    what: string,
    fetch: (period: { Start: string; End: string }) => Promise<MonthSpend>,
  ): Promise<MonthSpend | null> {
    const start = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
    const end = start.plus({ months: 1 });
    const final = end.toMillis() + FINAL_AFTER_MS <= this.now();
    if (this.db) {
      const cached = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: key }));
      const item = cached.Item as { spend?: MonthSpend; fetchedAt?: number; final?: boolean; version?: number } | undefined;
      if (item?.spend && item.version === SPEND_CACHE_VERSION && (item.final || this.now() - (item.fetchedAt ?? 0) < this.openMonthTtlMs)) return item.spend;
    }
    let spend: MonthSpend;
    try {
      spend = await fetch({ Start: start.toISODate()!, End: end.toISODate()! });
    } catch (error) {
      if (isTransientCostExplorerError(error)) throw error;
      this.logger.warn(
        `Cost Explorer ${what} unavailable for account ${account} month ${month} (${describeError(error)}); charges unknown`,
        { account, month, error: describeError(error) },
      );
      return null;
    }
    if (this.db) {
      const item = { ...key, type: 'spend', account, month, spend, fetchedAt: this.now(), final, version: SPEND_CACHE_VERSION };
      const bytes = Buffer.byteLength(JSON.stringify(item));
      if (bytes <= MAX_CACHED_SPEND_BYTES) await this.db.doc.send(new PutCommand({ TableName: this.db.tableName, Item: item }));
      else this.logger.warn(`Cost Explorer ${what} for account ${account} month ${month} not cached (${bytes} bytes)`, { account, month, bytes });
    }
    return spend;
  }

  /** Every service's counted charges by `${service}|${region}`. */
  private async fetchServices(account: string, period: { Start: string; End: string }): Promise<MonthSpend> {
    const spend: MonthSpend = {};
    await this.pages(
      {
        TimePeriod: period,
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        // Usage and recurring reservation fees only: tax, credits, refunds, support and one-time fees are not part of
        // any credit base (src/sla/credit-bases.ts); credits would even lower or negate it.
        Filter: { And: countedFilter(account) },
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'DIMENSION', Key: 'REGION' },
        ],
      },
      ([serviceName = '', region = ''], amount) => {
        const code = COST_EXPLORER_SERVICES[serviceName];
        if (code) addCents(spend, `${code}|${regionOf(region)}`, amount);
      },
    );
    return spend;
  }

  /** One detailed service's counted charges by `${region}|${category}` (usage types of no category are dropped). */
  private async fetchDetail(account: string, period: { Start: string; End: string }, service: DetailedService): Promise<MonthSpend> {
    const spend: MonthSpend = {};
    await this.pages(
      {
        TimePeriod: period,
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        Filter: { And: [...countedFilter(account), { Dimensions: { Key: 'SERVICE', Values: serviceNamesOf(service) } }] },
        GroupBy: [
          { Type: 'DIMENSION', Key: 'REGION' },
          { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
        ],
      },
      ([region = '', usageType = ''], amount) => {
        const category = usageCategory(service, usageType);
        if (category) addCents(spend, `${regionOf(region)}|${category}`, amount);
      },
    );
    return spend;
  }

  /** One GetCostAndUsage question, every page (the same input, NextPageToken added), each group's keys and amount. */
  private async pages(input: Omit<GetCostAndUsageCommandInput, 'NextPageToken'>, onGroup: (keys: string[], amount: string) => void): Promise<void> {
    let token: string | undefined;
    do {
      const result = await this.ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
      for (const period of result.ResultsByTime ?? []) {
        for (const group of period.Groups ?? []) {
          const amount = group.Metrics?.UnblendedCost?.Amount;
          if (amount !== undefined) onGroup(group.Keys ?? [], amount);
        }
      }
      token = result.NextPageToken;
    } while (token);
  }
}

type DetailedService = (typeof DETAILED_SERVICES)[number];

function addCents(spend: MonthSpend, k: string, amount: string): void {
  spend[k] = (spend[k] ?? 0) + usdDecimalToCents(amount);
  if (!Number.isSafeInteger(spend[k])) throw new RangeError(`Cost Explorer ${k}: total too large to count in cents exactly (got ${spend[k]})`);
}
