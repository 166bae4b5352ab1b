/**
 * A big month, the shape a big event makes: 90 % instance-level claims in one account (one open EC2 event, so every
 * one is provisional) and the rest Region-level claims over 40 accounts; every 13th claim has unknown charges.
 * Used by the summary size test and `bench/summary.bench.ts`.
 */
import type { Claim, ClaimStatus } from '../../src/claims/types.ts';
import { claimDeadline } from '../../src/credit/month.ts';

export const BIG_MONTH = '2025-10';
const MONTH = BIG_MONTH;
const STATUSES: ClaimStatus[] = ['draft', 'draft', 'pending_approval', 'approved', 'submitted', 'rejected'];
const REGION_SLAS = [
  ['dynamodb', 'Amazon DynamoDB — Standard SLA'],
  ['lambda', 'AWS Lambda'],
  ['s3-standard', 'Amazon S3 — S3 Standard and all other requests'],
  ['sqs', 'Amazon SQS (Amazon Messaging SLA)'],
  ['api-gateway', 'Amazon API Gateway'],
] as const;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1'];

/** Claim `i` of a month of `total` claims (`MONTH`), deterministic. */
export function bigMonthClaim(i: number, total: number): Claim {
  const big = i < Math.round(total * 0.9);
  const account = big ? '123456789012' : String(100_000_000_000 + (((i % 40) * 7_919_000_003) % 899_999_999_999)).padStart(12, '0');
  // account × SLA × Region distinct over any 1 000 consecutive i (40 × 5 × 5)
  const [slaId, name] = big ? (['ec2-instance', 'Amazon EC2 — Instance-Level SLA'] as const) : REGION_SLAS[Math.floor(i / 40) % REGION_SLAS.length]!;
  const region = big ? 'us-east-1' : REGIONS[Math.floor(i / 200) % REGIONS.length]!;
  const resource = big ? `arn:aws:ec2:us-east-1:123456789012:instance/i-${i.toString(16).padStart(17, '0')}` : null;
  const chargesCents = i % 13 === 0 ? null : 5_000 + ((i * 37) % 400_000);
  const creditPercent = big ? 10 : 25;
  const creditCents = chargesCents === null ? null : Math.floor((chargesCents * creditPercent) / 100);
  const at = '2025-10-20T23:15:00.000Z';
  return {
    claimId: `${account}#${slaId}#${resource ?? region}#${MONTH}`,
    account,
    slaId,
    region,
    resource,
    month: MONTH,
    minutesInMonth: 44640,
    downtimeMinutes: 172,
    uptimePercent: 99.6147,
    creditPercent,
    creditDays: null,
    chargesCents,
    creditCents,
    chargesKnown: chargesCents !== null,
    claimable: creditCents !== null && creditCents > 100,
    provisional: big,
    deadline: claimDeadline(MONTH),
    status: STATUSES[i % STATUSES.length]!,
    version: 1,
    evidence: [
      {
        eventArn: `arn:aws:health:${region}::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_BENCH_${big ? 0 : i}`,
        service: 'EC2',
        eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
        region,
        startTime: '2025-10-20T06:48:00.000Z',
        endTime: big ? null : '2025-10-20T09:40:00.000Z',
        statusCode: big ? 'open' : 'closed',
        description: `Increased error rates and latencies for instances in ${region}. We are working towards mitigation.`,
        affectedResources: resource ? [resource] : [],
        affectedResourceCount: resource ? 1 : 0,
      },
    ],
    slaClause: {
      slaId,
      name,
      commitmentPercent: '99.99',
      measurement: 'error-rate-5min',
      tierText: 'less than 99.99 % but at least 99.0 % → 10 % credit',
      creditBaseText: "the month's charges for the service in the affected Region",
      sourceUrl: 'https://aws.amazon.com/legal/service-level-agreements/',
      sourceLastUpdated: null,
      negotiated: false,
    },
    createdAt: at,
    updatedAt: at,
    computedAt: at,
  };
}

