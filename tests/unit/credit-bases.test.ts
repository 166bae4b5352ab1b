/**
 * Issue 10, rule 2: the credit base is what the SLA says (src/sla/credit-bases.ts), and the claim is computed on it:
 * the data, the spend adapters (CSV and Cost Explorer request shapes) and the recompute call site.
 */
import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandOutput, type Group } from '@aws-sdk/client-cost-explorer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Claim, IncidentWindow, WindowMap } from '../../src/claims/types.ts';
import { ContractError, parseContract, type Contract } from '../../src/contract/contract.ts';
import { recomputeClaims } from '../../src/pipeline/recompute.ts';
import type { RecomputeClaimStore, StoredClaim } from '../../src/pipeline/ports.ts';
import { chargeBaseFor, COUNTED_RECORD_TYPES, CREDIT_BASES, usageCategory, type ChargeBase } from '../../src/sla/credit-bases.ts';
import { getSla, SLA_CATALOG } from '../../src/sla/index.ts';
import { CostExplorerSpendSource, SPEND_CACHE_VERSION, type SpendLogger } from '../../src/spend/cost-explorer.ts';
import { CsvSpendSource, SpendFileError, type SpendQuery, type SpendSource } from '../../src/spend/spend.ts';
import type { Db } from '../../src/store/clients.ts';
import { memoryResourceLists } from '../helpers/resource-lists.ts';

const ACCOUNT = '123456789012';
const base = (id: string, region = 'us-east-1', options = {}): ChargeBase => chargeBaseFor(getSla(id)!, region, options);
const q = (service: string, region: string, b?: ChargeBase, over: Partial<SpendQuery> = {}): SpendQuery => ({
  account: ACCOUNT,
  month: '2025-10',
  service,
  region,
  ...(b ? { base: b, allRegions: b.allRegions } : {}),
  ...over,
});
const HEADER = 'account,month,service,region,amount,resource,usage_type,record_type';
const row = (service: string, region: string, amount: string, usageType = '', recordType = '') => `${ACCOUNT},2025-10,${service},${region},${amount},,${usageType},${recordType}`;

// ─────────────────────────────── the data ───────────────────────────────

