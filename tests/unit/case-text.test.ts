/**
 * The AWS Support case text, per SLA kind, against golden files (tests/unit/__golden__/case-*.txt; review a change
 * with `npx vitest run tests/unit/case-text.test.ts -u` and read the diff). Each also checks, independently of the
 * golden text, that subject and body carry every field the SLA page asks for.
 */
import { describe, expect, it } from 'vitest';
import { filingToken } from '../../src/claims/lifecycle.ts';
import type { Claim } from '../../src/claims/types.ts';
import { buildCaseText, caseTextForClaim, MAX_BODY_CHARS, tokenLine } from '../../src/filing/case-text.ts';
import { getSla } from '../../src/sla/index.ts';
import { sampleClaim } from '../helpers/claims.ts';

const confirmed = { versionDate: '2023-06-01', confirmed: true, unconfirmed: [] };

const regionErrorRate = sampleClaim({ terms: confirmed });

const measured = sampleClaim({
  claimId: '123456789012#dynamodb#us-east-1#2025-10#measured',
  terms: confirmed,
  downtimeMinutes: 95,
  uptimePercent: 99.7872,
  basis: { kind: 'measured', metrics: ['AWS/DynamoDB SystemErrors (Sum)', 'AWS/DynamoDB SuccessfulRequestLatency (SampleCount)'], resourceCount: 3, intervalCount: 8928 },
  evidence: [{ ...sampleClaim().evidence[0]!, affectedResources: ['orders', 'sessions', 'carts'], affectedResourceCount: 3 }],
});

const lb = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/checkout/50dc6c495c0c9188';
const resourceLevel = sampleClaim({
  claimId: `123456789012#elb-multi-az#${lb}#2025-10`,
  slaId: 'elb-multi-az',
  resource: lb,
  downtimeMinutes: 519,
  uptimePercent: 98.8374,
  creditPercent: 30,
  chargesCents: 61240,
  creditCents: 18372,
  terms: { versionDate: '2022-07-25', confirmed: true, unconfirmed: [] },
  evidence: [
    {
      eventArn: 'arn:aws:health:us-east-1::event/ELASTICLOADBALANCING/AWS_ELASTICLOADBALANCING_OPERATIONAL_ISSUE/AWS_ELASTICLOADBALANCING_OPERATIONAL_ISSUE_NLB_1A2B3',
      service: 'ELASTICLOADBALANCING',
      eventTypeCode: 'AWS_ELASTICLOADBALANCING_OPERATIONAL_ISSUE',
      region: 'us-east-1',
      startTime: '2025-10-20T07:11:00.000Z',
      endTime: '2025-10-20T15:50:00.000Z',
      statusCode: 'closed',
      description: 'Connectivity issues for Network Load Balancers.',
      affectedResources: [lb],
      affectedResourceCount: 1,
    },
  ],
  slaClause: {
    slaId: 'elb-multi-az',
    name: 'Elastic Load Balancing — Multi-AZ',
    commitmentPercent: '99.99',
    measurement: 'minutes-unavailable',
    tierText: 'less than 99.0 % but equal to or greater than 95.0 % → 30 % credit',
    creditBaseText: 'the charges for the affected load balancer',
    sourceUrl: 'https://aws.amazon.com/elasticloadbalancing/sla/',
    sourceLastUpdated: '2022-07-25',
    negotiated: false,
  },
});

const route53 = sampleClaim({
  claimId: '123456789012#route53#global#2025-10',
  slaId: 'route53',
  region: 'global',
  downtimeMinutes: 45,
  uptimePercent: 99.8992,
  creditPercent: 0,
  creditDays: 7,
  chargesCents: 31000,
  creditCents: 7000,
  evidence: [
    {
      ...sampleClaim().evidence[0]!,
      eventArn: 'arn:aws:health:global::event/ROUTE53/AWS_ROUTE53_OPERATIONAL_ISSUE/AWS_ROUTE53_OPERATIONAL_ISSUE_R53',
      service: 'ROUTE53',
      eventTypeCode: 'AWS_ROUTE53_OPERATIONAL_ISSUE',
      region: 'global',
      startTime: '2025-10-20T08:00:00.000Z',
      endTime: '2025-10-20T08:45:00.000Z',
    },
  ],
  slaClause: {
    slaId: 'route53',
    name: 'Amazon Route 53',
    commitmentPercent: '100',
    measurement: 'days-of-charges',
    tierText: '31–240 min → 7 days of average daily query charges',
    creditBaseText: 'your average daily Route 53 query charges',
    sourceUrl: 'https://aws.amazon.com/route53/sla/',
    sourceLastUpdated: null,
    negotiated: false,
  },
});

