/**
 * What measured-evidence collection needs from AWS, as small interfaces: the two CloudWatch calls (an SDK client fits
 * through `cloudWatchApi`), and per member account the CloudWatch of a role assumed there (src/metrics/assume-role.ts).
 */
import {
  GetMetricDataCommand,
  ListMetricsCommand,
  type CloudWatchClient,
  type GetMetricDataCommandInput,
  type GetMetricDataCommandOutput,
  type ListMetricsCommandInput,
  type ListMetricsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import type { MetricRecipe } from './types.ts';

/** The CloudWatch calls collection sends (and nothing else: the reader role grants exactly these). */
export interface CloudWatchApi {
  getMetricData(input: GetMetricDataCommandInput): Promise<Pick<GetMetricDataCommandOutput, 'MetricDataResults' | 'NextToken' | 'Messages'>>;
  listMetrics(input: ListMetricsCommandInput): Promise<Pick<ListMetricsCommandOutput, 'Metrics' | 'NextToken'>>;
}

export function cloudWatchApi(client: Pick<CloudWatchClient, 'send'>): CloudWatchApi {
  return {
    getMetricData: (input) => client.send(new GetMetricDataCommand(input)),
    listMetrics: (input) => client.send(new ListMetricsCommand(input)),
  };
}

/** One resource as CloudWatch names it: its dimension values, e.g. { TableName: "orders" }. */
export type Dimensions = Readonly<Record<string, string>>;

/** A recipe that names metrics (not `none`). */
export type MeasuredRecipe = Exclude<MetricRecipe, { kind: 'none' }>;

/** CloudWatch in one member account and Region, or why it cannot be read (one clear reason, logged once). */
export type AccountMetrics = { ok: true; cloudWatch: CloudWatchApi } | { ok: false; reason: string };

export interface MetricsAccess {
  forAccount(account: string, region: string): Promise<AccountMetrics>;
}