describe('credit bases as data', () => {
  it('defines exactly one base per catalog SLA, each with its SLA page and sentence', () => {
    expect(Object.keys(CREDIT_BASES).sort()).toEqual(SLA_CATALOG.map((s) => s.id).sort());
    for (const sla of SLA_CATALOG) {
      const d = CREDIT_BASES[sla.id]!;
      expect(d.source.url, sla.id).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(d.source.sentence.length, sla.id).toBeGreaterThan(20);
      expect(d.scope, sla.id).toBe({ 'service-region': 'region', 'service-global': 'all-regions', resource: 'resource' }[sla.creditBase]);
    }
    // EC2 Region-level: the SLA excludes RI upfront payments, in its own words.
    expect(CREDIT_BASES['ec2-region']!.source.sentence).toContain('excluding one-time payments such as upfront payments made for Reserved Instances');
    expect(CREDIT_BASES['s3-standard']!.source.sentence).toContain('the applicable Amazon S3 storage class');
  });

  it('counts usage and recurring reservation fees only', () => {
    expect([...COUNTED_RECORD_TYPES]).toEqual(['Usage', 'DiscountedUsage', 'Recurring reservation fee', 'RIFee']);
  });

  it.each([
    ['S3', 'TimedStorage-ByteHrs', 'S3:STANDARD'],
    ['S3', 'USE2-TimedStorage-ByteHrs', 'S3:STANDARD'],
    ['S3', 'EU-Requests-Tier1', 'S3:STANDARD'],
    ['S3', 'Requests-Tier2', 'S3:STANDARD'],
    ['S3', 'USE2-TimedStorage-SIA-ByteHrs', 'S3:STANDARD_IA'],
    ['S3', 'Requests-SIA-Tier1', 'S3:STANDARD_IA'],
    ['S3', 'Retrieval-SIA', 'S3:STANDARD_IA'],
    ['S3', 'EarlyDelete-SIA', 'S3:STANDARD_IA'],
    ['S3', 'TimedStorage-ZIA-ByteHrs', 'S3:ONEZONE_IA'],
    ['S3', 'TimedStorage-INT-FA-ByteHrs', 'S3:INTELLIGENT_TIERING'],
    ['S3', 'Monitoring-Automation-INT', 'S3:INTELLIGENT_TIERING'],
    ['S3', 'TimedStorage-GIR-ByteHrs', 'S3:GLACIER_IR'],
    ['S3', 'TimedStorage-GlacierByteHrs', 'S3:GLACIER'],
    ['S3', 'Requests-GLACIER-Tier1', 'S3:GLACIER'],
    ['S3', 'EarlyDelete-ByteHrs', 'S3:GLACIER'],
    ['S3', 'TimedStorage-GDA-ByteHrs', 'S3:DEEP_ARCHIVE'],
    ['S3', 'TimedStorage-XZ-ByteHrs', 'S3:EXPRESS_ONEZONE'],
    ['S3', 'TimedStorage-RRS-ByteHrs', 'S3:REDUCED_REDUNDANCY'],
    ['S3', 'Requests-Tier4', 'S3:OTHER_REQUESTS'],
    ['S3', 'DataTransfer-Out-Bytes', null],
    ['S3', 'USE1-USE2-AWS-Out-Bytes', null],
    ['S3', 'TagStorage-TagHrs', null],
    ['ROUTE53', 'DNS-Queries', 'ROUTE53:QUERIES'],
    ['ROUTE53', 'Intl-DNS-Queries', 'ROUTE53:QUERIES'],
    ['ROUTE53', 'LBR-Queries', 'ROUTE53:QUERIES'],
    ['ROUTE53', 'Geo-Queries', 'ROUTE53:QUERIES'],
    ['ROUTE53', 'Intra-AWS-DNS-Queries', 'ROUTE53:QUERIES'],
    ['ROUTE53', 'HostedZone', null],
    ['ROUTE53', 'Health-Check-AWS', null],
    ['ROUTE53', 'DNS-FirewallQueries', null],
    ['ROUTE53', 'USE1-ResolverNetworkInterface', null],
    ['DYNAMODB', 'EUW1-ReplWriteCapacityUnit-Hrs', 'DYNAMODB:REPLICATED_WRITES'],
    ['DYNAMODB', 'EUW1-IA-ReplWriteCapacityUnit-Hrs', 'DYNAMODB:REPLICATED_WRITES'],
    ['DYNAMODB', 'USW2-ReplWriteRequestUnits', 'DYNAMODB:REPLICATED_WRITES'],
    ['DYNAMODB', 'USW2-WriteCapacityUnit-Hrs', null],
    ['DYNAMODB', 'TimedStorage-ByteHrs', null],
    ['EC2', 'BoxUsage:m5.large', null],
  ])('%s usage type %s → %s', (service, usageType, category) => {
    expect(usageCategory(service, usageType)).toBe(category);
  });

  it('maps each SLA to the charges it counts', () => {
    expect(base('s3-standard')).toEqual({ allRegions: false, categories: ['S3:STANDARD', 'S3:REDUCED_REDUNDANCY', 'S3:GLACIER', 'S3:DEEP_ARCHIVE', 'S3:OTHER_REQUESTS'] });
    expect(base('s3-standard', 'us-east-1', { storageClasses: ['STANDARD'] })).toEqual({ allRegions: false, categories: ['S3:STANDARD'] });
    expect(base('s3-infrequent-access').categories).toEqual(['S3:INTELLIGENT_TIERING', 'S3:STANDARD_IA', 'S3:ONEZONE_IA', 'S3:GLACIER_IR']);
    expect(base('route53', 'global')).toEqual({ allRegions: true, categories: ['ROUTE53:QUERIES'] });
    expect(base('dynamodb-global', 'us-east-1', { replicaRegions: ['us-east-1', 'eu-west-1', 'ap-south-1'] })).toEqual({
      allRegions: false,
      categories: null,
      replicas: { regions: ['ap-south-1', 'eu-west-1'], categories: ['DYNAMODB:REPLICATED_WRITES'] },
    });
    expect(base('dynamodb-global')).toEqual({ allRegions: false, categories: null });
    expect(base('ec2-region')).toEqual({ allRegions: false, categories: null });
    expect(base('ec2-instance')).toEqual({ allRegions: false, categories: null });
    expect(base('cloudfront', 'global')).toEqual({ allRegions: true, categories: null });
  });
});

