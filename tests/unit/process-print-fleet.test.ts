/** `process` output of a fleet claim: its resource count in the table, then one compact line per group. */
import { describe, expect, it } from 'vitest';
import { basisLines, claimsTable, fleetLines } from '../../src/cli/process-print.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { fleetClaim, fleetPart } from '../helpers/fleet-fixture.ts';

const NOW = Date.parse('2025-10-22T00:00:00Z');

describe('claimsTable: fleet claims', () => {
  it('shows the resource count in the table and each group on one line: count, downtime, credit, ≤ 3 ids then "+N more"', () => {
    const out = claimsTable([fleetClaim(), sampleClaim()], NOW).split('\n');
    const row = out.find((l) => l.includes('ec2-instance'));
    expect(row).toContain('us-east-1 · 10,003 resources');
    const start = out.indexOf('fleet claims: one claim for all the affected resources, in groups hit by the same events:');
    expect(start).toBeGreaterThan(0);
    expect(out.slice(start + 1, start + 4)).toEqual([
      '  123456789012 ec2-instance us-east-1 2025-10: 10,003 resources in 2 groups',
      `    10,000 resources · 172 min down · credit 10 % · charges unknown · instance/i-00000000000000000, instance/i-00000000000000001, instance/i-00000000000000002 +9,997 more`,
      '    3 resources · 30 min down · credit 0 % · $0.00 · i-a, i-b, i-c',
    ]);
    // The terms legend stays last.
    expect(out.at(-1)).toMatch(/^⚠ terms unconfirmed/);
  });

  it('lists at most 5 groups per claim, then "+ N more groups, M resources"', () => {
    const parts = Array.from({ length: 8 }, (_, i) => fleetPart({ resourceCount: 2, resources: [`i-${i}a`, `i-${i}b`], downtimeMinutes: 100 - i }));
    const lines = fleetLines([fleetClaim({}, parts)]);
    expect(lines.filter((l) => l.startsWith('    2 resources'))).toHaveLength(5);
    expect(lines.at(-1)).toBe('    + 3 more groups, 6 resources');
  });

  it('prints nothing more for claims without a fleet, and names a measured fleet by its count', () => {
    expect(fleetLines([sampleClaim(), sampleClaim({ resource: 'i-legacy' })])).toEqual([]);
    expect(claimsTable([sampleClaim({ resource: 'i-legacy' })], NOW)).not.toContain('fleet claims');
    const measured = fleetClaim({ basis: { kind: 'measured', metrics: ['AWS/EC2 StatusCheckFailed (Maximum)'], resourceCount: 10_003, intervalCount: 10, note: 'measured' } });
    expect(basisLines([measured])).toContain('  123456789012 ec2-instance us-east-1 · 10,003 resources 2025-10: measured');
  });
});
