/**
 * Writes events/demo/2025-10-20-us-east-1.json: a replay of the 19–20 October 2025 us-east-1 outage that follows AWS's
 * published timeline, the post-event summary https://aws.amazon.com/message/101925/ ("While the event started at
 * 11:48 PM PDT on October 19 and ended at 2:20 PM PDT on October 20, there were three distinct periods of impact to
 * customer applications."). Its times, converted to UTC (PDT + 7 h):
 * - DynamoDB API errors 06:48–09:40 ("between 11:48 PM on October 19 and 2:40 AM on October 20");
 * - EC2 API errors and launch failures 06:48–20:50 (launches failed 09:25–17:36, "some newly launched instances
 *   experienced connectivity issues which were resolved by 1:50 PM"); running instances were not affected;
 * - Lambda 06:51–21:15; STS 06:51–08:19, impacted again 15:31–16:59 (the same summary's sections on the other AWS
 *   services, as collected in the project's research notes; the copy of the page read here showed its opening only);
 * - Network Load Balancer connection errors 12:30–21:09 ("between 5:30 AM and 2:09 PM on October 20");
 * - ECS/EKS/Fargate until the event end, 21:20.
 * One public MULTIPLE_SERVICES event whose updates list the impacted and recovered services in Health's wording ("The
 * following AWS services were previously impacted but are now operating normally: …", AWS's sample event), each
 * update posted at the instant the summary dates the change, so the per-service windows derived from the updates
 * (src/pipeline/windows.ts) reproduce the summary. Delivered the way EventBridge does: every update also to the backup
 * Region, some out of order, one duplicated, to two accounts; plus an account-specific event for one Network Load
 * Balancer. Run: node bin/run-ts.js scripts/make-demo-events.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { healthEnvelope, type EnvelopeSpec } from '../tests/helpers/event-builder.ts';

const ARN = 'arn:aws:health:us-east-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE_BA540_514A652BE1A';
const ACCOUNTS = ['123456789012', '210987654321'];
const START = '2025-10-20T06:48:00Z';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/checkout/50dc6c495c0c9188';

/** One update's text: what happened, then Health's two lists. */
function text(headline: string, impacted: string[], recovered: string[]): string {
  const parts = [headline];
  if (recovered.length) parts.push(`The following AWS services were previously impacted but are now operating normally: ${recovered.join(', ')}.`);
  if (impacted.length) parts.push(`The following AWS services are impacted: ${impacted.join(', ')}.`);
  return parts.join('\n\n');
}

const CONTAINERS = ['ECS', 'EKS', 'FARGATE'];
const updates: Omit<EnvelopeSpec, 'account' | 'eventArn' | 'service' | 'eventTypeCode' | 'region' | 'start'>[] = [
  {
    lastUpdated: '2025-10-20T06:50:00Z', status: 'open',
    description: text('[11:50 PM PDT] We are investigating increased error rates and latencies for multiple AWS services in the US-EAST-1 Region.', ['DYNAMODB', 'EC2'], []),
  },
  {
    lastUpdated: '2025-10-20T06:51:00Z', status: 'open',
    description: text('[11:51 PM PDT] We can confirm significant error rates for requests made to the DynamoDB endpoint in the US-EAST-1 Region. This issue also affects other AWS services in the US-EAST-1 Region.', ['DYNAMODB', 'EC2', 'LAMBDA', 'STS'], []),
  },
  {
    lastUpdated: '2025-10-20T08:19:00Z', status: 'open',
    description: text('[01:19 AM PDT] STS requests are succeeding again. We continue to work on the DynamoDB endpoint errors.', ['DYNAMODB', 'EC2', 'LAMBDA'], ['STS']),
  },
  {
    lastUpdated: '2025-10-20T09:40:00Z', status: 'open',
    description: text('[02:40 AM PDT] The underlying DNS issue has been fully mitigated, and DynamoDB requests are succeeding. EC2 instance launches are still failing; running EC2 instances are not affected.', ['EC2', 'LAMBDA', ...CONTAINERS], ['STS', 'DYNAMODB']),
  },
  {
    lastUpdated: '2025-10-20T12:30:00Z', status: 'open',
    description: text('[05:30 AM PDT] We are investigating increased connection errors for some Network Load Balancers, caused by health check failures. EC2 instance launches remain impaired and Lambda invocations are experiencing elevated errors.', ['EC2', 'LAMBDA', ...CONTAINERS, 'ELASTICLOADBALANCING'], ['DYNAMODB', 'STS']),
  },
  {
    lastUpdated: '2025-10-20T15:31:00Z', status: 'open',
    description: text('[08:31 AM PDT] We are seeing increased error rates for STS requests again.', ['EC2', 'LAMBDA', ...CONTAINERS, 'ELASTICLOADBALANCING', 'STS'], ['DYNAMODB']),
  },
  {
    lastUpdated: '2025-10-20T16:59:00Z', status: 'open',
    description: text('[09:59 AM PDT] STS error rates have returned to normal. EC2 instance launches are succeeding again in most Availability Zones.', ['EC2', 'LAMBDA', ...CONTAINERS, 'ELASTICLOADBALANCING'], ['DYNAMODB', 'STS']),
  },
  {
    lastUpdated: '2025-10-20T20:50:00Z', status: 'open',
    description: text('[01:50 PM PDT] EC2 API errors and instance launch failures have recovered, and newly launched instances have network connectivity.', ['LAMBDA', ...CONTAINERS, 'ELASTICLOADBALANCING'], ['DYNAMODB', 'STS', 'EC2']),
  },
  {
    lastUpdated: '2025-10-20T21:09:00Z', status: 'open',
    description: text('[02:09 PM PDT] Network Load Balancer connection errors have recovered.', ['LAMBDA', ...CONTAINERS], ['DYNAMODB', 'STS', 'EC2', 'ELASTICLOADBALANCING']),
  },
  {
    lastUpdated: '2025-10-20T21:15:00Z', status: 'open',
    description: text('[02:15 PM PDT] Lambda invocations and event source polling have recovered.', CONTAINERS, ['DYNAMODB', 'STS', 'EC2', 'ELASTICLOADBALANCING', 'LAMBDA']),
  },
  {
    lastUpdated: '2025-10-20T21:53:00Z', status: 'closed', end: '2025-10-20T21:20:00Z',
    description: text('[RESOLVED] Increased Error Rates and Latencies\n\n[02:53 PM PDT] By 2:20 PM PDT, all AWS services returned to normal operations.', [], ['DYNAMODB', 'STS', 'EC2', 'ELASTICLOADBALANCING', 'LAMBDA', ...CONTAINERS]),
  },
];

