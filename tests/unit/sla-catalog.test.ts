import { describe, expect, it } from 'vitest';
import {
  SLA_CATALOG,
  SlaDefinitionSchema,
  compareDecimalPercent,
  findSlasForService,
  getSla,
  listSlaIds,
  validateCatalog,
} from '../../src/sla/index.ts';
import type { SlaDefinition } from '../../src/sla/types.ts';

const REQUIRED_IDS = [
  'ec2-region',
  'ec2-instance',
  'ebs-region',
  'ebs-volume',
  'ecs',
  'fargate',
  's3-standard',
  's3-infrequent-access',
  'dynamodb',
  'dynamodb-global',
  'lambda',
  'rds-multi-az',
  'rds-single-az',
  'aurora-multi-az',
  'aurora-single-az',
  'elb-multi-az',
  'elb-single',
  'api-gateway',
  'cloudfront',
  'eks',
  'sqs',
  'sns',
  'elasticache-multi-az',
  'route53',
] as const;

const PERCENT_RE = /^\d{1,3}(\.\d{1,6})?$/;

function sla(id: string): SlaDefinition {
  const found = getSla(id);
  if (!found) throw new Error(`missing SLA ${id}`);
  return found;
}

/** Tiers as [below, atLeast, credit] triples, for compact spot checks. */
function tierTriples(id: string): Array<[string, string | null, number]> {
  return sla(id).tiers.map((t) => [t.below, t.atLeast, t.creditPercent]);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

describe('SLA catalog: required ids', () => {
  it('contains every required id, in the required order', () => {
    const ids = listSlaIds();
    const positions = REQUIRED_IDS.map((id) => ids.indexOf(id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('has unique ids and listSlaIds mirrors the catalog order', () => {
    const ids = listSlaIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(SLA_CATALOG.map((s) => s.id));
  });

  it('getSla returns undefined for unknown ids', () => {
    expect(getSla('nope')).toBeUndefined();
  });
});

describe('SLA catalog: invariants hold for every entry', () => {
  it('validateCatalog reports no errors', () => {
    expect(validateCatalog()).toEqual({ ok: true, errors: [] });
  });

  describe.each(SLA_CATALOG.map((s) => [s.id, s] as const))('%s', (_id, entry) => {
    it('parses with SlaDefinitionSchema', () => {
      const parsed = SlaDefinitionSchema.safeParse(entry);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => i.message)).toEqual([]);
    });

    it('uses decimal-string percentages and integer credit percents 1..100', () => {
      expect(entry.commitmentPercent).toMatch(PERCENT_RE);
      for (const t of entry.tiers) {
        expect(t.below).toMatch(PERCENT_RE);
        if (t.atLeast !== null) expect(t.atLeast).toMatch(PERCENT_RE);
        expect(Number.isInteger(t.creditPercent)).toBe(true);
        expect(t.creditPercent).toBeGreaterThanOrEqual(1);
        expect(t.creditPercent).toBeLessThanOrEqual(100);
      }
    });

    if (entry.measurement === 'days-of-charges') {
      it('has no percent tiers and non-overlapping ascending day tiers', () => {
        expect(entry.tiers).toEqual([]);
        const days = entry.dayTiers ?? [];
        expect(days.length).toBeGreaterThan(0);
        for (let i = 1; i < days.length; i++) {
          const prev = days[i - 1]!;
          expect(prev.maxMinutes).not.toBeNull();
          expect(days[i]!.minMinutes).toBeGreaterThan(prev.maxMinutes!);
        }
        expect(days.at(-1)!.maxMinutes).toBeNull();
      });
    } else {
      it('has tiers that start at the commitment, are contiguous, strictly decreasing and end open', () => {
        const tiers = entry.tiers;
        expect(tiers.length).toBeGreaterThan(0);
        expect(compareDecimalPercent(tiers[0]!.below, entry.commitmentPercent)).toBe(0);
        for (let i = 0; i < tiers.length - 1; i++) {
          const cur = tiers[i]!;
          const next = tiers[i + 1]!;
          expect(cur.atLeast).not.toBeNull();
          expect(compareDecimalPercent(cur.atLeast!, next.below)).toBe(0);
          expect(compareDecimalPercent(next.below, cur.below)).toBe(-1);
          expect(compareDecimalPercent(cur.atLeast!, cur.below)).toBe(-1);
        }
        expect(tiers.at(-1)!.atLeast).toBeNull();
        expect(entry.dayTiers ?? []).toEqual([]);
      });
    }

    it('carries a source and claim requirements', () => {
      expect(entry.source.url).toMatch(/^https:\/\/aws\.amazon\.com\//);
      if (entry.source.lastUpdated !== null) expect(entry.source.lastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (!entry.source.verified) expect((entry.source.notes ?? '').length).toBeGreaterThan(20);
      expect(entry.claim.subject).toBe('SLA Credit Request');
      expect(entry.claim.evidence.length).toBeGreaterThan(0);
      expect(entry.services.length).toBeGreaterThan(0);
    });
  });

  describe.each(SLA_CATALOG.map((s) => [s.id, s] as const))('%s: version date and confirmation (issue 10, rules 6 and 7)', (_id, entry) => {
    it('has a version date, or an explicit null with a note saying so', () => {
      const unconfirmed = entry.source.unconfirmed;
      expect(Array.isArray(unconfirmed)).toBe(true);
      if (entry.source.lastUpdated === null) {
        const note = unconfirmed!.find((u) => u.part === 'versionDate');
        expect(note?.detail.length ?? 0).toBeGreaterThan(20);
      } else {
        expect(entry.source.lastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(unconfirmed!.some((u) => u.part === 'versionDate')).toBe(false);
      }
    });

    it('is verified exactly when commitment, tiers and credit base are all confirmed', () => {
      const money = (entry.source.unconfirmed ?? []).filter((u) => ['commitment', 'tiers', 'creditBase'].includes(u.part));
      expect(entry.source.verified).toBe(money.length === 0);
      for (const u of entry.source.unconfirmed ?? []) expect(u.detail.length).toBeGreaterThan(20);
    });
  });

  it('rejects a definition whose verified flag disagrees with its unconfirmed list', () => {
    const d = clone(sla('rds-multi-az'));
    d.source.unconfirmed = [{ part: 'tiers', detail: 'the lower rows were cut off in the copy' }];
    expect(SlaDefinitionSchema.safeParse(d).success).toBe(false);
    d.source.verified = false;
    expect(SlaDefinitionSchema.safeParse(d).success).toBe(true);
    const e = clone(sla('dynamodb'));
    e.source.verified = true;
    expect(SlaDefinitionSchema.safeParse(e).success).toBe(false);
    const f = clone(sla('lambda'));
    f.source.unconfirmed = f.source.unconfirmed!.filter((u) => u.part !== 'versionDate');
    expect(SlaDefinitionSchema.safeParse(f).success).toBe(false);
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(SLA_CATALOG)).toBe(true);
    expect(Object.isFrozen(sla('dynamodb').tiers[0])).toBe(true);
  });
});

describe('SLA catalog: published figures', () => {
  it('dynamodb: 99.99 % → 10 / 25 / 100 at 99.0 and 95.0', () => {
    expect(sla('dynamodb').commitmentPercent).toBe('99.99');
    expect(tierTriples('dynamodb')).toEqual([
      ['99.99', '99.0', 10],
      ['99.0', '95.0', 25],
      ['95.0', null, 100],
    ]);
  });

  it('dynamodb-global: 99.999 % → 10 / 25 / 100', () => {
    expect(tierTriples('dynamodb-global')).toEqual([
      ['99.999', '99.0', 10],
      ['99.0', '95.0', 25],
      ['95.0', null, 100],
    ]);
  });

  it('ec2-region: 99.99 % → 10 / 30 / 100', () => {
    expect(tierTriples('ec2-region')).toEqual([
      ['99.99', '99.0', 10],
      ['99.0', '95.0', 30],
      ['95.0', null, 100],
    ]);
    expect(sla('ec2-region').scope).toBe('region');
    expect(sla('ec2-instance').commitmentPercent).toBe('99.5');
  });

  it('ebs: Region-Level 99.99 % and Volume-Level 99.9 %, both 10 / 30 / 100 (verified, May 31 2022)', () => {
    expect(tierTriples('ebs-region').map((t) => t[2])).toEqual([10, 30, 100]);
    expect(sla('ebs-volume').commitmentPercent).toBe('99.9');
    expect(tierTriples('ebs-volume').map((t) => t[2])).toEqual([10, 30, 100]);
    // `verified` now also covers the credit base (issue 10, rule 7): EBS's commitment and tiers were read on the AWS
    // page (May 31, 2022), its credit-base sentence was not, so it is no longer verified.
    expect(sla('ebs-region').source).toMatchObject({ verified: false, lastUpdated: '2022-05-31' });
    expect(sla('ebs-region').source.unconfirmed?.map((u) => u.part)).toEqual(['creditBase', 'measurement']);
  });

  it('s3-standard 99.9 % and s3-infrequent-access 99.0 / 98.0 / 95.0', () => {
    expect(tierTriples('s3-standard')).toEqual([
      ['99.9', '99.0', 10],
      ['99.0', '95.0', 25],
      ['95.0', null, 100],
    ]);
    expect(sla('s3-infrequent-access').commitmentPercent).toBe('99.0');
    expect(tierTriples('s3-infrequent-access')).toEqual([
      ['99.0', '98.0', 10],
      ['98.0', '95.0', 25],
      ['95.0', null, 100],
    ]);
  });

  it('rds, aurora, elb, eks, api-gateway commitments', () => {
    expect(sla('rds-multi-az').commitmentPercent).toBe('99.95');
    expect(sla('rds-single-az').commitmentPercent).toBe('99.5');
    expect(sla('aurora-multi-az').commitmentPercent).toBe('99.99');
    expect(sla('aurora-single-az').commitmentPercent).toBe('99.9');
    expect(tierTriples('elb-multi-az').map((t) => t[2])).toEqual([10, 30, 100]);
    expect(sla('elb-single').commitmentPercent).toBe('99.9');
    expect(sla('eks').commitmentPercent).toBe('99.95');
    expect(sla('api-gateway').commitmentPercent).toBe('99.95');
    expect(sla('lambda').commitmentPercent).toBe('99.95');
    expect(sla('cloudfront').commitmentPercent).toBe('99.9');
  });

  it('route53: 100 % with day tiers 5–30 min → 1, 31–240 → 7, > 240 → 30 days', () => {
    const r53 = sla('route53');
    expect(r53.measurement).toBe('days-of-charges');
    expect(r53.commitmentPercent).toBe('100');
    expect(r53.tiers).toEqual([]);
    expect(r53.dayTiers).toEqual([
      { minMinutes: 5, maxMinutes: 30, days: 1 },
      { minMinutes: 31, maxMinutes: 240, days: 7 },
      { minMinutes: 241, maxMinutes: null, days: 30 },
    ]);
  });
});

describe('findSlasForService', () => {
  it('maps AWS Health service codes to SLAs (case-insensitive, catalog order)', () => {
    expect(findSlasForService('EC2').map((s) => s.id)).toEqual(['ec2-region', 'ec2-instance']);
    expect(findSlasForService('rds').map((s) => s.id)).toEqual([
      'rds-multi-az',
      'rds-single-az',
      'aurora-multi-az',
      'aurora-single-az',
    ]);
    expect(findSlasForService('ELASTICLOADBALANCING').map((s) => s.id)).toEqual(['elb-multi-az', 'elb-single']);
    expect(findSlasForService('DYNAMODB').map((s) => s.id)).toEqual(['dynamodb', 'dynamodb-global']);
    expect(findSlasForService('S3')).toHaveLength(2);
    expect(findSlasForService('ROUTE53').map((s) => s.id)).toEqual(['route53']);
  });

  it('returns [] for unknown or empty codes', () => {
    expect(findSlasForService('MULTIPLE_SERVICES')).toEqual([]);
    expect(findSlasForService('')).toEqual([]);
  });
});

describe('SlaDefinitionSchema rejects broken definitions (contract overrides)', () => {
  const base = () => clone(sla('dynamodb'));

  it('accepts a well-formed negotiated override', () => {
    const override = { ...base(), id: 'acme-dynamodb-contract', commitmentPercent: '99.995' };
    override.tiers = [
      { below: '99.995', atLeast: '99.9', creditPercent: 15 },
      { below: '99.9', atLeast: null, creditPercent: 50 },
    ];
    expect(SlaDefinitionSchema.safeParse(override).success).toBe(true);
  });

  it.each([
    ['first tier not at the commitment', (d: SlaDefinition) => void (d.tiers[0]!.below = '99.9')],
    ['gap between tiers', (d: SlaDefinition) => void (d.tiers[0]!.atLeast = '98.0')],
    ['last tier bounded', (d: SlaDefinition) => void (d.tiers[2]!.atLeast = '90.0')],
    ['float credit percent', (d: SlaDefinition) => void (d.tiers[0]!.creditPercent = 10.5)],
    ['credit percent 0', (d: SlaDefinition) => void (d.tiers[0]!.creditPercent = 0)],
    ['credit percent > 100', (d: SlaDefinition) => void (d.tiers[2]!.creditPercent = 101)],
    ['percent as number-ish string', (d: SlaDefinition) => void (d.commitmentPercent = '99.99%')],
    ['too many decimals', (d: SlaDefinition) => void (d.commitmentPercent = '99.9999999')],
    ['percent above 100', (d: SlaDefinition) => void (d.commitmentPercent = '100.5')],
    [
      'non-decreasing tiers',
      (d: SlaDefinition) => {
        d.tiers = [
          { below: '99.99', atLeast: '99.99', creditPercent: 10 },
          { below: '99.99', atLeast: null, creditPercent: 100 },
        ];
      },
    ],
    ['unknown key', (d: SlaDefinition) => void Object.assign(d, { extra: true })],
    ['lower-case service code', (d: SlaDefinition) => void (d.services = ['dynamodb'])],
    ['day tiers on a percent SLA', (d: SlaDefinition) => void (d.dayTiers = [{ minMinutes: 1, maxMinutes: null, days: 1 }])],
    ['unverified without notes', (d: SlaDefinition) => void delete d.source.notes],
    ['bad lastUpdated', (d: SlaDefinition) => void (d.source.lastUpdated = '2024-02-30')],
  ])('rejects: %s', (_label, mutate) => {
    const d = base();
    mutate(d);
    expect(SlaDefinitionSchema.safeParse(d).success).toBe(false);
  });

  it('rejects overlapping or open-ended-before-last day tiers', () => {
    const r53 = clone(sla('route53'));
    r53.dayTiers = [
      { minMinutes: 5, maxMinutes: 30, days: 1 },
      { minMinutes: 30, maxMinutes: 240, days: 7 },
    ];
    expect(SlaDefinitionSchema.safeParse(r53).success).toBe(false);
    r53.dayTiers = [
      { minMinutes: 5, maxMinutes: null, days: 1 },
      { minMinutes: 31, maxMinutes: 240, days: 7 },
    ];
    expect(SlaDefinitionSchema.safeParse(r53).success).toBe(false);
    r53.dayTiers = [];
    expect(SlaDefinitionSchema.safeParse(r53).success).toBe(false);
  });

  it('validateCatalog flags duplicate ids and invalid entries', () => {
    const broken = clone(sla('lambda'));
    broken.tiers[1]!.below = '98.0';
    const result = validateCatalog([sla('ec2-region'), sla('ec2-region'), broken]);
    expect(result.ok).toBe(false);
    expect(result.errors).toContain('ec2-region: duplicate id');
    expect(result.errors.some((e) => e.startsWith('lambda: ') && e.includes('contiguous'))).toBe(true);
  });
});
