/**
 * Cost Explorer spend: GetCostAndUsage for one linked account and month, MONTHLY, grouped by SERVICE and
 * REGION, mapped to AWS Health service codes, cached per (account, month) in the table.
 */
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { divideRoundHalfUp } from '../credit/money.ts';
import type { Db } from '../store/clients.ts';
import { keys } from '../store/table.ts';
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

/** "123.4567891" USD → cents, rounded half up, exactly (no floats). */
export function usdDecimalToCents(amount: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`Cost Explorer amount: not a decimal (got ${JSON.stringify(amount)})`);
  const fraction = match[3] ?? '';
  const units = BigInt(`${match[2]}${fraction}`);
  const scale = 10n ** BigInt(fraction.length);
  const cents = divideRoundHalfUp(units * 100n, scale);
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Cost Explorer amount: too large to count in cents exactly (got ${JSON.stringify(amount)})`);
  return Number(match[1] === '-' ? -cents : cents);
}

export type MonthSpend = Record<string, number>; // `${service}|${region}` → cents

const defaultClient = new CostExplorerClient({ region: 'us-east-1', maxAttempts: 8 });

export class CostExplorerSpendSource implements SpendSource {
  private readonly memory = new Map<string, Promise<MonthSpend>>();

  constructor(
    private readonly db: Db | null,
    private readonly client: CostExplorerClient = defaultClient,
    /** Months that are still running are re-read after this long (ms); closed months are cached for good. */
    private readonly openMonthTtlMs = 6 * 3600_000,
    private readonly now: () => number = Date.now,
  ) {}

  async chargesCents(query: SpendQuery): Promise<number | null> {
    if (query.resource) return null; // resource-level charges need hourly, resource-granular data: not requested here
    const spend = await this.monthSpend(query.account, query.month);
    return spend[`${query.service.toUpperCase()}|${query.region}`] ?? null;
  }

  monthSpend(account: string, month: string): Promise<MonthSpend> {
    const k = `${account}|${month}`;
    let pending = this.memory.get(k);
    if (!pending) {
      pending = this.load(account, month);
      pending.catch(() => this.memory.delete(k));
      this.memory.set(k, pending);
    }
    return pending;
  }

  private async load(account: string, month: string): Promise<MonthSpend> {
    const start = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
    const end = start.plus({ months: 1 });
    const monthClosed = end.toMillis() <= this.now();
    if (this.db) {
      const cached = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: keys.spend(account, month) }));
      const item = cached.Item as { spend?: MonthSpend; fetchedAt?: number; final?: boolean } | undefined;
      if (item?.spend && (item.final || this.now() - (item.fetchedAt ?? 0) < this.openMonthTtlMs)) return item.spend;
    }
    const spend: MonthSpend = {};
    let token: string | undefined;
    do {
      const result = await this.client.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: start.toISODate()!, End: end.toISODate()! },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [account] } },
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
        }
      }
      token = result.NextPageToken;
    } while (token);
    if (this.db) {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { ...keys.spend(account, month), type: 'spend', account, month, spend, fetchedAt: this.now(), final: monthClosed },
        }),
      );
    }
    return spend;
  }
}
