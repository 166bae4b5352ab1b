import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CostExplorerClient,
  CostExplorerServiceException,
  DataUnavailableException,
  GetCostAndUsageCommand,
  LimitExceededException,
  type GetCostAndUsageCommandOutput,
  type Group,
} from '@aws-sdk/client-cost-explorer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidAmountError } from '../../src/credit/money.ts';
import {
  COST_EXPLORER_SERVICES,
  CostExplorerSpendSource,
  FINAL_AFTER_MS,
  SPEND_CACHE_VERSION,
  isTransientCostExplorerError,
  usdDecimalToCents,
  type SpendLogger,
} from '../../src/spend/cost-explorer.ts';
import { CsvSpendSource, NO_SPEND, SpendFileError, type SpendQuery } from '../../src/spend/spend.ts';
import type { Db } from '../../src/store/clients.ts';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
const HEADER = 'account,month,service,region,amount';

const q = (over: Partial<SpendQuery> = {}): SpendQuery => ({ account: ACCOUNT, month: '2025-10', service: 'DYNAMODB', region: 'us-east-1', ...over });
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

const tmp = mkdtempSync(join(tmpdir(), 'spend-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ─────────────────────────────── CsvSpendSource ───────────────────────────────

describe('CsvSpendSource: reading', () => {
  it('returns the amount in integer cents for an exact key, null otherwise', async () => {
    const s = new CsvSpendSource(csv(`${ACCOUNT},2025-10,DYNAMODB,us-east-1,5000.5`));
    expect(await s.chargesCents(q())).toBe(500050);
    expect(await s.chargesCents(q({ month: '2025-11' }))).toBeNull();
    expect(await s.chargesCents(q({ account: OTHER }))).toBeNull();
    expect(await s.chargesCents(q({ region: 'us-east-2' }))).toBeNull();
    expect(await s.chargesCents(q({ service: 'LAMBDA' }))).toBeNull();
  });

  it('service codes compare case-insensitively', async () => {
    const s = new CsvSpendSource(csv(`${ACCOUNT},2025-10,dynamodb,us-east-1,12.34`));
    expect(await s.chargesCents(q({ service: 'DynamoDB' }))).toBe(1234);
  });

  it('adds up rows for the same key, exactly', async () => {
    const s = new CsvSpendSource(
      csv(`${ACCOUNT},2025-10,DYNAMODB,us-east-1,0.10`, `${ACCOUNT},2025-10,DYNAMODB,us-east-1,0.20`, `${ACCOUNT},2025-10,DYNAMODB,us-east-1,1000`),
    );
    expect(await s.chargesCents(q())).toBe(100030);
  });

  it('a zero amount is known spend (0), not unknown (null)', async () => {
    const s = new CsvSpendSource(csv(`${ACCOUNT},2025-10,DYNAMODB,us-east-1,0`));
    expect(await s.chargesCents(q())).toBe(0);
  });

  it('keeps resource rows apart from Region rows', async () => {
    const lb = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/checkout/1';
    const s = new CsvSpendSource(
      [
        `${HEADER},resource`,
        `${ACCOUNT},2025-10,ELASTICLOADBALANCING,us-east-1,100,`,
        `${ACCOUNT},2025-10,ELASTICLOADBALANCING,us-east-1,612.40,${lb}`,
        `${ACCOUNT},2025-10,ELASTICLOADBALANCING,us-east-1,0.60,${lb}`,
      ].join('\n'),
    );
    const base = q({ service: 'ELASTICLOADBALANCING' });
    expect(await s.chargesCents(base)).toBe(10000);
    expect(await s.chargesCents({ ...base, resource: null })).toBe(10000);
    expect(await s.chargesCents({ ...base, resource: lb })).toBe(61300);
    expect(await s.chargesCents({ ...base, resource: 'other' })).toBeNull();
  });

  it('columns may come in any order and header case; cells are trimmed', async () => {
    const s = new CsvSpendSource(['Amount, Region ,SERVICE,Month,Account', ` 7.5 , us-east-1 , S3 , 2025-10 , ${ACCOUNT} `].join('\n'));
    expect(await s.chargesCents(q({ service: 'S3' }))).toBe(750);
  });

  it('skips comments and blank lines (before the header too), accepts CRLF', async () => {
    const s = new CsvSpendSource(
      ['# spend', '', `  # indented comment`, HEADER, '', `${ACCOUNT},2025-10,DYNAMODB,us-east-1,1`, '# trailing', `${ACCOUNT},2025-10,DYNAMODB,us-east-1,2`, ''].join('\r\n'),
    );
    expect(await s.chargesCents(q())).toBe(300);
  });

  it('understands quoted cells with commas and doubled quotes', async () => {
    const s = new CsvSpendSource(
      [`${HEADER},resource`, `"${ACCOUNT}",2025-10,DYNAMODB,us-east-1,"1,234.56","table ""a"", b"`].join('\n'),
    );
    expect(await s.chargesCents(q({ resource: 'table "a", b' }))).toBe(123456);
  });

  it('reads config/spend.example.csv', async () => {
    const s = CsvSpendSource.fromFile(resolve(import.meta.dirname, '../../config/spend.example.csv'));
    expect(await s.chargesCents(q())).toBe(500000);
    expect(await s.chargesCents(q({ service: 'LAMBDA' }))).toBe(184027);
    expect(await s.chargesCents(q({ account: OTHER }))).toBe(1245075);
    expect(await s.chargesCents(q({ account: OTHER, month: '2023-01', service: 'EC2', region: 'af-south-1' }))).toBe(98000);
    const lb = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/checkout/50dc6c495c0c9188';
    expect(await s.chargesCents(q({ service: 'ELASTICLOADBALANCING', resource: lb }))).toBe(61240);
    expect(await s.chargesCents(q({ service: 'ELASTICLOADBALANCING' }))).toBeNull();
  });
});

describe('CsvSpendSource: allRegions', () => {
  const s = new CsvSpendSource(
    [
      `${HEADER},resource`,
      `${ACCOUNT},2025-10,DYNAMODB,us-east-1,10,`,
      `${ACCOUNT},2025-10,dynamodb,eu-west-1,2.50,`,
      `${ACCOUNT},2025-10,DYNAMODB,global,0.01,`,
      `${ACCOUNT},2025-10,DYNAMODB,us-east-1,99,arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`,
      `${ACCOUNT},2025-11,DYNAMODB,us-east-1,1000,`,
      `${OTHER},2025-10,DYNAMODB,us-east-1,1000,`,
      `${ACCOUNT},2025-10,LAMBDA,us-east-1,1000,`,
      `${ACCOUNT},2025-10,S3,us-east-1,0,`,
    ].join('\n'),
  );

  it('sums the service over every Region of the account and month (resource rows apart)', async () => {
    expect(await s.chargesCents(q({ allRegions: true }))).toBe(1251);
    expect(await s.chargesCents(q({ allRegions: true, region: 'ap-south-1', service: 'DynamoDB' }))).toBe(1251);
    expect(await s.chargesCents(q())).toBe(1000);
    expect(await s.chargesCents(q({ allRegions: false }))).toBe(1000);
  });

  it('is null when no row at all, 0 when the rows say 0', async () => {
    expect(await s.chargesCents(q({ allRegions: true, service: 'SQS' }))).toBeNull();
    expect(await s.chargesCents(q({ allRegions: true, month: '2025-09' }))).toBeNull();
    expect(await s.chargesCents(q({ allRegions: true, account: '111111111111' }))).toBeNull();
    expect(await s.chargesCents(q({ allRegions: true, service: 'S3' }))).toBe(0);
  });

  it('a resource query still reads the resource row', async () => {
    expect(await s.chargesCents(q({ allRegions: true, resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t` }))).toBe(9900);
  });
});

describe('CsvSpendSource: errors name the line, the field and the value', () => {
  it('rejects a header without a required column', () => {
    expect(() => new CsvSpendSource('account,month,service,amount\n')).toThrow(SpendFileError);
    expect(() => new CsvSpendSource('account,month,service,amount\n', 'spend.csv')).toThrow(
      'spend.csv: header must contain account,month,service,region,amount (missing region; got "account,month,service,amount")',
    );
    expect(() => new CsvSpendSource('')).toThrow('spend file: header must contain account,month,service,region,amount (missing account; got "")');
  });

  it.each([
    ['a short account', `12345,2025-10,DYNAMODB,us-east-1,1`, 'account: expected a 12-digit AWS account id (got "12345")'],
    ['a bad month', `${ACCOUNT},2025-13,DYNAMODB,us-east-1,1`, 'month: expected YYYY-MM (got "2025-13")'],
    ['a day instead of a month', `${ACCOUNT},2025-10-01,DYNAMODB,us-east-1,1`, 'month: expected YYYY-MM (got "2025-10-01")'],
    ['a service name', `${ACCOUNT},2025-10,Amazon DynamoDB,us-east-1,1`, 'service: expected a Health service code like DYNAMODB (got "Amazon DynamoDB")'],
    ['no region', `${ACCOUNT},2025-10,DYNAMODB,,1`, 'region: missing'],
    ['a negative amount', `${ACCOUNT},2025-10,DYNAMODB,us-east-1,-5`, 'amount: expected a non-negative US-dollar amount with at most two decimals, like 5000 or 1234.56 (got "-5")'],
    ['an exponent', `${ACCOUNT},2025-10,DYNAMODB,us-east-1,1e3`, 'amount: expected a non-negative US-dollar amount with at most two decimals, like 5000 or 1234.56 (got "1e3")'],
    ['three decimals', `${ACCOUNT},2025-10,DYNAMODB,us-east-1,12.345`, 'amount: expected a non-negative US-dollar amount with at most two decimals, like 5000 or 1234.56 (got "12.345")'],
    ['no amount', `${ACCOUNT},2025-10,DYNAMODB,us-east-1`, 'amount: expected a non-negative US-dollar amount'],
  ])('rejects %s', (_label, row, message) => {
    const attempt = () => new CsvSpendSource(csv(`${ACCOUNT},2025-10,DYNAMODB,us-east-1,1`, row), 'spend.csv');
    expect(attempt).toThrow(SpendFileError);
    expect(attempt).toThrow(`spend.csv line 3: ${message}`);
  });

  it('counts comment and blank lines in the line number', () => {
    const text = ['# comment', HEADER, '', '# another', `${ACCOUNT},2025-10,DYNAMODB,us-east-1,1`, `${ACCOUNT},2025-10,DYNAMODB,us-east-1,12.345`].join('\n');
    expect(() => new CsvSpendSource(text, 's.csv')).toThrow('s.csv line 6: amount: ');
  });

  it('does not throw an InvalidAmountError through (it is wrapped)', () => {
    let caught: unknown;
    try {
      new CsvSpendSource(csv(`${ACCOUNT},2025-10,DYNAMODB,us-east-1,abc`));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SpendFileError);
    expect(caught).not.toBeInstanceOf(InvalidAmountError);
  });

  it('fromFile names a missing file, and uses the path in row errors', () => {
    const missing = join(tmp, 'nope.csv');
    expect(() => CsvSpendSource.fromFile(missing)).toThrow(SpendFileError);
    expect(() => CsvSpendSource.fromFile(missing)).toThrow(`spend file ${missing}: cannot read the file (ENOENT`);
    const bad = join(tmp, 'bad.csv');
    writeFileSync(bad, csv('1,2025-10,S3,us-east-1,1'));
    expect(() => CsvSpendSource.fromFile(bad)).toThrow(`spend file ${bad} line 2: account: expected a 12-digit AWS account id (got "1")`);
  });
});

describe('NO_SPEND', () => {
  it('knows no charges', async () => {
    expect(await NO_SPEND.chargesCents(q())).toBeNull();
    expect(await NO_SPEND.chargesCents(q({ resource: 'i-1' }))).toBeNull();
  });
});

// ─────────────────────────────── usdDecimalToCents ───────────────────────────────

describe('usdDecimalToCents', () => {
  it.each([
    ['0', 0],
    ['0.005', 1],
    ['0.0049999', 0],
    ['0.0050000', 1],
    ['123.4567', 12346],
    ['123.4549', 12345],
    ['123.455', 12346],
    ['1', 100],
    ['1.1', 110],
    ['19.99', 1999],
    ['0.015', 2],
    ['0.025', 3],
    ['  42.00  ', 4200],
    ['00012.30', 1230],
    ['-0.005', -1],
    ['-123.4567', -12346],
    ['-0.004', 0],
    ['12345678901234.56', 1234567890123456],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
    ['1234567.8901234567890123456789', 123456789],
  ])('%j → %d cents', (amount, cents) => {
    expect(usdDecimalToCents(amount)).toBe(cents);
  });

  it.each([
    ['1.2E-7', 0],
    ['1.2e-7', 0],
    ['1.5E2', 15000],
    ['1e3', 100000],
    ['1E+3', 100000],
    ['5E-3', 1],
    ['4.9E-3', 0],
    ['-5E-3', -1],
    ['1.23456E1', 1235],
    ['0E5', 0],
    ['0.0E-999999999999', 0],
    ['1E-999999999999', 0],
    ['9.007199254740991E13', Number.MAX_SAFE_INTEGER],
    ['12345E-2', 12345],
  ])('exponent form %j → %d cents, exactly', (amount, cents) => {
    expect(usdDecimalToCents(amount)).toBe(cents);
  });

  it('refuses exponent-form amounts beyond the exact cent range', () => {
    expect(() => usdDecimalToCents('9.007199254740992E13')).toThrow(RangeError);
    expect(() => usdDecimalToCents('1E20')).toThrow('Cost Explorer amount: too large to count in cents exactly (got "1E20")');
    expect(() => usdDecimalToCents('1E999999999999')).toThrow(RangeError);
  });

  it.each(['', 'abc', '1e', 'e5', '1E2.5', '1.5E+', '.5E1', '1.2.3', '.5', '5.', '+1', '1,000.00', '$5', 'NaN', 'Infinity'])('rejects %j', (amount) => {
    expect(() => usdDecimalToCents(amount)).toThrow(`Cost Explorer amount: not a decimal (got ${JSON.stringify(amount)})`);
  });

  it('refuses amounts whose cents cannot be represented exactly', () => {
    expect(() => usdDecimalToCents('99999999999999999.99')).toThrow(RangeError);
    expect(() => usdDecimalToCents('90071992547409.92')).toThrow(/too large/);
  });

  it('equals a BigInt half-up reference for any decimal (property)', () => {
    const reference = (sign: string, int: string, frac: string): bigint => {
      // cents = round_half_up(|x| * 100), from the digits alone.
      const padded = `${frac}000`;
      const whole = BigInt(int) * 100n + BigInt(padded.slice(0, 2));
      const rest = padded.slice(2);
      const roundUp = rest.length > 0 && rest[0]! >= '5';
      const abs = whole + (roundUp ? 1n : 0n);
      return sign === '-' ? -abs : abs;
    };
    fc.assert(
      fc.property(
        fc.constantFrom('', '-'),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.stringMatching(/^[0-9]{0,12}$/),
        (sign, int, frac) => {
          const text = `${sign}${int}${frac ? `.${frac}` : ''}`;
          const expected = reference(sign, int.toString(), frac);
          const got = usdDecimalToCents(text);
          expect(Number.isSafeInteger(got)).toBe(true);
          // -0 and 0 are the same amount.
          expect(got === 0 ? 0n : BigInt(got)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

// ─────────────────────────────── CostExplorerSpendSource ───────────────────────────────

const ce = mockClient(CostExplorerClient);
const client = new CostExplorerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

function group(service: string, region: string, amount: string | undefined): Group {
  return { Keys: [service, region], Metrics: amount === undefined ? {} : { UnblendedCost: { Amount: amount, Unit: 'USD' } } };
}

function page(groups: Group[], token?: string): GetCostAndUsageCommandOutput {
  return {
    $metadata: {},
    ResultsByTime: [{ TimePeriod: { Start: '2025-10-01', End: '2025-11-01' }, Groups: groups, Estimated: false }],
    ...(token ? { NextPageToken: token } : {}),
  };
}

const NOW_IN_NOVEMBER = Date.parse('2025-11-15T00:00:00Z');
// Issue 10: the filter names the charge types counted (usage, recurring reservation fees) instead of excluding only
// credits and refunds, so tax, support and one-time fees (RI upfront) are left out too.
const USAGE_ONLY = {
  And: [
    { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNT] } },
    { Dimensions: { Key: 'RECORD_TYPE', Values: ['Usage', 'DiscountedUsage', 'Recurring reservation fee', 'RIFee'] } },
  ],
};

/** A logger that records its warnings (and keeps the test output quiet). */
function recordingLogger(): SpendLogger & { warnings: { message: string; extra?: Record<string, unknown> }[] } {
  const warnings: { message: string; extra?: Record<string, unknown> }[] = [];
  return { warnings, warn: (message, extra) => warnings.push({ message, extra }) };
}

function ceError(name: string, status: number, extra: Record<string, unknown> = {}): CostExplorerServiceException {
  return Object.assign(
    new CostExplorerServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: `${name} happened` }),
    extra,
  );
}

beforeEach(() => ce.reset());
afterAll(() => ce.restore());

describe('CostExplorerSpendSource without a table', () => {
  it('asks for exactly one linked account and month, counted charge types only (no credits/refunds/tax/one-time fees), monthly unblended cost, grouped by service and Region', async () => {
    ce.on(GetCostAndUsageCommand).resolves(page([group('Amazon DynamoDB', 'us-east-1', '5000.00')]));
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER);
    expect(await source.chargesCents(q())).toBe(500000);
    const calls = ce.commandCalls(GetCostAndUsageCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      TimePeriod: { Start: '2025-10-01', End: '2025-11-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      Filter: USAGE_ONLY,
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'REGION' },
      ],
      NextPageToken: undefined,
    });
  });

  it('ends the period at the first day of the next month (December → January of the next year)', async () => {
    ce.on(GetCostAndUsageCommand).resolves(page([]));
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER);
    await source.chargesCents(q({ month: '2024-12' }));
    expect(ce.commandCalls(GetCostAndUsageCommand)[0]!.args[0].input.TimePeriod).toEqual({ Start: '2024-12-01', End: '2025-01-01' });
  });

  it('follows NextPageToken and adds up every page', async () => {
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce(page([group('Amazon DynamoDB', 'us-east-1', '1.005')], 'p2'))
      .resolvesOnce(page([group('Amazon DynamoDB', 'us-east-1', '2.00'), group('AWS Lambda', 'us-east-1', '3')], 'p3'))
      .resolvesOnce(page([group('AWS Lambda', 'eu-west-1', '4.5')]));
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER);
    expect(await source.monthSpend(ACCOUNT, '2025-10')).toEqual({ 'DYNAMODB|us-east-1': 301, 'LAMBDA|us-east-1': 300, 'LAMBDA|eu-west-1': 450 });
    const tokens = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input.NextPageToken);
    expect(tokens).toEqual([undefined, 'p2', 'p3']);
  });

  it('maps Cost Explorer service names to Health codes, NoRegion to global, and ignores unknown services', async () => {
    ce.on(GetCostAndUsageCommand).resolves(
      page([
        group('Amazon Elastic Compute Cloud - Compute', 'us-east-1', '10'),
        group('Amazon Elastic Container Service for Kubernetes', 'us-east-1', '1'),
        group('Amazon Elastic Kubernetes Service', 'us-east-1', '2'),
        group('Amazon Route 53', 'NoRegion', '0.50'),
        group('Amazon CloudFront', 'global', '7'),
        group('Amazon Simple Storage Service', '', '0.25'),
        group('Tax', 'NoRegion', '99'),
        group('EC2 - Other', 'us-east-1', '99'),
        group('AWS Lambda', 'us-east-1', undefined),
      ]),
    );
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER);
    expect(await source.monthSpend(ACCOUNT, '2025-10')).toEqual({
      'EC2|us-east-1': 1000,
      'EKS|us-east-1': 300,
      'ROUTE53|global': 50,
      'CLOUDFRONT|global': 700,
      'S3|global': 25,
    });
    expect(await source.chargesCents(q({ service: 'route53', region: 'global' }))).toBe(50);
    expect(await source.chargesCents(q({ service: 'LAMBDA' }))).toBeNull();
    expect(COST_EXPLORER_SERVICES['Amazon DynamoDB']).toBe('DYNAMODB');
  });

  it('memoises per account and month: two look-ups, one call; another month or account is another call', async () => {
    ce.on(GetCostAndUsageCommand).resolves(page([group('Amazon DynamoDB', 'us-east-1', '1'), group('AWS Lambda', 'us-east-1', '2')]));
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER);
    const [a, b] = await Promise.all([source.chargesCents(q()), source.chargesCents(q({ service: 'LAMBDA' }))]);
    expect([a, b]).toEqual([100, 200]);
    expect(await source.chargesCents(q())).toBe(100);
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
    await source.chargesCents(q({ month: '2025-09' }));
    await source.chargesCents(q({ account: OTHER }));
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(3);
  });

  it('throws a throttling error and forgets it, so the next look-up retries', async () => {
    ce.on(GetCostAndUsageCommand)
      .rejectsOnce(new LimitExceededException({ message: 'throttled', $metadata: { httpStatusCode: 400 } }))
      .resolves(page([group('Amazon DynamoDB', 'us-east-1', '1')]));
    const logger = recordingLogger();
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER, logger);
    await expect(source.chargesCents(q())).rejects.toThrow('throttled');
    expect(await source.chargesCents(q())).toBe(100);
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);
    expect(logger.warnings).toEqual([]);
  });

  it('does not answer resource-level queries (no Cost Explorer call)', async () => {
    ce.on(GetCostAndUsageCommand).resolves(page([group('Amazon DynamoDB', 'us-east-1', '1')]));
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER);
    expect(await source.chargesCents(q({ resource: 'i-0abc' }))).toBeNull();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(0);
  });

  it('reads exponent-form amounts exactly', async () => {
    ce.on(GetCostAndUsageCommand).resolves(
      page([group('Amazon DynamoDB', 'us-east-1', '1.2E-5'), group('Amazon DynamoDB', 'us-east-1', '1.5E2'), group('AWS Lambda', 'us-east-1', '1.2E-7')]),
    );
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER, recordingLogger());
    expect(await source.chargesCents(q())).toBe(15000);
    expect(await source.chargesCents(q({ service: 'LAMBDA' }))).toBe(0);
  });

  it('a negative total (credits) is unknown, not a negative charge', async () => {
    ce.on(GetCostAndUsageCommand).resolves(
      page([group('Amazon DynamoDB', 'us-east-1', '10.00'), group('Amazon DynamoDB', 'us-east-1', '-25.00'), group('AWS Lambda', 'us-east-1', '3')]),
    );
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER, recordingLogger());
    expect(await source.chargesCents(q())).toBeNull();
    expect(await source.chargesCents(q({ service: 'LAMBDA' }))).toBe(300);
  });

  it('allRegions sums the service over every Region (global included); null when no row at all', async () => {
    ce.on(GetCostAndUsageCommand).resolves(
      page([
        group('Amazon DynamoDB', 'us-east-1', '10'),
        group('Amazon DynamoDB', 'eu-west-1', '2.50'),
        group('Amazon DynamoDB', 'NoRegion', '0.01'),
        group('AWS Lambda', 'us-east-1', '1000'),
        group('Amazon Simple Queue Service', 'us-east-1', '0'),
      ]),
    );
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER, recordingLogger());
    expect(await source.chargesCents(q({ allRegions: true }))).toBe(1251);
    expect(await source.chargesCents(q({ allRegions: true, service: 'dynamodb', region: 'ap-south-1' }))).toBe(1251);
    expect(await source.chargesCents(q())).toBe(1000);
    expect(await source.chargesCents(q({ allRegions: true, service: 'SQS' }))).toBe(0);
    expect(await source.chargesCents(q({ allRegions: true, service: 'S3' }))).toBeNull();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
  });

  it('allRegions with a negative Region total is unknown', async () => {
    ce.on(GetCostAndUsageCommand).resolves(page([group('Amazon DynamoDB', 'us-east-1', '10'), group('Amazon DynamoDB', 'eu-west-1', '-1')]));
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER, recordingLogger());
    expect(await source.chargesCents(q({ allRegions: true }))).toBeNull();
  });
});

describe('CostExplorerSpendSource when Cost Explorer fails', () => {
  it.each([
    ['AccessDeniedException', () => ceError('AccessDeniedException', 400)],
    ['DataUnavailableException', () => new DataUnavailableException({ message: 'no data', $metadata: { httpStatusCode: 400 } })],
    ['ValidationException (month too old)', () => ceError('ValidationException', 400)],
    ['Cost Explorer not enabled', () => ceError('AccessDeniedException', 400, { message: 'User not enabled for cost explorer access' })],
    ['a plain error', () => new Error('something odd')],
  ])('%s: charges unknown (null), one warning naming account, month and error, remembered for the instance', async (_label, makeError) => {
    const error = makeError();
    ce.on(GetCostAndUsageCommand).rejects(error);
    const logger = recordingLogger();
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER, logger);
    expect(await source.chargesCents(q())).toBeNull();
    expect(await source.chargesCents(q({ service: 'LAMBDA' }))).toBeNull();
    expect(await source.monthSpend(ACCOUNT, '2025-10')).toBeNull();
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
    expect(logger.warnings).toHaveLength(1);
    const { message, extra } = logger.warnings[0]!;
    expect(message).not.toContain('\n');
    expect(message).toContain(ACCOUNT);
    expect(message).toContain('2025-10');
    expect(message).toContain(error.message);
    expect(extra).toMatchObject({ account: ACCOUNT, month: '2025-10' });
    // Another month is another question.
    await source.chargesCents(q({ month: '2025-09' }));
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);
  });

  it('an unreadable or too large amount: charges unknown with a warning naming the amount', async () => {
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce(page([group('Amazon DynamoDB', 'us-east-1', 'abc')]))
      .resolvesOnce(page([group('Amazon DynamoDB', 'us-east-1', '1E20')]));
    const logger = recordingLogger();
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER, logger);
    expect(await source.chargesCents(q())).toBeNull();
    expect(await source.chargesCents(q({ month: '2025-09' }))).toBeNull();
    expect(logger.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('not a decimal (got "abc")'),
      expect.stringContaining('too large to count in cents exactly (got "1E20")'),
    ]);
  });

  it.each([
    ['ThrottlingException', () => ceError('ThrottlingException', 400)],
    ['LimitExceededException', () => new LimitExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } })],
    ['TooManyRequestsException', () => ceError('TooManyRequestsException', 429)],
    ['$retryable', () => ceError('SomethingRetryable', 400, { $retryable: {} })],
    ['HTTP 500', () => ceError('InternalServerError', 500)],
    ['HTTP 503', () => ceError('ServiceUnavailable', 503)],
  ])('%s is transient: thrown (the Lambda retries), not remembered, no warning', async (_label, makeError) => {
    const error = makeError();
    expect(isTransientCostExplorerError(error)).toBe(true);
    ce.on(GetCostAndUsageCommand).rejectsOnce(error).resolves(page([group('Amazon DynamoDB', 'us-east-1', '1')]));
    const logger = recordingLogger();
    const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER, logger);
    await expect(source.chargesCents(q())).rejects.toBe(error);
    expect(await source.chargesCents(q())).toBe(100);
    expect(logger.warnings).toEqual([]);
  });

  it('classifies non-transient errors', () => {
    expect(isTransientCostExplorerError(ceError('AccessDeniedException', 400))).toBe(false);
    expect(isTransientCostExplorerError(ceError('ValidationException', 400))).toBe(false);
    expect(isTransientCostExplorerError(new Error('ThrottlingException'))).toBe(false);
    expect(isTransientCostExplorerError(null)).toBe(false);
    expect(isTransientCostExplorerError('boom')).toBe(false);
  });

  it('warns through console.warn by default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      ce.on(GetCostAndUsageCommand).rejects(ceError('AccessDeniedException', 400));
      const source = new CostExplorerSpendSource(null, client, undefined, () => NOW_IN_NOVEMBER);
      expect(await source.chargesCents(q())).toBeNull();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/AccessDeniedException.*AccessDeniedException happened/);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('CostExplorerSpendSource with the table cache', () => {
  const TABLE = 'spend-cache';
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  const ddb = mockClient(doc);
  const db: Db = { client: new DynamoDBClient({ region: 'us-east-1' }), doc, tableName: TABLE };
  const KEY = { pk: `SPEND#${ACCOUNT}#2025-10`, sk: 'SPEND' };
  const TTL = 6 * 3600_000;
  const V = { version: SPEND_CACHE_VERSION };
  const OCTOBER_END = Date.parse('2025-11-01T00:00:00Z');

  beforeEach(() => {
    ddb.reset();
    ddb.on(PutCommand).resolves({});
  });
  afterEach(() => ddb.reset());
  afterAll(() => ddb.restore());

  it('a final cached month is used without calling Cost Explorer', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...KEY, spend: { 'DYNAMODB|us-east-1': 4242 }, fetchedAt: 0, final: true, ...V } });
    const source = new CostExplorerSpendSource(db, client, TTL, () => NOW_IN_NOVEMBER);
    expect(await source.chargesCents(q())).toBe(4242);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: TABLE, Key: KEY });
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('a miss calls Cost Explorer and stores a month closed for FINAL_AFTER_MS as final', async () => {
    ddb.on(GetCommand).resolves({});
    ce.on(GetCostAndUsageCommand).resolves(page([group('Amazon DynamoDB', 'us-east-1', '12.34')]));
    const source = new CostExplorerSpendSource(db, client, TTL, () => NOW_IN_NOVEMBER);
    expect(await source.chargesCents(q())).toBe(1234);
    const puts = ddb.commandCalls(PutCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Item: { ...KEY, type: 'spend', account: ACCOUNT, month: '2025-10', spend: { 'DYNAMODB|us-east-1': 1234 }, fetchedAt: NOW_IN_NOVEMBER, final: true, ...V },
    });
  });

  it('the running month is stored as not final', async () => {
    ddb.on(GetCommand).resolves({});
    ce.on(GetCostAndUsageCommand).resolves(page([]));
    const now = Date.parse('2025-10-31T23:59:59Z');
    await new CostExplorerSpendSource(db, client, TTL, () => now).chargesCents(q());
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ final: false, fetchedAt: now, spend: {} });
  });

  it('a month becomes final only FINAL_AFTER_MS (5 days) after it ends: Cost Explorer keeps adding late usage', async () => {
    expect(FINAL_AFTER_MS).toBe(5 * 24 * 3600_000);
    ddb.on(GetCommand).resolves({});
    ce.on(GetCostAndUsageCommand).resolves(page([]));
    for (const now of [OCTOBER_END, OCTOBER_END + FINAL_AFTER_MS - 1, OCTOBER_END + FINAL_AFTER_MS]) {
      await new CostExplorerSpendSource(db, client, TTL, () => now).chargesCents(q());
    }
    expect(ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item?.final)).toEqual([false, false, true]);
  });

  it('a just-ended month cached as not final is re-read after the TTL, like a running month', async () => {
    const now = OCTOBER_END + 2 * 24 * 3600_000;
    ddb.on(GetCommand).resolves({ Item: { ...KEY, spend: { 'DYNAMODB|us-east-1': 100 }, fetchedAt: now - TTL, final: false, ...V } });
    ce.on(GetCostAndUsageCommand).resolves(page([group('Amazon DynamoDB', 'us-east-1', '1.10')]));
    expect(await new CostExplorerSpendSource(db, client, TTL, () => now).chargesCents(q())).toBe(110);
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ final: false, fetchedAt: now });
  });

  it('a cached item from before usage-only reads (no version) is re-read, even if marked final', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...KEY, spend: { 'DYNAMODB|us-east-1': -500 }, fetchedAt: 0, final: true } });
    ce.on(GetCostAndUsageCommand).resolves(page([group('Amazon DynamoDB', 'us-east-1', '12.34')]));
    expect(await new CostExplorerSpendSource(db, client, TTL, () => NOW_IN_NOVEMBER).chargesCents(q())).toBe(1234);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ final: true, version: SPEND_CACHE_VERSION });
  });

  it('a negative total in a cached month is unknown', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...KEY, spend: { 'DYNAMODB|us-east-1': -500 }, fetchedAt: 0, final: true, ...V } });
    expect(await new CostExplorerSpendSource(db, client, TTL, () => NOW_IN_NOVEMBER).chargesCents(q())).toBeNull();
  });

  it('a non-transient Cost Explorer failure is not cached in the table', async () => {
    ddb.on(GetCommand).resolves({});
    ce.on(GetCostAndUsageCommand).rejects(ceError('AccessDeniedException', 400));
    expect(await new CostExplorerSpendSource(db, client, TTL, () => NOW_IN_NOVEMBER, recordingLogger()).chargesCents(q())).toBeNull();
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('an open month cached less than the TTL ago is used as is', async () => {
    const now = Date.parse('2025-10-20T12:00:00Z');
    ddb.on(GetCommand).resolves({ Item: { ...KEY, spend: { 'DYNAMODB|us-east-1': 100 }, fetchedAt: now - TTL + 1, final: false, ...V } });
    const source = new CostExplorerSpendSource(db, client, TTL, () => now);
    expect(await source.chargesCents(q())).toBe(100);
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(0);
  });

  it('an open month cached TTL or more ago is re-read and re-stored', async () => {
    const now = Date.parse('2025-10-20T12:00:00Z');
    ddb.on(GetCommand).resolves({ Item: { ...KEY, spend: { 'DYNAMODB|us-east-1': 100 }, fetchedAt: now - TTL, final: false, ...V } });
    ce.on(GetCostAndUsageCommand).resolves(page([group('Amazon DynamoDB', 'us-east-1', '2.50')]));
    const source = new CostExplorerSpendSource(db, client, TTL, () => now);
    expect(await source.chargesCents(q())).toBe(250);
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ spend: { 'DYNAMODB|us-east-1': 250 }, fetchedAt: now, final: false });
  });

  it('the table is read once per account and month per instance (memoised)', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...KEY, spend: { 'DYNAMODB|us-east-1': 1 }, fetchedAt: 0, final: true, ...V } });
    const source = new CostExplorerSpendSource(db, client, TTL, () => NOW_IN_NOVEMBER);
    await source.chargesCents(q());
    await source.chargesCents(q({ service: 'LAMBDA' }));
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
  });
});
