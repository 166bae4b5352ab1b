/**
 * Writes events/demo/2025-10-20-us-east-1.json: a realistic replay of the 19–20 October 2025 us-east-1 outage
 * (timeline from AWS's post-event summary, https://aws.amazon.com/message/101925/, converted to UTC):
 * - DynamoDB API errors 06:48–09:40 UTC (DNS race; "2:40 AM PDT" recovery);
 * - EC2 launch failures 09:25–17:36, Lambda, ECS/EKS/Fargate impaired; NLB connection errors 12:30–21:09;
 * - the event closed at 14:20 PDT (21:20 UTC).
 * Delivered the way EventBridge does: one public MULTIPLE_SERVICES event updated many times, every update also sent
 * to the backup Region, some updates out of order and duplicated, to two accounts; plus an account-specific
 * event for one Network Load Balancer. Run: node bin/run-ts.js scripts/make-demo-events.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { healthEnvelope, type EnvelopeSpec } from '../tests/helpers/event-builder.ts';

const ARN = 'arn:aws:health:us-east-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE_BA540_514A652BE1A';
const ACCOUNTS = ['123456789012', '210987654321'];
const START = '2025-10-20T06:48:00Z';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/checkout/50dc6c495c0c9188';

const updates: Omit<EnvelopeSpec, 'account' | 'eventArn' | 'service' | 'eventTypeCode' | 'region' | 'start'>[] = [
  {
    lastUpdated: '2025-10-20T07:11:00Z', status: 'open',
    description: '[12:11 AM PDT] We are investigating increased error rates and latencies for multiple AWS services in the US-EAST-1 Region.\n\nThe following AWS services are impacted: DYNAMODB, LAMBDA, STS, IAM.',
  },
  {
    lastUpdated: '2025-10-20T08:26:00Z', status: 'open',
    description: '[01:26 AM PDT] We can confirm significant error rates for requests made to the DynamoDB endpoint in the US-EAST-1 Region. This issue also affects other AWS services in the US-EAST-1 Region.\n\nThe following AWS services are impacted: DYNAMODB, LAMBDA, EC2, STS, IAM.',
  },
  {
    lastUpdated: '2025-10-20T09:40:00Z', status: 'open',
    description: '[02:40 AM PDT] The underlying DNS issue has been fully mitigated, and DynamoDB requests are succeeding. Some services are still recovering; EC2 instance launches are still failing.\n\nThe following AWS services were previously impacted but are now operating normally: DYNAMODB.\n\nThe following AWS services are impacted: EC2, LAMBDA, ECS, EKS, FARGATE, STS, IAM.',
  },
  {
    lastUpdated: '2025-10-20T14:14:00Z', status: 'open',
    description: '[07:14 AM PDT] We continue to work on EC2 instance launches and network connectivity issues affecting Network Load Balancers. Lambda invocations are experiencing elevated errors.\n\nThe following AWS services were previously impacted but are now operating normally: DYNAMODB, STS, IAM.\n\nThe following AWS services are impacted: EC2, LAMBDA, ECS, EKS, FARGATE, ELASTICLOADBALANCING.',
  },
  {
    lastUpdated: '2025-10-20T21:53:00Z', status: 'closed', end: '2025-10-20T21:20:00Z',
    description: '[RESOLVED] Increased Error Rates and Latencies\n\n[02:53 PM PDT] By 2:20 PM PDT, all AWS services returned to normal operations.\n\nThe following AWS services were previously impacted but are now operating normally: DYNAMODB, EC2, LAMBDA, ECS, EKS, FARGATE, ELASTICLOADBALANCING, STS, IAM.',
  },
];

const events: Record<string, unknown>[] = [];
// Delivery order: as EventBridge might deliver — the 09:40 update arrives after the 14:14 one; backups; a duplicate.
const order = [0, 1, 3, 2, 4];
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
