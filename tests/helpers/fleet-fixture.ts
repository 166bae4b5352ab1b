/** Hand-made fleet claims (FLEET.md's example): one EC2 Instance-Level claim covering many instances, in groups. */
import type { Claim, FleetPart } from '../../src/claims/types.ts';
import { sampleClaim } from './claims.ts';

const ACCOUNT = '123456789012';

/** `count` sorted instance ARNs `…instance/i-<prefix><n>` (17 hex-ish digits). */
export function instanceIds(count: number, prefix = '0'): string[] {
  return Array.from({ length: count }, (_, i) => `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-${prefix}${i.toString(16).padStart(16, '0')}`);
}

export function fleetPart(overrides: Partial<FleetPart> = {}): FleetPart {
  return {
    incidents: [`${ACCOUNT}#arn:aws:health:us-east-1::event/EC2/AWS_EC2_INSTANCE_IMPAIRED/BIG`],
    resourceCount: 3,
    resources: ['i-a', 'i-b', 'i-c'],
    downtimeMinutes: 30,
    uptimePercent: 99.9328,
    creditPercent: 0,
    tierText: null,
    chargesCents: 5000,
    creditCents: 0,
    ...overrides,
  };
}

/** FLEET.md's example: 10 000 instances down 172 min (charges unknown), 3 down 30 min (no credit). */
export function fleetClaim(overrides: Partial<Claim> = {}, parts?: FleetPart[]): Claim {
  const all = parts ?? [
    fleetPart({
      resourceCount: 10_000,
      resources: instanceIds(20),
      chunks: ['a'.repeat(64), 'b'.repeat(64)],
      downtimeMinutes: 172,
      uptimePercent: 99.6147,
      creditPercent: 10,
      tierText: 'less than 99.5 % but equal to or greater than 99.0 % → 10 %',
      chargesCents: null,
      creditCents: null,
    }),
    fleetPart({ incidents: [`${ACCOUNT}#arn:aws:health:us-east-1::event/EC2/AWS_EC2_INSTANCE_IMPAIRED/SMALL`] }),
  ];
  const worst = all[0]!;
  const sum = (f: (p: FleetPart) => number | null) => (all.every((p) => f(p) !== null) ? all.reduce((n, p) => n + f(p)!, 0) : null);
  const creditCents = sum((p) => p.creditCents);
  const chargesCents = sum((p) => p.chargesCents);
  return sampleClaim({
    claimId: `${ACCOUNT}#ec2-instance#us-east-1#2025-10`,
    slaId: 'ec2-instance',
    region: 'us-east-1',
    resource: null,
    downtimeMinutes: worst.downtimeMinutes,
    uptimePercent: worst.uptimePercent,
    creditPercent: worst.creditPercent,
    chargesCents,
    creditCents,
    chargesKnown: chargesCents !== null,
    claimable: creditCents !== null && creditCents > 100,
    slaClause: {
      slaId: 'ec2-instance',
      name: 'Amazon EC2 — Instance-Level SLA',
      commitmentPercent: '99.5',
      measurement: 'minutes-unavailable',
      tierText: worst.tierText ?? 'commitment met',
      creditBaseText: 'the charges for the affected instance',
      sourceUrl: 'https://aws.amazon.com/compute/sla/',
      sourceLastUpdated: null,
      negotiated: false,
    },
    fleet: { resourceCount: all.reduce((n, p) => n + p.resourceCount, 0), parts: all },
    // As buildClaim writes it: the count top-level too, for the summary's narrow month read.
    resourceCount: all.reduce((n, p) => n + p.resourceCount, 0),
    ...overrides,
  });
}
