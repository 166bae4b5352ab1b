import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContractError, loadContract, parseContract, type Contract } from '../../src/contract/contract.ts';
import { isOutageEvent, matchEvent, sameResource, scopeKeyOf, type Match } from '../../src/contract/match.ts';
import type { AffectedEntity, HealthEvent } from '../../src/health/types.ts';
import { parseEventBridgeHealthEvent } from '../../src/health/parse.ts';
import { healthEnvelope } from '../helpers/event-builder.ts';
import { getSla, listSlaIds } from '../../src/sla/index.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../config/contract.example.yml');
const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const STRANGER = '999999999999';
const LB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/checkout/50dc6c495c0c9188';

const tmp = mkdtempSync(join(tmpdir(), 'contract-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeTmp(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text, 'utf8');
  return path;
}

/** A Health event with sensible defaults (PUBLIC DynamoDB issue in us-east-1). */
function event(overrides: Partial<HealthEvent> = {}): HealthEvent {
  return {
    account: ACCOUNT,
    eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/TEST1',
    services: ['DYNAMODB'],
    rawService: 'DYNAMODB',
    eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
    eventTypeCategory: 'issue',
    eventScopeCode: 'PUBLIC',
    region: 'us-east-1',
    statusCode: 'closed',
    startTime: '2025-10-20T06:48:00.000Z',
    endTime: '2025-10-20T09:40:00.000Z',
    lastUpdatedTime: '2025-10-20T09:45:00.000Z',
    description: 'Increased error rates.',
    page: 1,
    totalPages: 1,
    backupEvent: false,
    affectedEntities: [],
    resources: [],
    parseNotes: [],
    ...overrides,
  };
}

function accountSpecific(service: string, entities: AffectedEntity[], overrides: Partial<HealthEvent> = {}): HealthEvent {
  return event({
    services: [service],
    rawService: service,
    eventTypeCode: `AWS_${service}_OPERATIONAL_ISSUE`,
    eventScopeCode: 'ACCOUNT_SPECIFIC',
    affectedEntities: entities,
    ...overrides,
  });
}

function contract(coverage: unknown[], extra: Record<string, unknown> = {}): Contract {
  return parseContract({ accounts: ['*'], coverage, ...extra });
}

const keysOf = (matches: Match[]) => matches.map((m) => m.scopeKey).sort();

// ─────────────────────────────── parseContract / loadContract ───────────────────────────────

describe('loadContract(config/contract.example.yml)', () => {
  const c = loadContract(EXAMPLE);

  it('reads name, accounts and every coverage entry with defaults applied', () => {
    expect(c.name).toBe('Example Corp — production');
    expect(c.accounts).toEqual([ACCOUNT, OTHER_ACCOUNT]);
    expect(c.coverage.map((e) => `${e.service}:${e.sla}`)).toEqual([
      'DYNAMODB:dynamodb',
      'LAMBDA:lambda',
      // Covered since EC2 Region-level claims need evidence of Region Unavailability (src/claims/eligibility.ts).
      'EC2:ec2-region',
      'S3:s3-standard',
      'ROUTE53:route53',
      'APIGATEWAY:api-gateway',
      'EC2:ec2-instance',
      'ELASTICLOADBALANCING:elb-multi-az',
      'RDS:rds-multi-az',
    ]);
    expect(c.coverage[0]).toEqual({ service: 'DYNAMODB', regions: ['us-east-1', 'eu-west-1'], sla: 'dynamodb' });
    expect(c.coverage[2]).toEqual({ service: 'EC2', regions: ['*'], sla: 'ec2-region' });
    expect(c.coverage[6]).toEqual({ service: 'EC2', regions: ['*'], sla: 'ec2-instance', tags: { stage: 'prod' } });
    expect(c.coverage[7]?.resources).toEqual([LB_ARN]);
  });

  it('resolves every used SLA id; unused catalog SLAs are not included', () => {
    expect([...c.slas.keys()].sort()).toEqual(['api-gateway', 'dynamodb', 'ec2-instance', 'ec2-region', 'elb-multi-az', 'lambda', 'rds-multi-az', 'route53', 's3-standard']);
    expect(c.slas.get('dynamodb')).toBe(getSla('dynamodb'));
    expect(c.slas.has('ebs-region')).toBe(false);
  });

  it('merges the negotiated lambda override onto the catalog entry', () => {
    const base = getSla('lambda')!;
    const lambda = c.slas.get('lambda')!;
    expect([...c.negotiated]).toEqual(['lambda']);
    expect(c.negotiated.has('dynamodb')).toBe(false);
    expect(lambda.commitmentPercent).toBe('99.99');
    expect(base.commitmentPercent).toBe('99.95');
    // Tiers are replaced, not appended or merged.
    expect(lambda.tiers).toEqual([
      { below: '99.99', atLeast: '99.9', creditPercent: 10 },
      { below: '99.9', atLeast: '99.0', creditPercent: 25 },
      { below: '99.0', atLeast: null, creditPercent: 50 },
    ]);
    expect(lambda.name).toBe(`${base.name} (negotiated)`);
    expect(lambda.source).toEqual({
      url: base.source.url,
      lastUpdated: '2025-01-01',
      verified: true,
      notes: 'Negotiated terms: Enterprise Agreement EA-2025-114, schedule 3',
    });
    // Everything not overridden comes from the catalog.
    expect(lambda.id).toBe('lambda');
    expect(lambda.scope).toBe(base.scope);
    expect(lambda.measurement).toBe(base.measurement);
    expect(lambda.creditBase).toBe(base.creditBase);
    expect(lambda.claim).toEqual(base.claim);
    // The catalog itself is untouched.
    expect(getSla('lambda')!.tiers[0]!.below).toBe('99.95');
  });
});

describe('parseContract: valid input', () => {
  it('defaults regions to ["*"] and overrides to none', () => {
    const c = parseContract({ accounts: ['*'], coverage: [{ service: 'S3', sla: 's3-standard' }] });
    expect(c.coverage[0]!.regions).toEqual(['*']);
    expect(c.negotiated.size).toBe(0);
    expect(c).not.toHaveProperty('name');
  });

  it('accepts "global" as a Region and coverage-level accounts', () => {
    const c = parseContract({ accounts: ['*'], coverage: [{ service: 'ROUTE53', regions: ['global'], sla: 'route53', accounts: [ACCOUNT] }] });
    expect(c.coverage[0]).toMatchObject({ regions: ['global'], accounts: [ACCOUNT] });
  });

  it('an override with its own name keeps it; without effective date lastUpdated is null', () => {
    const c = contract([{ service: 'LAMBDA', sla: 'lambda' }], { overrides: { lambda: { reference: 'MSA §4', name: 'Lambda (MSA)' } } });
    const lambda = c.slas.get('lambda')!;
    expect(lambda.name).toBe('Lambda (MSA)');
    expect(lambda.source.lastUpdated).toBeNull();
    expect(lambda.source.notes).toBe('Negotiated terms: MSA §4');
    expect(lambda.tiers).toEqual(getSla('lambda')!.tiers);
  });

  it('an override for an SLA not used in coverage is still registered as negotiated', () => {
    const c = contract([{ service: 'S3', sla: 's3-standard' }], { overrides: { sqs: { reference: 'EA-1' } } });
    expect(c.negotiated.has('sqs')).toBe(true);
    expect(c.slas.get('sqs')!.source.notes).toContain('EA-1');
  });
});

describe('parseContract: errors name the field and the value', () => {
  it('rejects a bad account id', () => {
    expect(() => parseContract({ accounts: ['12345'], coverage: [{ service: 'S3', sla: 's3-standard' }] })).toThrow(ContractError);
    expect(() => parseContract({ accounts: ['12345'], coverage: [{ service: 'S3', sla: 's3-standard' }] })).toThrow(
      /^contract: accounts\[0\]: an account is a 12-digit AWS account id or "\*" \(got "12345"\)$/,
    );
  });

  it('rejects a bad coverage-level account with its full path', () => {
    expect(() => contract([{ service: 'S3', sla: 's3-standard', accounts: [ACCOUNT, '12345678901x'] }])).toThrow(
      'coverage[0].accounts[1]: an account is a 12-digit AWS account id or "*" (got "12345678901x")',
    );
  });

  it('rejects a lower-case service code and a bad Region', () => {
    expect(() => contract([{ service: 'dynamodb', sla: 'dynamodb' }])).toThrow(/coverage\[0\]\.service: .*upper case.*\(got "dynamodb"\)/);
    expect(() => contract([{ service: 'S3', sla: 's3-standard' }, { service: 'S3', sla: 's3-standard', regions: ['Mars'] }])).toThrow(
      /coverage\[1\]\.regions\[0\]: a Region such as .* \(got "Mars"\)/,
    );
  });

  it('rejects unknown keys and empty coverage', () => {
    expect(() => contract([{ service: 'S3', sla: 's3-standard', region: 'us-east-1' }])).toThrow(/coverage\[0\]: Unrecognized key: "region"/);
    expect(() => parseContract({ accounts: ['*'], coverage: [] })).toThrow(/contract: coverage: .*\(got \[\]\)/);
    expect(() => parseContract({ accounts: ['*'], coverage: [{ service: 'S3', sla: 's3-standard' }], extra: true })).toThrow(/\(root\): Unrecognized key: "extra"/);
  });

  it('rejects a non-object and names the source', () => {
    expect(() => parseContract(null, 'contract x.yml')).toThrow(/^contract x\.yml: \(root\): .*\(got null\)$/);
    expect(() => parseContract(undefined)).toThrow(/\(root\): .*\(got nothing\)/);
  });

  it('rejects an unknown SLA id, listing the valid ids', () => {
    const attempt = () => contract([{ service: 'S3', sla: 's3-standard' }, { service: 'S3', sla: 's3-glacier' }]);
    expect(attempt).toThrow(ContractError);
    expect(attempt).toThrow(`contract: coverage[1].sla: unknown SLA id "s3-glacier"; valid ids: ${listSlaIds().join(', ')}`);
  });

  it('rejects a resource-level SLA without resources or tags', () => {
    expect(() => contract([{ service: 'EC2', sla: 'ec2-instance' }])).toThrow(
      'coverage[0]: SLA ec2-instance is per resource; list "resources" (ids, ARNs or "*") or "tags"',
    );
  });

  it('rejects resources or tags on a Region-level SLA', () => {
    expect(() => contract([{ service: 'DYNAMODB', sla: 'dynamodb', resources: ['my-table'] }])).toThrow(
      'coverage[0]: SLA dynamodb is measured per Region; resources/tags need a resource-level SLA',
    );
    expect(() => contract([{ service: 'DYNAMODB', sla: 'dynamodb', tags: { stage: 'prod' } }])).toThrow(/coverage\[0\]: SLA dynamodb is measured per Region/);
  });

  it('rejects an override for an unknown SLA id, listing the valid ids', () => {
    expect(() => contract([{ service: 'S3', sla: 's3-standard' }], { overrides: { 's3-express': { reference: 'EA' } } })).toThrow(
      `overrides.s3-express: unknown SLA id; valid ids: ${listSlaIds().join(', ')}`,
    );
  });

  it('rejects non-contiguous override tiers, naming overrides.<id>', () => {
    const attempt = () =>
      contract([{ service: 'LAMBDA', sla: 'lambda' }], {
        overrides: {
          lambda: {
            reference: 'EA',
            tiers: [
              { below: '99.95', atLeast: '99.9', creditPercent: 10 },
              { below: '99.0', atLeast: null, creditPercent: 25 },
            ],
          },
        },
      });
    expect(attempt).toThrow(ContractError);
    expect(attempt).toThrow(/^contract: overrides\.lambda: .*tiers\[0\] and tiers\[1\] are not contiguous/);
  });

  it('rejects override tiers whose first tier does not start at the commitment', () => {
    expect(() =>
      contract([{ service: 'LAMBDA', sla: 'lambda' }], {
        overrides: { lambda: { reference: 'EA', commitmentPercent: '99.99', tiers: [{ below: '99.95', atLeast: null, creditPercent: 10 }] } },
      }),
    ).toThrow(/overrides\.lambda: .*first tier's below \(99\.95\) must equal the commitment \(99\.99\)/);
  });

  it('rejects a malformed override percentage, naming the nested field', () => {
    expect(() =>
      contract([{ service: 'LAMBDA', sla: 'lambda' }], {
        overrides: { lambda: { reference: 'EA', commitmentPercent: '99,99' } },
      }),
    ).toThrow(/overrides\.lambda\.commitmentPercent: percentage must be a decimal string/);
  });

  it('rejects an override without a reference, with unknown keys, or with an impossible effective date', () => {
    expect(() => contract([{ service: 'LAMBDA', sla: 'lambda' }], { overrides: { lambda: { commitmentPercent: '99.9' } } })).toThrow(
      /overrides\.lambda\.reference: .*\(got nothing\)/,
    );
    expect(() => contract([{ service: 'LAMBDA', sla: 'lambda' }], { overrides: { lambda: { reference: 'EA', scope: 'resource' } } })).toThrow(
      /overrides\.lambda: Unrecognized key: "scope"/,
    );
    expect(() => contract([{ service: 'LAMBDA', sla: 'lambda' }], { overrides: { lambda: { reference: 'EA', effective: '2025-02-30' } } })).toThrow(
      'overrides.lambda.source.lastUpdated: not a calendar date',
    );
  });
});

describe('loadContract: file errors', () => {
  it('names a missing file', () => {
    const path = join(tmp, 'missing.yml');
    expect(() => loadContract(path)).toThrow(ContractError);
    expect(() => loadContract(path)).toThrow(`contract ${path}: cannot read the file (ENOENT`);
  });

  it('names a file that is not YAML (first line of the parser message only)', () => {
    const path = writeTmp('bad.yml', 'accounts: ["123456789012"\ncoverage: [\n  - : :\n');
    expect(() => loadContract(path)).toThrow(ContractError);
    expect(() => loadContract(path)).toThrow(new RegExp(`^contract ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid YAML: [^\\n]+$`));
  });

  it('uses the file path as the source of validation errors', () => {
    const path = writeTmp('bad-account.yml', 'accounts: ["1234"]\ncoverage:\n  - { service: S3, sla: s3-standard }\n');
    expect(() => loadContract(path)).toThrow(`contract ${path}: accounts[0]: an account is a 12-digit AWS account id or "*" (got "1234")`);
  });

  it('reports an empty file as a missing root object', () => {
    const path = writeTmp('empty.yml', '');
    expect(() => loadContract(path)).toThrow(/\(root\): /);
  });
});

// ─────────────────────────────── matchEvent ───────────────────────────────

describe('matchEvent: what counts as an outage', () => {
  const c = contract([{ service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb' }]);

  it.each(['accountNotification', 'scheduledChange', 'investigation', 'unknown'])('category %s matches nothing', (category) => {
    const e = event({ eventTypeCategory: category });
    expect(isOutageEvent(e)).toBe(false);
    expect(matchEvent(c, e)).toEqual([]);
  });

  it('an issue for a covered service and Region matches once, Region-level', () => {
    expect(matchEvent(c, event())).toEqual([
      { account: ACCOUNT, slaId: 'dynamodb', service: 'DYNAMODB', region: 'us-east-1', resource: null, scopeKey: `${ACCOUNT}#dynamodb#us-east-1` },
    ]);
  });

  it('service codes on the event are compared case-insensitively', () => {
    expect(matchEvent(c, event({ services: ['dynamodb'] }))).toHaveLength(1);
  });

  it('uncovered services and Regions match nothing', () => {
    expect(matchEvent(c, event({ services: ['S3'], rawService: 'S3' }))).toEqual([]);
    expect(matchEvent(c, event({ region: 'eu-west-1' }))).toEqual([]);
  });

  it('scopeKeyOf joins account, SLA and Region/resource', () => {
    expect(scopeKeyOf(ACCOUNT, 'dynamodb', 'us-east-1')).toBe('123456789012#dynamodb#us-east-1');
  });
});

describe('matchEvent: accounts', () => {
  const listed = parseContract({ accounts: [ACCOUNT], coverage: [{ service: 'DYNAMODB', sla: 'dynamodb' }] });
  const any = parseContract({ accounts: ['*'], coverage: [{ service: 'DYNAMODB', sla: 'dynamodb' }] });

  it('"*" covers every account', () => {
    expect(matchEvent(any, event({ account: STRANGER }))).toHaveLength(1);
    expect(matchEvent(any, event({ account: STRANGER }))[0]!.scopeKey).toBe(`${STRANGER}#dynamodb#us-east-1`);
  });

  it('a list covers only its accounts', () => {
    expect(matchEvent(listed, event())).toHaveLength(1);
    expect(matchEvent(listed, event({ account: STRANGER }))).toEqual([]);
  });

  it('coverage-level accounts restrict one entry only', () => {
    // (Both entries for one account would credit the same DynamoDB charges twice: refused, see "no double credit".)
    const c = parseContract({
      accounts: [ACCOUNT, OTHER_ACCOUNT],
      coverage: [
        { service: 'DYNAMODB', sla: 'dynamodb', accounts: [OTHER_ACCOUNT] },
        { service: 'DYNAMODB', sla: 'dynamodb-global', accounts: [ACCOUNT] },
        { service: 'LAMBDA', sla: 'lambda' },
      ],
    });
    expect(matchEvent(c, event()).map((m) => m.slaId)).toEqual(['dynamodb-global']);
    expect(matchEvent(c, event({ account: OTHER_ACCOUNT })).map((m) => m.slaId)).toEqual(['dynamodb']);
  });

  it('coverage-level accounts cannot widen the contract accounts', () => {
    const c = parseContract({ accounts: [ACCOUNT], coverage: [{ service: 'DYNAMODB', sla: 'dynamodb', accounts: [STRANGER] }] });
    expect(matchEvent(c, event({ account: STRANGER }))).toEqual([]);
    expect(matchEvent(c, event())).toEqual([]);
  });
});

describe('matchEvent: Regions', () => {
  it('"*" covers every Region including global', () => {
    const c = contract([{ service: 'ROUTE53', sla: 'route53' }]);
    for (const region of ['us-east-1', 'af-south-1', 'global']) {
      const m = matchEvent(c, event({ services: ['ROUTE53'], rawService: 'ROUTE53', region }));
      expect(m.map((x) => x.scopeKey)).toEqual([`${ACCOUNT}#route53#${region}`]);
    }
  });

  it('a list covers only its Regions', () => {
    const c = contract([{ service: 'DYNAMODB', regions: ['us-east-1', 'eu-west-1'], sla: 'dynamodb' }]);
    expect(matchEvent(c, event({ region: 'eu-west-1' }))).toHaveLength(1);
    expect(matchEvent(c, event({ region: 'us-west-2' }))).toEqual([]);
  });
});

describe('matchEvent: Region-level SLAs need a Region-wide event', () => {
  const c = contract([{ service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb' }]);

  it('a PUBLIC event matches even when it lists entities', () => {
    expect(matchEvent(c, event({ affectedEntities: [{ entityValue: 'table-a' }] }))).toHaveLength(1);
  });

  it('an ACCOUNT_SPECIFIC event without entities matches', () => {
    expect(matchEvent(c, accountSpecific('DYNAMODB', []))).toEqual([
      expect.objectContaining({ slaId: 'dynamodb', region: 'us-east-1', resource: null }),
    ]);
  });

  it('an ACCOUNT_SPECIFIC event with entities does not (it is about those resources)', () => {
    expect(matchEvent(c, accountSpecific('DYNAMODB', [{ entityValue: 'table-a', status: 'IMPAIRED' }]))).toEqual([]);
  });

  it('an event without a scope code (UNKNOWN) that lists entities is not Region-wide', () => {
    expect(matchEvent(c, event({ eventScopeCode: 'UNKNOWN', affectedEntities: [{ entityValue: 'table-a' }] }))).toEqual([]);
  });
});

describe('matchEvent: resource-level SLAs', () => {
  // One fleet per account, SLA and Region (src/claims/fleet.ts): [scope key, resources] of each match.
  const fleetsOf = (m: ReturnType<typeof matchEvent>) => m.map((x) => [x.scopeKey, x.resources ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  it('matches by id, one fleet scope per account, SLA and Region, skipping entities that are not listed', () => {
    const c = contract([{ service: 'EC2', sla: 'ec2-instance', resources: ['i-aaa', 'i-bbb'] }]);
    const m = matchEvent(c, accountSpecific('EC2', [{ entityValue: 'i-aaa' }, { entityValue: 'i-ccc' }, { entityValue: 'i-bbb' }]));
    expect(m).toEqual([
      { account: ACCOUNT, slaId: 'ec2-instance', service: 'EC2', region: 'us-east-1', resource: null, resources: ['i-aaa', 'i-bbb'], scopeKey: `${ACCOUNT}#ec2-instance#us-east-1` },
    ]);
  });

  it('matches an ARN in the contract against an id entity (and vice versa) by the ARN tail', () => {
    const arn = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc';
    const byArn = contract([{ service: 'EC2', sla: 'ec2-instance', resources: [arn] }]);
    expect(fleetsOf(matchEvent(byArn, accountSpecific('EC2', [{ entityValue: 'i-0abc' }])))).toEqual([[`${ACCOUNT}#ec2-instance#us-east-1`, ['i-0abc']]]);
    const byId = contract([{ service: 'EC2', sla: 'ec2-instance', resources: ['i-0abc'] }]);
    expect(fleetsOf(matchEvent(byId, accountSpecific('EC2', [{ entityValue: arn }])))).toEqual([[`${ACCOUNT}#ec2-instance#us-east-1`, [arn]]]);
    expect(matchEvent(byId, accountSpecific('EC2', [{ entityValue: 'i-0abcd' }]))).toEqual([]);
  });

  it('matches the example contract load balancer by full ARN only', () => {
    const c = loadContract(EXAMPLE);
    const lb = accountSpecific('ELASTICLOADBALANCING', [{ entityValue: LB_ARN }, { entityValue: LB_ARN.replace('checkout', 'search').replace('9188', '0000') }]);
    expect(matchEvent(c, lb)).toEqual([expect.objectContaining({ slaId: 'elb-multi-az', resource: null, resources: [LB_ARN] })]);
  });

  it('"*" takes every (impaired, real) entity of the service', () => {
    const c = contract([{ service: 'RDS', sla: 'rds-multi-az', resources: ['*'] }]);
    const m = matchEvent(c, accountSpecific('RDS', [{ entityValue: 'db-1' }, { entityValue: 'db-2', status: 'IMPAIRED' }]));
    expect(fleetsOf(m)).toEqual([[`${ACCOUNT}#rds-multi-az#us-east-1`, ['db-1', 'db-2']]]);
  });

  it('matches by tags: every listed tag must be present with the same value', () => {
    const c = contract([{ service: 'EC2', sla: 'ec2-instance', tags: { stage: 'prod', team: 'pay' } }]);
    const m = matchEvent(
      c,
      accountSpecific('EC2', [
        { entityValue: 'i-all', tags: { stage: 'prod', team: 'pay', extra: 'x' } },
        { entityValue: 'i-one', tags: { stage: 'prod' } },
        { entityValue: 'i-wrong', tags: { stage: 'dev', team: 'pay' } },
        { entityValue: 'i-untagged' },
      ]),
    );
    expect(fleetsOf(m)).toEqual([[`${ACCOUNT}#ec2-instance#us-east-1`, ['i-all']]]);
  });

  it('resources and tags together must both match', () => {
    const c = contract([{ service: 'EC2', sla: 'ec2-instance', resources: ['i-1', 'i-2'], tags: { stage: 'prod' } }]);
    const m = matchEvent(
      c,
      accountSpecific('EC2', [
        { entityValue: 'i-1', tags: { stage: 'prod' } },
        { entityValue: 'i-2', tags: { stage: 'dev' } },
        { entityValue: 'i-3', tags: { stage: 'prod' } },
      ]),
    );
    expect(fleetsOf(m)).toEqual([[`${ACCOUNT}#ec2-instance#us-east-1`, ['i-1']]]);
  });

  it('skips UNIMPAIRED entities and pseudo entities', () => {
    const c = contract([{ service: 'EC2', sla: 'ec2-instance', resources: ['*'] }]);
    const m = matchEvent(
      c,
      accountSpecific('EC2', [
        { entityValue: 'i-ok', status: 'UNIMPAIRED' },
        { entityValue: 'AWS_ACCOUNT' },
        { entityValue: 'UNKNOWN' },
        { entityValue: 'N/A' },
        { entityValue: 'i-hit', status: 'IMPAIRED' },
      ]),
    );
    expect(fleetsOf(m)).toEqual([[`${ACCOUNT}#ec2-instance#us-east-1`, ['i-hit']]]);
    expect(matchEvent(c, accountSpecific('EC2', [{ entityValue: 'AWS_ACCOUNT' }]))).toEqual([]);
  });

  it('resource-level entries match entities of a PUBLIC event too, alongside Region-level entries', () => {
    const c = contract([
      { service: 'EC2', sla: 'ec2-region' },
      { service: 'EC2', sla: 'ec2-instance', resources: ['*'] },
    ]);
    const m = matchEvent(c, event({ services: ['EC2'], rawService: 'EC2', affectedEntities: [{ entityValue: 'i-1' }] }));
    expect(fleetsOf(m)).toEqual([[`${ACCOUNT}#ec2-instance#us-east-1`, ['i-1']], [`${ACCOUNT}#ec2-region#us-east-1`, null]]);
  });

  it('an account-specific event with no entities matches no resource-level entry', () => {
    const c = contract([{ service: 'EC2', sla: 'ec2-instance', resources: ['*'] }]);
    expect(matchEvent(c, accountSpecific('EC2', []))).toEqual([]);
  });
});

describe('matchEvent: de-duplication', () => {
  it('a repeated entity (several pages, or two matching entries) gives one scope key', () => {
    const c = contract([
      { service: 'EC2', sla: 'ec2-instance', resources: ['i-1'] },
      { service: 'EC2', sla: 'ec2-instance', tags: { stage: 'prod' } },
    ]);
    const m = matchEvent(c, accountSpecific('EC2', [{ entityValue: 'i-1', tags: { stage: 'prod' } }, { entityValue: 'i-1', tags: { stage: 'prod' } }]));
    expect(m).toHaveLength(1);
    expect(m[0]!.scopeKey).toBe(`${ACCOUNT}#ec2-instance#us-east-1`);
    expect(m[0]!.resources).toEqual(['i-1']);
  });

  it('two coverage entries for the same Region-level SLA give one scope key', () => {
    const c = contract([
      { service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb' },
      { service: 'DYNAMODB', regions: ['*'], sla: 'dynamodb' },
    ]);
    expect(keysOf(matchEvent(c, event()))).toEqual([`${ACCOUNT}#dynamodb#us-east-1`]);
  });
});

describe('matchEvent: MULTIPLE_SERVICES events', () => {
  const c = contract([
    { service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb' },
    { service: 'LAMBDA', regions: ['us-east-1'], sla: 'lambda' },
    { service: 'S3', regions: ['us-east-1'], sla: 's3-standard' },
  ]);

  it('matches every covered service in the services list', () => {
    const e = event({ rawService: 'MULTIPLE_SERVICES', services: ['DYNAMODB', 'LAMBDA', 'SQS'] });
    const m = matchEvent(c, e);
    expect(m.map((x) => `${x.service}:${x.slaId}`).sort()).toEqual(['DYNAMODB:dynamodb', 'LAMBDA:lambda']);
  });

  it('works on an event parsed from an EventBridge envelope', () => {
    const e = parseEventBridgeHealthEvent(
      healthEnvelope({
        account: ACCOUNT,
        eventArn: 'arn:aws:health:us-east-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/X1',
        service: 'MULTIPLE_SERVICES',
        eventTypeCode: 'AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE',
        region: 'us-east-1',
        start: '2025-10-20T06:48:00Z',
        lastUpdated: '2025-10-20T08:00:00Z',
        status: 'open',
        description: 'The following AWS services were impacted: DYNAMODB, LAMBDA, SQS.',
      }),
    );
    expect(e.services).toEqual(expect.arrayContaining(['DYNAMODB', 'LAMBDA']));
    expect(keysOf(matchEvent(c, e))).toEqual([`${ACCOUNT}#dynamodb#us-east-1`, `${ACCOUNT}#lambda#us-east-1`]);
  });

  it('an account-specific envelope with a tagged instance matches the example contract', () => {
    const e = parseEventBridgeHealthEvent(
      healthEnvelope({
        account: OTHER_ACCOUNT,
        eventArn: 'arn:aws:health:eu-west-1::event/EC2/AWS_EC2_INSTANCE_NETWORK_CONNECTIVITY_ISSUE/X2',
        service: 'EC2',
        eventTypeCode: 'AWS_EC2_INSTANCE_NETWORK_CONNECTIVITY_ISSUE',
        scope: 'ACCOUNT_SPECIFIC',
        region: 'eu-west-1',
        start: '2025-10-20T06:48:00Z',
        end: '2025-10-20T07:48:00Z',
        lastUpdated: '2025-10-20T07:50:00Z',
        status: 'closed',
        description: 'Connectivity issue.',
        entities: [
          { entityValue: 'i-prod', status: 'IMPAIRED', tags: { stage: 'prod' } },
          { entityValue: 'i-dev', status: 'IMPAIRED', tags: { stage: 'dev' } },
        ],
      }),
    );
    expect(matchEvent(loadContract(EXAMPLE), e)).toEqual([
      { account: OTHER_ACCOUNT, slaId: 'ec2-instance', service: 'EC2', region: 'eu-west-1', resource: null, resources: ['i-prod'], scopeKey: `${OTHER_ACCOUNT}#ec2-instance#eu-west-1` },
    ]);
  });
});

describe('sameResource', () => {
  it.each([
    ['*', 'anything', true],
    ['i-1', 'i-1', true],
    ['arn:aws:ec2:us-east-1:1:instance/i-1', 'i-1', true],
    ['i-1', 'arn:aws:ec2:us-east-1:1:instance/i-1', true],
    ['my-db', 'arn:aws:rds:us-east-1:1:db:my-db', true],
    ['i-1', 'i-2', false],
    ['i-1', 'arn:aws:ec2:us-east-1:1:instance/i-10', false],
    // Two different ARNs never match, even with the same tail.
    ['arn:aws:ec2:us-east-1:1:instance/i-1', 'arn:aws:ec2:us-west-2:1:instance/i-1', false],
  ])('sameResource(%j, %j) = %s', (pattern, value, expected) => {
    expect(sameResource(pattern, value)).toBe(expected);
  });
});

describe('coverage must name a service its SLA covers', () => {
  it('rejects service S3 under the dynamodb SLA, naming both', () => {
    expect(() => parseContract({ accounts: ['*'], coverage: [{ service: 'S3', sla: 'dynamodb' }] })).toThrow(ContractError);
    expect(() => parseContract({ accounts: ['*'], coverage: [{ service: 'S3', sla: 'dynamodb' }] })).toThrow(
      /coverage\[0\]\.service: SLA dynamodb covers DYNAMODB, not "S3"/,
    );
  });
});

describe('no double credit', () => {
  it('refuses two SLAs over the same service, Region and account', () => {
    expect(() =>
      parseContract({ accounts: ['*'], coverage: [{ service: 'DYNAMODB', sla: 'dynamodb' }, { service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb-global' }] }),
    ).toThrow(/coverage\[0\] \(dynamodb\) and coverage\[1\] \(dynamodb-global\) both cover DYNAMODB/);
    expect(() =>
      parseContract({ accounts: ['*'], coverage: [{ service: 'RDS', sla: 'rds-multi-az', resources: ['*'] }, { service: 'RDS', sla: 'rds-single-az', resources: ['db-1'] }] }),
    ).toThrow(ContractError);
  });

  it('accepts s3-standard and s3-infrequent-access over one Region: their bases are different storage classes', () => {
    const contract = parseContract({ accounts: ['*'], coverage: [{ service: 'S3', sla: 's3-standard' }, { service: 'S3', regions: ['us-east-1'], sla: 's3-infrequent-access' }] });
    expect(contract.coverage.map((c) => c.sla)).toEqual(['s3-standard', 's3-infrequent-access']);
  });

  it('accepts them when Regions, accounts or resources do not overlap', () => {
    expect(
      parseContract({
        accounts: ['111111111111', '222222222222'],
        coverage: [
          { service: 'S3', regions: ['us-east-1'], sla: 's3-standard' },
          { service: 'S3', regions: ['eu-west-1'], sla: 's3-infrequent-access' },
          { service: 'DYNAMODB', sla: 'dynamodb', accounts: ['111111111111'] },
          { service: 'DYNAMODB', sla: 'dynamodb-global', accounts: ['222222222222'] },
          { service: 'RDS', sla: 'rds-multi-az', resources: ['db-a'] },
          { service: 'RDS', sla: 'rds-single-az', resources: ['db-b'] },
          { service: 'EC2', sla: 'ec2-instance', tags: { stage: 'prod' } },
        ],
      }).coverage,
    ).toHaveLength(7);
  });
});
