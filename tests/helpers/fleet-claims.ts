/** Fleet claim fixtures (FLEET.md's example): a big part whose list is in resource-list items, and a small one inline. */
import { INLINE_RESOURCES, resourceChunksOf, sortedResources } from '../../src/claims/fleet.ts';
import { incidentKeyOf } from '../../src/claims/ids.ts';
import type { Claim, FleetPart } from '../../src/claims/types.ts';
import type { ResourceListStore } from '../../src/pipeline/ports.ts';
import { sampleClaim } from './claims.ts';

export const FLEET_ACCOUNT = '123456789012';
export const BIG_ARN = 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_BIG';
export const SMALL_ARN = 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_SMALL';

/** `n` instance ids, sorted (i-0000000000000000 …). */
export function instanceIds(n: number, prefix = 'i-0'): string[] {
  return sortedResources(Array.from({ length: n }, (_, i) => `${prefix}${i.toString(16).padStart(16, '0')}`));
}

/**
 * A fleet claim of two parts: `big` resources hit by BIG (172 min, 10 %), `small` by SMALL (30 min, 0 %). A part
 * of more than INLINE_RESOURCES keeps a sample and names chunks, written to `lists` when given.
 */
export async function fleetClaim(big: readonly string[], small: readonly string[], lists?: ResourceListStore, overrides: Partial<Claim> = {}): Promise<Claim> {
  const part = async (resources: readonly string[], arn: string, rest: Omit<FleetPart, 'incidents' | 'resourceCount' | 'resources' | 'chunks'>): Promise<FleetPart> => {
    const chunks = resources.length > INLINE_RESOURCES ? resourceChunksOf(resources) : undefined;
    if (chunks && lists) await lists.putResourceLists(chunks);
    return {
      incidents: [incidentKeyOf(FLEET_ACCOUNT, arn)],
      resourceCount: resources.length,
      resources: chunks ? resources.slice(0, INLINE_RESOURCES) : [...resources],
      ...(chunks ? { chunks: chunks.map((c) => c.id) } : {}),
      ...rest,
    };
  };
  const base = sampleClaim();
  const evidence = [
    { ...base.evidence[0]!, eventArn: BIG_ARN, service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', affectedResources: big.slice(0, 20), affectedResourceCount: big.length },
    { ...base.evidence[0]!, eventArn: SMALL_ARN, service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', startTime: '2025-10-21T10:00:00.000Z', endTime: '2025-10-21T10:30:00.000Z', affectedResources: small.slice(0, 20), affectedResourceCount: small.length },
  ];
  const parts = [
    await part(big, BIG_ARN, { downtimeMinutes: 172, uptimePercent: 99.6147, creditPercent: 10, tierText: 'less than 99.5 % but equal to or greater than 99.0 % → 10 % credit', chargesCents: 200000, creditCents: 20000 }),
    await part(small, SMALL_ARN, { downtimeMinutes: 30, uptimePercent: 99.9328, creditPercent: 0, tierText: null, chargesCents: 5000, creditCents: 0 }),
  ];
  return sampleClaim({
    claimId: `${FLEET_ACCOUNT}#ec2-instance#us-east-1#2025-10`,
    account: FLEET_ACCOUNT,
    slaId: 'ec2-instance',
    resource: null,
    downtimeMinutes: 172,
    uptimePercent: 99.6147,
    creditPercent: 10,
    chargesCents: 205000,
    creditCents: 20000,
    evidence,
    terms: { versionDate: '2022-05-25', confirmed: true, unconfirmed: [] },
    slaClause: {
      slaId: 'ec2-instance',
      name: 'Amazon EC2 — Instance-Level SLA',
      commitmentPercent: '99.5',
      measurement: 'minutes-unavailable',
      tierText: 'less than 99.5 % but equal to or greater than 99.0 % → 10 % credit',
      creditBaseText: 'the charges for each affected Single EC2 Instance',
      sourceUrl: 'https://aws.amazon.com/compute/sla/',
      sourceLastUpdated: null,
      negotiated: false,
    },
    fleet: { resourceCount: big.length + small.length, parts },
    ...overrides,
  });
}