// ─────────────────────────────── the CSV spend file ───────────────────────────────

describe('CsvSpendSource: the credit base', () => {
  const spend = new CsvSpendSource(
    [
      HEADER,
      row('EC2', 'us-east-1', '18400.00', 'BoxUsage:m5.large'),
      row('EC2', 'us-east-1', '3473.12', 'HeavyUsage:m5.large', 'Recurring reservation fee'),
      row('EC2', 'us-east-1', '26280.00', 'HeavyUsage:m5.large', 'Upfront reservation fee'),
      row('EC2', 'us-east-1', '1900.00', '', 'Tax'),
      row('EC2', 'us-east-1', '-500.00', '', 'Credit'),
      row('EC2', 'us-east-1', '-20.00', '', 'Refund'),
      row('EC2', 'us-east-1', '4000.00', 'BoxUsage:m5.large', 'SavingsPlanCoveredUsage'),
      row('EC2', 'us-east-1', '-4000.00', 'BoxUsage:m5.large', 'SavingsPlanNegation'),
      row('SUPPORT', 'global', '2187.31', '', 'Support'),
      row('S3', 'us-east-1', '2150.00', 'TimedStorage-ByteHrs'),
      row('S3', 'us-east-1', '310.40', 'Requests-Tier1'),
      row('S3', 'us-east-1', '640.00', 'TimedStorage-SIA-ByteHrs'),
      row('S3', 'us-east-1', '1200.00', 'DataTransfer-Out-Bytes'),
      row('S3', 'us-east-1', '310.00', '', 'tax'),
      row('S3', 'eu-west-1', '99.00'),
      row('ROUTE53', 'global', '186.00', 'DNS-Queries'),
      row('ROUTE53', 'global', '62.00', 'LBR-Queries'),
      row('ROUTE53', 'global', '12.50', 'HostedZone'),
      row('ROUTE53', 'global', '25.00', 'Health-Check-AWS'),
      row('DYNAMODB', 'us-east-1', '5000.00', 'TimedStorage-ByteHrs'),
      row('DYNAMODB', 'eu-west-1', '900.00', 'EUW1-ReadCapacityUnit-Hrs'),
      row('DYNAMODB', 'eu-west-1', '410.25', 'EUW1-ReplWriteCapacityUnit-Hrs'),
      row('DYNAMODB', 'ap-south-1', '80.00', 'APS3-ReplWriteRequestUnits'),
    ].join('\n'),
  );

  it('a Tax, credit, refund, support, upfront or Savings Plans row is not counted; the recurring RI fee is', async () => {
    expect(await spend.chargesCents(q('EC2', 'us-east-1', base('ec2-region')))).toBe(1_840_000 + 347_312);
    expect(await spend.chargesCents(q('EC2', 'us-east-1'))).toBe(2_187_312); // no base: still usage only
    expect(await spend.chargesCents(q('SUPPORT', 'global'))).toBeNull();
  });

  it('S3 is charged on its storage class only, not on every S3 charge in the Region', async () => {
    expect(await spend.chargesCents(q('S3', 'us-east-1', base('s3-standard')))).toBe(215_000 + 31_040);
    expect(await spend.chargesCents(q('S3', 'us-east-1', base('s3-infrequent-access')))).toBe(64_000);
    expect(await spend.chargesCents(q('S3', 'us-east-1', base('s3-standard', 'us-east-1', { storageClasses: ['GLACIER'] })))).toBe(0);
    // Without a usage type a row cannot be attributed to a class: unknown, not the whole service.
    expect(await spend.chargesCents(q('S3', 'eu-west-1', base('s3-standard', 'eu-west-1')))).toBeNull();
    expect(await spend.chargesCents(q('S3', 'eu-west-1'))).toBe(9_900);
  });

  it('Route 53 is charged on the month\'s DNS query charges (the engine takes the daily average)', async () => {
    expect(await spend.chargesCents(q('ROUTE53', 'global', base('route53', 'global')))).toBe(18_600 + 6_200);
    expect(await spend.chargesCents(q('ROUTE53', 'global', base('route53', 'global'), { region: 'us-east-1' }))).toBe(24_800);
  });

  it('DynamoDB global tables add the replicated-write charges of the other Regions the contract names', async () => {
    const global = base('dynamodb-global', 'us-east-1', { replicaRegions: ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'] });
    expect(await spend.chargesCents(q('DYNAMODB', 'us-east-1', global))).toBe(500_000 + 41_025 + 8_000);
    expect(await spend.chargesCents(q('DYNAMODB', 'us-east-1', base('dynamodb')))).toBe(500_000);
    const fromIreland = base('dynamodb-global', 'eu-west-1', { replicaRegions: ['us-east-1', 'eu-west-1'] });
    expect(await spend.chargesCents(q('DYNAMODB', 'eu-west-1', fromIreland))).toBe(131_025);
  });

  it('bad record_type or usage_type values: the line, the field and the value', () => {
    expect(() => new CsvSpendSource([HEADER, row('EC2', 'us-east-1', '1', '', 'Taxes')].join('\n'), 's.csv')).toThrow(SpendFileError);
    expect(() => new CsvSpendSource([HEADER, row('EC2', 'us-east-1', '1', '', 'Taxes')].join('\n'), 's.csv')).toThrow(
      /^s\.csv line 2: record_type: expected a Cost Explorer RECORD_TYPE \(Usage, .*\) \(got "Taxes"\)$/,
    );
    expect(() => new CsvSpendSource([HEADER, row('S3', 'us-east-1', '1', 'Timed Storage')].join('\n'), 's.csv')).toThrow(
      's.csv line 2: usage_type: expected a Cost Explorer usage type like USE2-TimedStorage-SIA-ByteHrs (got "Timed Storage")',
    );
  });
});

describe('config/spend.example.csv proves the exclusions', () => {
  const example = CsvSpendSource.fromFile('config/spend.example.csv');
  it('EC2 without the RI upfront fee or tax, S3 on Standard, Route 53 on queries, DynamoDB without its tax row', async () => {
    expect(await example.chargesCents(q('EC2', 'us-east-1', base('ec2-region')))).toBe(2_187_312);
    expect(await example.chargesCents(q('S3', 'us-east-1', base('s3-standard')))).toBe(215_000 + 31_040 + 9_510);
    expect(await example.chargesCents(q('ROUTE53', 'global', base('route53', 'global')))).toBe(24_800);
    expect(await example.chargesCents(q('DYNAMODB', 'us-east-1', base('dynamodb')))).toBe(500_000);
    expect(await example.chargesCents(q('LAMBDA', 'us-east-1', base('lambda')))).toBe(184_027);
  });
});

// ─────────────────────────────── the contract ───────────────────────────────

describe('contract: storageClasses and replicaRegions', () => {
  const contract = (entry: Record<string, unknown>) => parseContract({ accounts: ['*'], coverage: [entry] }, 'c.yml');
  it('are accepted where the SLA has them', () => {
    expect(contract({ service: 'S3', sla: 's3-standard', storageClasses: ['STANDARD', 'GLACIER'] }).coverage[0]!.storageClasses).toEqual(['STANDARD', 'GLACIER']);
    expect(contract({ service: 'DYNAMODB', sla: 'dynamodb-global', replicaRegions: ['us-east-1', 'eu-west-1'] }).coverage[0]!.replicaRegions).toEqual([
      'us-east-1',
      'eu-west-1',
    ]);
  });
  it('are refused elsewhere, naming the field and the value', () => {
    expect(() => contract({ service: 'S3', sla: 's3-standard', storageClasses: ['STANDARD_IA'] })).toThrow(
      'c.yml: coverage[0].storageClasses: SLA s3-standard covers STANDARD, REDUCED_REDUNDANCY, GLACIER, DEEP_ARCHIVE, not "STANDARD_IA"',
    );
    expect(() => contract({ service: 'S3', sla: 's3-standard', storageClasses: ['EXPRESS_ONEZONE'] })).toThrow(ContractError);
    expect(() => contract({ service: 'DYNAMODB', sla: 'dynamodb', storageClasses: ['STANDARD'] })).toThrow(/only S3 SLAs have storage classes, not dynamodb/);
    expect(() => contract({ service: 'S3', sla: 's3-standard', storageClasses: ['FAST'] })).toThrow(/coverage\[0\]\.storageClasses\[0\]: .* \(got "FAST"\)/);
    expect(() => contract({ service: 'DYNAMODB', sla: 'dynamodb', replicaRegions: ['eu-west-1'] })).toThrow(
      'c.yml: coverage[0].replicaRegions: only dynamodb-global adds replica Regions, not dynamodb (got ["eu-west-1"])',
    );
    expect(() => contract({ service: 'DYNAMODB', sla: 'dynamodb-global', replicaRegions: ['*'] })).toThrow(/replicaRegions\[0\]: a Region such as "eu-west-1" \(got "\*"\)/);
  });
});

// ─────────────────────────────── Cost Explorer ───────────────────────────────

const ce = mockClient(CostExplorerClient);
const client = new CostExplorerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const NOW = Date.parse('2025-11-15T00:00:00Z');
const quiet: SpendLogger = { warn: () => {} };
const group = (keys: string[], amount: string): Group => ({ Keys: keys, Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } });
const page = (groups: Group[], token?: string): GetCostAndUsageCommandOutput => ({
  $metadata: {},
  ResultsByTime: [{ TimePeriod: { Start: '2025-10-01', End: '2025-11-01' }, Groups: groups, Estimated: false }],
  ...(token ? { NextPageToken: token } : {}),
});
const COUNTED = { Dimensions: { Key: 'RECORD_TYPE', Values: ['Usage', 'DiscountedUsage', 'Recurring reservation fee', 'RIFee'] } };
const LINKED = { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNT] } };
const isDetail = (input: { GroupBy?: { Key?: string }[] }) => input.GroupBy?.[1]?.Key === 'USAGE_TYPE';

