/**
 * SLA versions by date and confirmed terms (issue 10, rules 6 and 7): the version in force at an instant, the claim
 * that uses it and says so (claim.terms, slaClause), and the flag when a newer version took effect in the month.
 */
import { describe, expect, it } from 'vitest';
import { buildClaim, type ClaimScope } from '../../src/claims/build.ts';
import type { IncidentWindow } from '../../src/claims/types.ts';
import {
  SLA_CATALOG,
  SLA_PRIOR_VERSIONS,
  SlaDefinitionSchema,
  getSla,
  newVersionBetween,
  slaInForce,
  slaVersions,
  versionInForce,
  type SlaPriorVersion,
} from '../../src/sla/index.ts';
import type { SlaDefinition } from '../../src/sla/types.ts';
import { percentSla } from '../helpers/slas.ts';

const t = (iso: string) => Date.parse(iso);

function sla(id: string): SlaDefinition {
  const found = getSla(id);
  if (!found) throw new Error(`missing SLA ${id}`);
  return found;
}

// ─────────────────────────── a test catalog with two versions ───────────────────────────

const current = percentSla({
  id: 'test-versioned',
  commitmentPercent: '99.9',
  tiers: [
    { below: '99.9', atLeast: '99.0', creditPercent: 10 },
    { below: '99.0', atLeast: null, creditPercent: 30 },
  ],
  creditBaseText: 'new base',
  source: { url: 'https://example.invalid/sla', lastUpdated: '2025-10-15', verified: true, notes: 'read', unconfirmed: [] },
  claim: { subject: 'SLA Credit Request', evidence: ['the dates and times of each incident'] },
});
const prior: SlaPriorVersion[] = [
  {
    effectiveFrom: '2024-01-01',
    changes: {
      commitmentPercent: '99.5',
      tiers: [
        { below: '99.5', atLeast: '99.0', creditPercent: 10 },
        { below: '99.0', atLeast: null, creditPercent: 100 },
      ],
      creditBaseText: 'old base',
    },
    source: { url: 'https://example.invalid/sla/historical', notes: 'read on the prior page', unconfirmed: [{ part: 'tiers', detail: 'lower row cut off' }] },
  },
];
const TEST_CATALOG = [current];
const TEST_PRIOR = { 'test-versioned': prior };

describe('slaInForce: the definition in force at an instant (test catalog with two versions)', () => {
  it('switches to the new version at 00:00 UTC on its date', () => {
    expect(slaInForce('test-versioned', t('2025-10-14T23:59:59.999Z'), TEST_CATALOG, TEST_PRIOR)).toMatchObject({
      commitmentPercent: '99.5',
      creditBaseText: 'old base',
      source: { url: 'https://example.invalid/sla/historical', lastUpdated: '2024-01-01', verified: false },
    });
    expect(slaInForce('test-versioned', t('2025-10-15T00:00:00Z'), TEST_CATALOG, TEST_PRIOR)).toBe(current);
    expect(slaInForce('test-versioned', t('2026-06-01T00:00:00Z'), TEST_CATALOG, TEST_PRIOR)).toBe(current);
  });

  it('keeps what a prior version does not change, and builds a valid definition', () => {
    const old = slaInForce('test-versioned', t('2024-06-01T00:00:00Z'), TEST_CATALOG, TEST_PRIOR)!;
    expect(old.tiers.map((x) => x.creditPercent)).toEqual([10, 100]);
    expect(old.measurementText).toBe(current.measurementText);
    expect(SlaDefinitionSchema.safeParse(old).success).toBe(true);
  });

  it('uses the oldest version before it, marked not known in force; unknown ids give undefined', () => {
    const early = versionInForce(current, t('2023-12-31T23:59:59Z'), prior);
    expect(early).toMatchObject({ versionDate: '2024-01-01', known: false });
    expect(slaInForce('nope', t('2025-01-01T00:00:00Z'), TEST_CATALOG, TEST_PRIOR)).toBeUndefined();
  });

  it('finds a newer version that took effect inside a month, and none outside it', () => {
    const oct = [t('2025-10-01T00:00:00Z'), t('2025-11-01T00:00:00Z')] as const;
    expect(newVersionBetween(current, '2024-01-01', ...oct, prior)).toBe('2025-10-15');
    expect(newVersionBetween(current, '2025-10-15', ...oct, prior)).toBeUndefined();
    expect(newVersionBetween(current, '2024-01-01', t('2025-11-01T00:00:00Z'), t('2025-12-01T00:00:00Z'), prior)).toBeUndefined();
  });

  it('counts an undated current version from the newest prior version on', () => {
    const undated = { ...current, source: { ...current.source, lastUpdated: null } };
    expect(versionInForce(undated, t('2023-06-01T00:00:00Z'), prior).versionDate).toBe('2024-01-01');
    expect(versionInForce(undated, t('2024-01-01T00:00:00Z'), prior)).toMatchObject({ versionDate: null, known: true });
  });
});