const events: Record<string, unknown>[] = [];
// Delivery order: as EventBridge might deliver — some updates after later ones (09:40 after 12:30, 16:59 after 20:50,
// 21:09 after 21:15); backup copies; a duplicate.
const order = [0, 1, 2, 4, 3, 5, 7, 6, 9, 8, 10];
for (const index of order) {
  const update = updates[index]!;
  for (const account of ACCOUNTS) {
    const spec: EnvelopeSpec = {
      account, eventArn: ARN, service: 'MULTIPLE_SERVICES', eventTypeCode: 'AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE',
      region: 'us-east-1', start: START, ...update,
    };
    events.push(healthEnvelope(spec));
    events.push(healthEnvelope({ ...spec, backup: true }));
    if (index === 1) events.push(healthEnvelope(spec)); // an exact duplicate delivery
  }
}
// The account-specific Network Load Balancer event, opened and then closed.
const nlb = {
  account: '123456789012',
  eventArn: 'arn:aws:health:us-east-1::event/ELASTICLOADBALANCING/AWS_ELASTICLOADBALANCING_OPERATIONAL_ISSUE/AWS_ELASTICLOADBALANCING_OPERATIONAL_ISSUE_8F2A1_3C9D7E11B04',
  service: 'ELASTICLOADBALANCING',
  eventTypeCode: 'AWS_ELASTICLOADBALANCING_OPERATIONAL_ISSUE',
  scope: 'ACCOUNT_SPECIFIC' as const,
  region: 'us-east-1',
  start: '2025-10-20T12:30:00Z',
  entities: [{ entityValue: NLB, status: 'IMPAIRED' }],
};
events.push(healthEnvelope({
  ...nlb, lastUpdated: '2025-10-20T13:05:00Z', status: 'open',
  description: 'We are investigating increased connection errors for your Network Load Balancer in the US-EAST-1 Region, caused by health check failures.',
}));
events.push(healthEnvelope({
  ...nlb, lastUpdated: '2025-10-20T21:30:00Z', status: 'closed', end: '2025-10-20T21:09:00Z',
  entities: [{ entityValue: NLB, status: 'RESOLVED' }],
  description: 'Between 5:30 AM and 2:09 PM PDT, your Network Load Balancer experienced increased connection errors. The issue has been resolved.',
}));
events.push(healthEnvelope({
  ...nlb, lastUpdated: '2025-10-20T21:30:00Z', status: 'closed', end: '2025-10-20T21:09:00Z', backup: true,
  entities: [{ entityValue: NLB, status: 'RESOLVED' }],
  description: 'Between 5:30 AM and 2:09 PM PDT, your Network Load Balancer experienced increased connection errors. The issue has been resolved.',
}));

mkdirSync('events/demo', { recursive: true });
writeFileSync('events/demo/2025-10-20-us-east-1.json', `${JSON.stringify(events, null, 2)}\n`);
console.log(`wrote ${events.length} events to events/demo/2025-10-20-us-east-1.json`);
