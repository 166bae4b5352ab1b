/** `process` output shows claims computed on unconfirmed SLA terms (issue 10, rule 7) and newer versions (rule 6). */
import { describe, expect, it } from 'vitest';
import { claimsTable, termsLegend } from '../../src/cli/process-print.ts';
import { sampleClaim } from '../helpers/claims.ts';

const NOW = Date.parse('2025-10-22T00:00:00Z');
const confirmed = sampleClaim({ slaId: 'rds-multi-az', terms: { versionDate: '2024-01-22', confirmed: true, unconfirmed: [] } });
const unconfirmed = sampleClaim({ terms: { versionDate: null, confirmed: false, unconfirmed: ['tiers: from third-party copies'] } });

describe('claimsTable: the terms marker and its legend', () => {
  it('marks an unconfirmed claim ⚠ in the sla column and explains the mark in a legend line', () => {
    const out = claimsTable([confirmed, unconfirmed], NOW);
    const lines = out.split('\n');
    expect(lines.find((l) => l.includes('rds-multi-az'))).not.toContain('⚠');
    expect(lines.find((l) => l.includes(' dynamodb'))).toMatch(/dynamodb ⚠/);
    expect(lines.at(-1)).toMatch(/^⚠ terms unconfirmed: .*never filed automatically\.$/);
  });

  it('treats a claim stored before terms existed as unconfirmed', () => {
    const { terms: _none, ...old } = unconfirmed;
    expect(claimsTable([old], NOW)).toContain('dynamodb ⚠');
  });

  it('prints no legend when every claim is confirmed, and † with the date when a newer version took effect in the month', () => {
    expect(termsLegend([confirmed])).toEqual([]);
    expect(claimsTable([confirmed], NOW)).not.toContain('⚠');
    const newer = sampleClaim({ terms: { versionDate: '2019-07-31', confirmed: true, unconfirmed: [], newVersionInMonth: '2023-11-28' } });
    const out = claimsTable([newer], NOW);
    expect(out).toContain('dynamodb †');
    expect(out).toContain('† a newer SLA version took effect during the claim\'s month (2023-11-28)');
  });
});