describe('the real prior versions (read on AWS "prior versions" pages)', () => {
  it('are dated, newest first, older than the current version, and build valid definitions', () => {
    for (const [id, versions] of Object.entries(SLA_PRIOR_VERSIONS)) {
      const entry = sla(id);
      const dates = versions.map((v) => v.effectiveFrom);
      expect([...dates].sort().reverse()).toEqual(dates);
      if (entry.source.lastUpdated) expect(dates.every((d) => d < entry.source.lastUpdated!)).toBe(true);
      for (const built of slaVersions(entry)) {
        const parsed = SlaDefinitionSchema.safeParse(built);
        expect(parsed.success ? [] : parsed.error.issues.map((i) => `${id}@${built.source.lastUpdated}: ${i.message}`)).toEqual([]);
        expect(built.source.url).toMatch(/^https:\/\/aws\.amazon\.com\//);
      }
    }
  });

  it('S3 before November 28, 2023 is the July 31, 2019 version: service (not storage-class) base, 10 / 25 / 100 read', () => {
    const old = slaInForce('s3-standard', t('2023-11-27T12:00:00Z'))!;
    expect(old.source).toMatchObject({ url: 'https://aws.amazon.com/s3/sla/historical/', lastUpdated: '2019-07-31', verified: true });
    expect(old.creditBaseText).toContain('applicable Amazon S3 Service');
    expect(old.tiers.map((x) => x.creditPercent)).toEqual([10, 25, 100]);
    expect(slaInForce('s3-standard', t('2023-11-28T00:00:00Z'))).toBe(sla('s3-standard'));
  });

  it('EC2 Region-level in 2020 is the February 12, 2018 Compute SLA; in 2025 the current page', () => {
    expect(slaInForce('ec2-region', t('2020-06-01T00:00:00Z'))?.source).toMatchObject({ url: 'https://aws.amazon.com/ec2/sla/historical', lastUpdated: '2018-02-12' });
    expect(slaInForce('ec2-region', t('2025-10-20T06:48:00Z'))).toBe(sla('ec2-region'));
    expect(slaInForce('elb-multi-az', t('2021-03-01T00:00:00Z'))?.source.lastUpdated).toBe('2019-01-02');
  });
});

// ─────────────────────────── claims record the version and the confirmation ───────────────────────────

function windowAt(startIso: string, minutes: number, service = 'S3'): IncidentWindow {
  return {
    eventArn: `arn:aws:health:us-east-1::event/${service}/X/${startIso}`,
    service,
    eventTypeCode: `AWS_${service}_OPERATIONAL_ISSUE`,
    region: 'us-east-1',
    statusCode: 'closed',
    startMs: t(startIso),
    endMs: t(startIso) + minutes * 60_000,
    lastUpdatedMs: t(startIso) + minutes * 60_000,
    description: 'test',
    affectedResources: [],
    affectedResourceCount: 0,
  };
}

function claimFor(definition: SlaDefinition, month: string, windows: IncidentWindow[], negotiated = false) {
  const scope: ClaimScope = { scopeKey: `111122223333#${definition.id}#us-east-1`, account: '111122223333', slaId: definition.id, region: 'us-east-1', resource: null, service: 'S3' };
  return buildClaim({
    scope,
    sla: definition,
    negotiated,
    month,
    windows: Object.fromEntries(windows.map((w, i) => [`k${i}`, w])),
    chargesCents: 100_000,
    nowMs: t('2023-12-10T00:00:00Z'),
  });
}

describe('buildClaim: claim.terms and slaClause follow the version in force at the first incident', () => {
  it('an S3 incident on 2023-11-10 uses the 2019 version and is flagged: a newer version took effect on 2023-11-28', () => {
    const claim = claimFor(sla('s3-standard'), '2023-11', [windowAt('2023-11-10T10:00:00Z', 60), windowAt('2023-11-29T10:00:00Z', 10)]);
    expect(claim.terms).toEqual({ versionDate: '2019-07-31', confirmed: true, unconfirmed: [], newVersionInMonth: '2023-11-28' });
    expect(claim.slaClause).toMatchObject({ sourceUrl: 'https://aws.amazon.com/s3/sla/historical/', sourceLastUpdated: '2019-07-31' });
    expect(claim.slaClause.creditBaseText).toContain('applicable Amazon S3 Service');
    expect(claim.creditPercent).toBe(10);
  });

  it('an S3 incident in December 2023 uses the current version: its blank credit percentages leave it unconfirmed', () => {
    const claim = claimFor(sla('s3-standard'), '2023-12', [windowAt('2023-12-05T10:00:00Z', 600)]);
    expect(claim.terms).toMatchObject({ versionDate: '2023-11-28', confirmed: false });
    expect(claim.terms?.newVersionInMonth).toBeUndefined();
    expect(claim.terms?.unconfirmed).toHaveLength(1);
    expect(claim.terms?.unconfirmed[0]).toMatch(/^tiers: The credit percentages are blank/);
    expect(claim.slaClause.sourceUrl).toBe('https://aws.amazon.com/s3/sla/');
  });

  it('confirmed terms (RDS Multi-AZ) give a confirmed claim; a measurement-only gap does not unconfirm it', () => {
    const claim = claimFor(sla('rds-multi-az'), '2025-10', [windowAt('2025-10-20T06:48:00Z', 172, 'RDS')]);
    expect(claim.terms).toEqual({ versionDate: '2024-01-22', confirmed: true, unconfirmed: [] });
  });

  it('lists each unconfirmed money part of the terms used (Route 53: commitment, tiers, credit base)', () => {
    const claim = claimFor(sla('route53'), '2025-10', [windowAt('2025-10-20T06:48:00Z', 60, 'ROUTE53')]);
    expect(claim.terms?.confirmed).toBe(false);
    expect(claim.terms?.unconfirmed.map((u) => u.split(':')[0])).toEqual(['commitment', 'tiers', 'creditBase']);
  });

  it('an incident before the oldest known version is unconfirmed, whatever that version says', () => {
    const claim = claimFor(sla('rds-multi-az'), '2023-06', [windowAt('2023-06-05T10:00:00Z', 60, 'RDS')]);
    expect(claim.terms?.confirmed).toBe(false);
    expect(claim.terms?.unconfirmed[0]).toMatch(/^version: no version of this SLA is known to be in force on 2023-06-05/);
  });

  it('negotiated terms are confirmed by the contract and dated by it', () => {
    const contract = { ...sla('lambda'), source: { url: 'https://aws.amazon.com/lambda/sla/', lastUpdated: '2025-01-01', verified: true, notes: 'Negotiated terms: EA-1' } };
    const claim = claimFor(contract, '2025-10', [windowAt('2025-10-20T06:51:00Z', 60, 'LAMBDA')], true);
    expect(claim.terms).toEqual({ versionDate: '2025-01-01', confirmed: true, unconfirmed: [] });
  });

  it('every catalog entry yields terms whose confirmed flag agrees with its verified flag (current version)', () => {
    for (const entry of SLA_CATALOG) {
      const claim = claimFor(entry, '2026-01', [windowAt('2026-01-10T10:00:00Z', 60)]);
      expect({ id: entry.id, confirmed: claim.terms?.confirmed }).toEqual({ id: entry.id, confirmed: entry.source.verified });
    }
  });
});