function checkRequiredFields(claim: Claim, subject: string, body: string) {
  const sla = getSla(claim.slaId)!;
  expect(subject.startsWith(sla.claim.subject)).toBe(true);
  expect(subject).toContain(claim.month);
  expect(body).toContain(`Account: ${claim.account}`);
  expect(body).toContain(`AWS Region: ${claim.region}`);
  for (const e of claim.evidence) {
    expect(body).toContain(e.eventArn);
    // Each incident window in UTC.
    expect(body).toContain(`${e.startTime.slice(0, 10)} ${e.startTime.slice(11, 16)} UTC to ${e.endTime!.slice(0, 10)} ${e.endTime!.slice(11, 16)} UTC`);
    for (const r of e.affectedResources) expect(body).toContain(r);
  }
  if (claim.resource) expect(body).toContain(`Resource: ${claim.resource}`);
  expect(body).toContain(`Tier: ${claim.slaClause.tierText}`);
  expect(body).toContain(claim.slaClause.sourceUrl);
  for (const item of sla.claim.evidence) expect(body).toContain(`- ${item}:`);
  expect(body).toContain(tokenLine(filingToken(claim.claimId)));
  expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
}

describe('case text per SLA kind (golden files)', () => {
  it.each([
    ['region-error-rate', regionErrorRate],
    ['region-measured', measured],
    ['resource-level', resourceLevel],
    ['route53-days', route53],
  ] as const)('%s', async (name, claim) => {
    const text = caseTextForClaim(claim, name === 'region-measured' ? { attachments: ['dynamodb-us-east-1-2025-10.csv', 'dynamodb-us-east-1-2025-10.png'] } : {});
    checkRequiredFields(claim, text.subject, text.body);
    await expect(`Subject: ${text.subject}\n\n${text.body}\n`).toMatchFileSnapshot(`__golden__/case-${name}.txt`);
  });

  it('states the basis: measured figures, or the Health-window estimate as an upper bound', () => {
    expect(caseTextForClaim(measured).body).toContain('Basis of the downtime: measured from our CloudWatch metrics (AWS/DynamoDB SystemErrors (Sum)');
    expect(caseTextForClaim(regionErrorRate).body).toContain('Basis of the downtime: estimate: AWS Health window, an upper bound');
  });

  it('states the credit and the charges it is computed on', () => {
    expect(caseTextForClaim(regionErrorRate).body).toContain('Credit requested: 10 % of $5,000.00 = $500.00');
    expect(caseTextForClaim(route53).body).toContain('Credit requested: 7 day(s) of average daily charges = $70.00');
    expect(caseTextForClaim(resourceLevel).body).toContain('Charges the credit is computed on: $612.40, the charges for the affected load balancer');
  });

  it('stays within the 8,000-character body of CreateCase with 50 incidents of 20 resources each, counting what it leaves out', () => {
    const evidence = Array.from({ length: 50 }, (_, i) => ({
      ...sampleClaim().evidence[0]!,
      eventArn: `arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/EVENT_${String(i).padStart(3, '0')}_${'x'.repeat(60)}`,
      affectedResources: Array.from({ length: 20 }, (_, k) => `table-${i}-${k}-${'y'.repeat(30)}`),
      affectedResourceCount: 400,
    }));
    const { body } = buildCaseText(sampleClaim({ evidence }), getSla('dynamodb')!.claim);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body).toMatch(/\+\d+ more incidents/);
    expect(body.endsWith(tokenLine(filingToken(sampleClaim().claimId)))).toBe(true);
  });

  it('the token is the same for every attempt and differs between claims', () => {
    expect(filingToken('a#b')).toBe(filingToken('a#b'));
    expect(filingToken('a#b')).not.toBe(filingToken('a#c'));
    expect(filingToken('a#b')).toMatch(/^slac-[0-9a-f]{20}$/);
  });
});