/** Answers the SERVICE×REGION question with `services` and each detail question with `detail[serviceName]` pages. */
function answer(services: Group[], detail: Record<string, GetCostAndUsageCommandOutput[]>) {
  const served = new Map<string, number>();
  ce.on(GetCostAndUsageCommand).callsFake((input) => {
    if (!isDetail(input)) return page(services);
    const name = (input.Filter.And.at(-1).Dimensions.Values as string[])[0]!;
    const n = served.get(name) ?? 0;
    served.set(name, n + 1);
    return detail[name]![Math.min(n, detail[name]!.length - 1)]!;
  });
}

beforeEach(() => ce.reset());
afterAll(() => ce.restore());

describe('CostExplorerSpendSource: the credit base', () => {
  const SERVICES = [
    group(['Amazon Simple Storage Service', 'us-east-1'], '4300.40'),
    group(['Amazon Route 53', 'NoRegion'], '285.50'),
    group(['Amazon DynamoDB', 'us-east-1'], '5000'),
    group(['Amazon DynamoDB', 'eu-west-1'], '1310.25'),
    group(['AWS Lambda', 'us-east-1'], '1840.27'),
  ];

  it('a whole-service base asks one question; an S3 class base adds one REGION × USAGE_TYPE question for S3, all its pages', async () => {
    answer(SERVICES, {
      'Amazon Simple Storage Service': [
        page([group(['us-east-1', 'TimedStorage-ByteHrs'], '2150'), group(['us-east-1', 'TimedStorage-SIA-ByteHrs'], '640')], 'p2'),
        page([group(['us-east-1', 'Requests-Tier1'], '310.40'), group(['us-east-1', 'DataTransfer-Out-Bytes'], '1200')]),
      ],
    });
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW, quiet);
    expect(await source.chargesCents(q('LAMBDA', 'us-east-1', base('lambda')))).toBe(184_027);
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
    expect(await source.chargesCents(q('S3', 'us-east-1', base('s3-standard')))).toBe(246_040);
    expect(await source.chargesCents(q('S3', 'us-east-1', base('s3-infrequent-access')))).toBe(64_000);
    const calls = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(3); // services, then S3 detail page 1 and page 2; the second S3 claim is memoised
    expect(calls[1]).toEqual({
      TimePeriod: { Start: '2025-10-01', End: '2025-11-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      Filter: { And: [LINKED, COUNTED, { Dimensions: { Key: 'SERVICE', Values: ['Amazon Simple Storage Service'] } }] },
      GroupBy: [
        { Type: 'DIMENSION', Key: 'REGION' },
        { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
      ],
      NextPageToken: undefined,
    });
    expect(calls[2]).toEqual({ ...calls[1], NextPageToken: 'p2' });
  });

  it('Route 53 is charged on DNS query charges; DynamoDB global tables add replica Regions\' replicated writes', async () => {
    answer(SERVICES, {
      'Amazon Route 53': [page([group(['NoRegion', 'DNS-Queries'], '186'), group(['NoRegion', 'LBR-Queries'], '62'), group(['NoRegion', 'HostedZone'], '37.50')])],
      'Amazon DynamoDB': [page([group(['eu-west-1', 'EUW1-ReplWriteCapacityUnit-Hrs'], '410.25'), group(['eu-west-1', 'EUW1-ReadCapacityUnit-Hrs'], '900')])],
    });
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW, quiet);
    expect(await source.chargesCents(q('ROUTE53', 'global', base('route53', 'global')))).toBe(24_800);
    const global = base('dynamodb-global', 'us-east-1', { replicaRegions: ['us-east-1', 'eu-west-1'] });
    expect(await source.chargesCents(q('DYNAMODB', 'us-east-1', global))).toBe(500_000 + 41_025);
    expect(await source.chargesCents(q('DYNAMODB', 'us-east-1', base('dynamodb')))).toBe(500_000);
    const details = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input).filter(isDetail);
    expect(details.map((i) => i.Filter!.And!.at(-1)!.Dimensions!.Values)).toEqual([['Amazon Route 53'], ['Amazon DynamoDB']]);
  });

  it('no detail question for a service without charges where the base is taken: unknown', async () => {
    answer([group(['AWS Lambda', 'us-east-1'], '1')], {});
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW, quiet);
    expect(await source.chargesCents(q('S3', 'us-east-1', base('s3-standard')))).toBeNull();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
  });

  it('caches the detail next to the month (SPEND#DETAIL#<service>), bounded, and reads it back without asking again', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
    const ddb = mockClient(doc);
    try {
      const db: Db = { client: new DynamoDBClient({ region: 'us-east-1' }), doc, tableName: 't' };
      ddb.on(GetCommand).resolves({});
      ddb.on(PutCommand).resolves({});
      answer(SERVICES, { 'Amazon Simple Storage Service': [page([group(['us-east-1', 'TimedStorage-ByteHrs'], '2150')])] });
      await new CostExplorerSpendSource(db, client, undefined, () => NOW, quiet).chargesCents(q('S3', 'us-east-1', base('s3-standard')));
      const items = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item!);
      expect(items.map((i) => [i.pk, i.sk])).toEqual([
        [`SPEND#${ACCOUNT}#2025-10`, 'SPEND'],
        [`SPEND#${ACCOUNT}#2025-10`, 'SPEND#DETAIL#S3'],
      ]);
      expect(items[1]).toMatchObject({ spend: { 'us-east-1|S3:STANDARD': 215_000 }, final: true, version: SPEND_CACHE_VERSION });
      ddb.reset();
      ce.reset();
      ddb.on(GetCommand).callsFake((input) => ({ Item: items.find((i) => i.sk === input.Key.sk) }));
      expect(await new CostExplorerSpendSource(db, client, undefined, () => NOW, quiet).chargesCents(q('S3', 'us-east-1', base('s3-standard')))).toBe(215_000);
      expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(0);
    } finally {
      ddb.restore();
    }
  });
});

