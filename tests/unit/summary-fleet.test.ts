/** The monthly summary shows a fleet claim (one claim, many resources) by its count, never by its resources. */
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { buildSummaryModel, SUMMARY_FIELDS, type SummaryClaim } from '../../src/summary/model.ts';
import { renderSummaryEmail } from '../../src/summary/render.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { fleetClaim, fleetPart, instanceIds } from '../helpers/fleet-fixture.ts';

const NOW = Date.parse('2025-11-01T08:00:00Z');
const MONTH = '2025-10';

/** What the narrow month read returns: SUMMARY_FIELDS only, plus a top-level count when the store writes one. */
function projected(claim: Claim, extra: { resourceCount?: number } = {}): SummaryClaim {
  const picked = Object.fromEntries(SUMMARY_FIELDS.filter((f) => claim[f] !== undefined).map((f) => [f, claim[f]])) as unknown as SummaryClaim;
  return { ...picked, ...extra };
}

describe('summary: fleet claims', () => {
  const fleet = fleetClaim({ status: 'pending_approval' });
  const ids = fleet.fleet!.parts.flatMap((p) => p.resources);

  it('shows "N resources" where a per-resource claim shows its resource, in every list, and no resource id', () => {
    const legacy = sampleClaim({ claimId: 'legacy', slaId: 'ec2-instance', resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-legacy', status: 'submitted' });
    const region = sampleClaim({ claimId: 'region', status: 'draft' });
    const model = buildSummaryModel({ month: MONTH, claims: [fleet, legacy, region], nowMs: NOW });
    const line = model.needsAction.find((l) => l.claimId === fleet.claimId);
    expect(line?.resourceCount).toBe(10_003);
    expect(line?.resource).toBeNull();
    expect(model.needsAction.find((l) => l.claimId === 'region')?.resourceCount).toBeNull();
    expect(model.filed.find((l) => l.claimId === 'legacy')?.resourceCount).toBeNull();
    const email = renderSummaryEmail(model);
    for (const part of [email.html, email.text]) {
      expect(part).toContain('us-east-1 · 10,003 resources');
      expect(part).toContain('us-east-1 · arn:aws:ec2:us-east-1:123456789012:instance/i-legacy');
      for (const id of ids) expect(part).not.toContain(id);
    }
    // Needs action and the CHARGES UNKNOWN flag both name the fleet by its count.
    expect(email.text).toContain('* Amazon EC2, us-east-1 · 10,003 resources, account 123456789012');
    expect(email.text).toContain('* CHARGES UNKNOWN: Amazon EC2 us-east-1 · 10,003 resources, account 123456789012');
  });

  it('reads the count from a top-level resourceCount on a narrow (projected) read without fleet', () => {
    const read = projected(fleet, { resourceCount: 10_003 });
    expect('fleet' in read).toBe(false);
    const model = buildSummaryModel({ month: MONTH, claims: [read], nowMs: NOW });
    expect(model.needsAction[0]?.resourceCount).toBe(10_003);
    expect(renderSummaryEmail(model).text).toContain('us-east-1 · 10,003 resources');
  });

  it('refuses a resourceCount that is not a non-negative integer, naming the claim', () => {
    const read = projected(fleet, { resourceCount: 1.5 });
    expect(() => buildSummaryModel({ month: MONTH, claims: [read], nowMs: NOW })).toThrow(`claim ${fleet.claimId}: resourceCount must be a non-negative integer (got 1.5)`);
  });

  it('keeps a 10 000-claim month of big fleets under 100 KB, each line a count, none listing its resources', () => {
    const parts = [fleetPart({ resourceCount: 10_000, resources: instanceIds(20), chunks: ['c'.repeat(64)], downtimeMinutes: 172, creditPercent: 10, chargesCents: 900_000, creditCents: 90_000 })];
    const claims = Array.from({ length: 10_000 }, (_, i) => {
      const account = String(100_000_000_000 + i).padStart(12, '0');
      return fleetClaim({ claimId: `${account}#ec2-instance#us-east-1#${MONTH}`, account, status: i % 3 === 0 ? 'submitted' : 'pending_approval', provisional: i % 2 === 0 }, parts);
    });
    const email = renderSummaryEmail(buildSummaryModel({ month: MONTH, claims, nowMs: NOW }));
    expect(Buffer.byteLength(email.html)).toBeLessThan(100 * 1024);
    expect(Buffer.byteLength(email.text)).toBeLessThan(100 * 1024);
    for (const part of [email.html, email.text]) {
      expect(part).toContain('us-east-1 · 10,000 resources');
      expect(part).not.toContain('instance/i-0');
    }
  });
});
