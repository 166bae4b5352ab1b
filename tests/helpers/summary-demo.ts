/**
 * Test fixture: a realistic month of claims (the 20 October 2025 us-east-1 outage across three accounts) for the
 * summary model and rendering tests. Only tests use it (`npm start` replays `events/demo` instead), so it lives here,
 * not in `src/`. Pure data; amounts are integer cents.
 */
import { divideRoundHalfUp } from '../../src/credit/money.ts';
import { uptimeForDisplay } from '../../src/util/percent.ts';
import type { Claim, ClaimStatus, SlackRef } from '../../src/claims/types.ts';
import { claimDeadline } from '../../src/credit/month.ts';

export const DEMO_MONTH = '2025-10';
/** 1 November 2025, 08:00 in London (the scheduled run). */
export const DEMO_NOW_MS = Date.parse('2025-11-01T08:00:00Z');

interface DemoSpec {
  account: string;
  slaId: string;
  name: string;
  region: string;
  resource?: string;
  month?: string;
  chargesCents: number | null;
  creditPercent: number;
  downtimeMinutes: number;
  status: ClaimStatus;
  provisional?: boolean;
  slack?: SlackRef;
  decisionReason?: string;
}

function demoClaim(spec: DemoSpec): Claim {
  const month = spec.month ?? DEMO_MONTH;
  const minutesInMonth = month === '2025-09' ? 43200 : 44640;
  const creditCents =
    spec.chargesCents === null ? null : Number(divideRoundHalfUp(BigInt(spec.chargesCents) * BigInt(spec.creditPercent), 100n));
  const scope = spec.resource ?? spec.region;
  const at = month === '2025-09' ? '2025-09-30T12:00:00.000Z' : '2025-10-20T23:15:00.000Z';
  return {
    claimId: `${spec.account}#${spec.slaId}#${scope}#${month}`,
    account: spec.account,
    slaId: spec.slaId,
    region: spec.region,
    resource: spec.resource ?? null,
    month,
    minutesInMonth,
    downtimeMinutes: spec.downtimeMinutes,
    uptimePercent: uptimeForDisplay(BigInt(minutesInMonth - spec.downtimeMinutes), BigInt(minutesInMonth)),
    creditPercent: spec.creditPercent,
    creditDays: null,
    chargesCents: spec.chargesCents,
    creditCents,
    chargesKnown: spec.chargesCents !== null,
    claimable: creditCents !== null && creditCents > 100,
    provisional: spec.provisional ?? false,
    deadline: claimDeadline(month),
    status: spec.status,
    version: 1,
    evidence: [
      {
        eventArn: `arn:aws:health:${spec.region}::event/${spec.slaId.toUpperCase()}/AWS_${spec.slaId.toUpperCase()}_OPERATIONAL_ISSUE/demo`,
        service: spec.slaId.toUpperCase(),
        eventTypeCode: `AWS_${spec.slaId.toUpperCase()}_OPERATIONAL_ISSUE`,
        region: spec.region,
        startTime: month === '2025-09' ? '2025-09-18T14:02:00.000Z' : '2025-10-20T06:48:00.000Z',
        endTime: spec.provisional ? null : month === '2025-09' ? '2025-09-18T15:10:00.000Z' : '2025-10-20T09:40:00.000Z',
        statusCode: spec.provisional ? 'open' : 'closed',
        description: `Increased error rates and latencies in ${spec.region}.`,
        affectedResources: spec.resource ? [spec.resource] : [],
        affectedResourceCount: spec.resource ? 1 : 0,
      },
    ],
    slaClause: {
      slaId: spec.slaId,
      name: spec.name,
      commitmentPercent: '99.99',
      measurement: 'error-rate-5min',
      tierText: 'less than 99.99 % but at least 99.0 % → 10 % credit',
      creditBaseText: "the month's charges for the service in the affected Region",
      sourceUrl: 'https://aws.amazon.com/legal/service-level-agreements/',
      sourceLastUpdated: null,
      negotiated: false,
    },
    ...(spec.slack ? { slack: spec.slack } : {}),
    ...(spec.decisionReason ? { decidedBy: 'U04PAYOPS', decisionReason: spec.decisionReason } : {}),
    createdAt: at,
    updatedAt: at,
    computedAt: at,
  };
}

const PROD = '123456789012';
const DATA = '210987654321';
const SHOP = '345678901234';

/** The demo month: eight October claims over six services and three accounts, in every status. */
export function demoMonthClaims(): Claim[] {
  return [
    demoClaim({
      account: PROD, slaId: 'ec2-region', name: 'Amazon EC2 — Region-Level SLA', region: 'us-east-1',
      chargesCents: 4_231_055, creditPercent: 10, downtimeMinutes: 172, status: 'pending_approval',
      slack: { channel: 'C07SLACLAIMS', ts: '1761000000.000100', permalink: 'https://acme.slack.com/archives/C07SLACLAIMS/p1761000000000100' },
    }),
    demoClaim({
      account: PROD, slaId: 'dynamodb', name: 'Amazon DynamoDB — Standard SLA', region: 'us-east-1',
      chargesCents: 1_842_000, creditPercent: 10, downtimeMinutes: 172, status: 'approved',
      slack: { channel: 'C07SLACLAIMS', ts: '1761000000.000200' },
    }),
    demoClaim({
      account: SHOP, slaId: 's3-standard', name: 'Amazon S3 — S3 Standard and all other requests', region: 'us-east-1',
      chargesCents: 931_075, creditPercent: 10, downtimeMinutes: 95, status: 'submitted',
    }),
    demoClaim({
      account: DATA, slaId: 'fargate', name: 'AWS Fargate — Multi-AZ (Region-Level) SLA', region: 'us-east-1',
      chargesCents: 794_000, creditPercent: 10, downtimeMinutes: 240, status: 'draft', provisional: true,
    }),
    demoClaim({
      account: DATA, slaId: 'lambda', name: 'AWS Lambda', region: 'us-east-1',
      chargesCents: 387_520, creditPercent: 10, downtimeMinutes: 150, status: 'draft',
      slack: { channel: 'C07SLACLAIMS', ts: '1761000000.000300' },
    }),
    demoClaim({
      account: DATA, slaId: 'api-gateway', name: 'Amazon API Gateway', region: 'us-east-1',
      chargesCents: 120_400, creditPercent: 10, downtimeMinutes: 110, status: 'rejected',
      decisionReason: 'Covered by the enterprise support credit already agreed.',
    }),
    demoClaim({
      account: PROD, slaId: 'sqs', name: 'Amazon SQS (Amazon Messaging SLA)', region: 'us-east-1',
      chargesCents: 61_240, creditPercent: 10, downtimeMinutes: 88, status: 'submitted',
    }),
    demoClaim({
      account: SHOP, slaId: 'rds-multi-az', name: 'Amazon RDS — Multi-AZ DB Instance and Multi-AZ DB Cluster SLA',
      region: 'us-east-1', resource: 'orders-prod', chargesCents: null, creditPercent: 10, downtimeMinutes: 64, status: 'draft',
    }),
  ];
}

/** A September claim still open, whose deadline (30 November) falls within 30 days of the demo run. */
export function demoUpcomingClaims(): Claim[] {
  return [
    demoClaim({
      account: SHOP, slaId: 'ebs-region', name: 'Amazon EBS — Region-Level SLA', region: 'eu-west-1', month: '2025-09',
      chargesCents: 215_300, creditPercent: 10, downtimeMinutes: 68, status: 'approved',
    }),
  ];
}