// ─────────────────────────────── the recompute call site ───────────────────────────────

describe('recompute asks for the SLA\'s credit base', () => {
  const window = (service: string, region: string): IncidentWindow => ({
    eventArn: `arn:aws:health:${region}::event/${service}/X/1`,
    service,
    eventTypeCode: `AWS_${service}_OPERATIONAL_ISSUE`,
    region,
    statusCode: 'closed',
    startMs: Date.parse('2025-10-20T07:00:00Z'),
    endMs: Date.parse('2025-10-20T09:00:00Z'),
    lastUpdatedMs: Date.parse('2025-10-20T09:00:00Z'),
    description: 'x',
    affectedResources: [],
    affectedResourceCount: 0,
  });
  const memoryStore = (): RecomputeClaimStore => {
    const items = new Map<string, StoredClaim>();
    return {
      ...memoryResourceLists(),
      getForRecompute: async (ids) => new Map(ids.filter((id) => items.has(id)).map((id) => [id, items.get(id)!])),
      listStoredByMonth: async () => [...items.values()],
      saveRecomputed: async (next: Claim, windows: WindowMap) => {
        items.set(next.claimId, { claim: next, windows, audit: [] });
        return { ok: true, claim: next };
      },
    };
  };
  const recording = (inner: SpendSource) => {
    const seen: SpendQuery[] = [];
    return { seen, chargesCents: (query: SpendQuery) => (seen.push(query), inner.chargesCents(query)) };
  };
  const scope = (slaId: string, service: string, region: string) => ({ scopeKey: `${ACCOUNT}#${slaId}#${region}`, account: ACCOUNT, slaId, service, region, resource: null });
  const run = async (contract: Contract, target: ReturnType<typeof scope>, spend: SpendSource) => {
    const key = `${ACCOUNT}#${target.slaId}`;
    const { claims } = await recomputeClaims([{ scope: target, month: '2025-10', patch: { [key]: window(target.service, target.region) } }], {
      claims: memoryStore(),
      contract,
      spend,
      now: () => Date.parse('2025-10-22T00:00:00Z'),
    });
    return claims[0]!;
  };
  const csv = new CsvSpendSource(
    [
      HEADER,
      row('S3', 'us-east-1', '2150.00', 'TimedStorage-ByteHrs'),
      row('S3', 'us-east-1', '640.00', 'TimedStorage-GlacierByteHrs'),
      row('S3', 'us-east-1', '1200.00', 'DataTransfer-Out-Bytes'),
      row('DYNAMODB', 'us-east-1', '5000.00', 'TimedStorage-ByteHrs'),
      row('DYNAMODB', 'eu-west-1', '410.25', 'EUW1-ReplWriteCapacityUnit-Hrs'),
      row('ROUTE53', 'global', '186.00', 'DNS-Queries'),
      row('ROUTE53', 'global', '99.50', 'HostedZone'),
    ].join('\n'),
  );

  it('S3: the contract\'s storage class, not all of S3 in the Region', async () => {
    const contract = parseContract({ accounts: ['*'], coverage: [{ service: 'S3', regions: ['us-east-1'], sla: 's3-standard', storageClasses: ['STANDARD'] }] });
    const spend = recording(csv);
    const claim = await run(contract, scope('s3-standard', 'S3', 'us-east-1'), spend);
    expect(spend.seen[0]!.base).toEqual({ allRegions: false, categories: ['S3:STANDARD'] });
    expect(claim.chargesCents).toBe(215_000);
  });

  it('DynamoDB global tables: the Region plus the replicas\' replicated writes', async () => {
    const contract = parseContract({
      accounts: ['*'],
      coverage: [{ service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb-global', replicaRegions: ['us-east-1', 'eu-west-1'] }],
    });
    const claim = await run(contract, scope('dynamodb-global', 'DYNAMODB', 'us-east-1'), csv);
    expect(claim.chargesCents).toBe(541_025);
  });

  it('Route 53: the query charges, credited per day of the month', async () => {
    const contract = parseContract({ accounts: ['*'], coverage: [{ service: 'ROUTE53', regions: ['global'], sla: 'route53' }] });
    const claim = await run(contract, scope('route53', 'ROUTE53', 'global'), csv);
    expect(claim.chargesCents).toBe(18_600);
    // A 2-hour period → 7 days of the 31-day month's average daily query charges: 18 600 × 7 / 31 = 4 200.
    expect(claim.creditCents).toBe(4_200);
  });
});
