import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { MessageRejected, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { formatUsd } from '../../src/credit/money.ts';
import { createDb } from '../../src/store/clients.ts';
import { MONTH_SUMMARY_INDEX } from '../../src/store/table.ts';
import { buildSummaryModel } from '../../src/summary/model.ts';
import { renderSummaryEmail } from '../../src/summary/render.ts';
import { deliverSummaryOnce, type SummaryMarker, type SummaryMarkerStore } from '../../src/summary/send.ts';
import { sampleClaim } from '../helpers/claims.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
const { handler, monthlySummary } = await import('../../handlers/monthly-summary.ts');
const { clients } = await import('../../handlers/wiring.ts');

const TABLE = 'sla-claims-test';
const ENV = {
  TABLE_NAME: TABLE,
  SUMMARY_FROM: 'SLA Claims <claims@example.com>',
  SUMMARY_TO: 'finops@example.com,cto@example.com',
  SUMMARY_CONFIGURATION_SET: 'sla-claims-summary',
  SUMMARY_TIME_ZONE: 'Europe/London',
};
/** 1 November 2025, 08:00 in London: the scheduled run for October. */
const NOW = Date.parse('2025-11-01T08:00:00Z');
const now = () => NOW;

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);

/** Claims by month, served page by page through the month index like DynamoDB would. */
let claimsByMonth: Map<string, Claim[]>;
let pageSize: number;
/** The marker items, with the conditions DynamoDB would evaluate. */
let items: Map<string, Record<string, unknown>>;

function ccf() {
  return new ConditionalCheckFailedException({ $metadata: { httpStatusCode: 400 }, message: 'The conditional request failed' });
}

function applyUpdate(input: UpdateCommandInput): Record<string, unknown> {
  const pk = String(input.Key?.pk);
  const item = items.get(pk);
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  const lease = '#status = :failed OR (#status = :sending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))';
  if (input.ConditionExpression === lease) {
    const expired = item?.status === 'sending' && (item.leaseUntil === undefined || Number(item.leaseUntil) < Number(values[':now']));
    if (!item || (item.status !== 'failed' && !expired)) throw ccf();
  } else {
    const condition = /^#status = (:\w+)$/.exec(input.ConditionExpression ?? '');
    if (!condition) throw new Error(`unexpected condition ${input.ConditionExpression}`);
    if (!item || item.status !== values[condition[1]!]) throw ccf();
  }
  const set = /^SET (.+)$/.exec(input.UpdateExpression ?? '')?.[1] ?? '';
  const next = { ...item };
  for (const assignment of set.split(', ')) {
    const [lhs, rhs] = assignment.split(' = ') as [string, string];
    const name = names[lhs] ?? lhs;
    const add = /^(\w+) \+ (:\w+)$/.exec(rhs);
    next[name] = add ? Number(next[add[1]!]) + Number(values[add[2]!]) : values[rhs];
  }
  items.set(pk, next);
  return next;
}

/**
 * A Query on the month index as DynamoDB answers it: items in gsi1sk order, the sort-key condition (`BETWEEN`, `>=`),
 * ScanIndexForward, Limit, pages of `pageSize` items, ExclusiveStartKey/LastEvaluatedKey as real keys.
 */
function query(input: QueryCommandInput) {
  const month = String(input.ExpressionAttributeValues?.[':pk']).replace(/^MONTH#/, '');
  const values = input.ExpressionAttributeValues ?? {};
  const condition = input.KeyConditionExpression ?? '';
  let all = (claimsByMonth.get(month) ?? [])
    .map((c) => ({ ...c, pk: `CLAIM#${c.claimId}`, sk: 'CLAIM', gsi1pk: `MONTH#${c.month}`, gsi1sk: c.claimId, type: 'claim' }))
    .sort((a, b) => (a.gsi1sk < b.gsi1sk ? -1 : a.gsi1sk > b.gsi1sk ? 1 : 0));
  if (/ AND #sk BETWEEN :from AND :to$/.test(condition)) all = all.filter((i) => i.gsi1sk >= String(values[':from']) && i.gsi1sk <= String(values[':to']));
  else if (/ AND #sk >= :from$/.test(condition)) all = all.filter((i) => i.gsi1sk >= String(values[':from']));
  else if (!/^(gsi1pk|#pk) = :pk$/.test(condition)) throw new Error(`unexpected key condition ${condition}`);
  if (input.ScanIndexForward === false) all.reverse();
  const after = input.ExclusiveStartKey ? all.findIndex((i) => i.gsi1sk === input.ExclusiveStartKey!.gsi1sk) + 1 : 0;
  const page = all.slice(after, after + Math.min(pageSize, input.Limit ?? Infinity));
  const last = page[page.length - 1];
  return {
    Items: page,
    ...(last && after + page.length < all.length ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk } } : {}),
  };
}

beforeEach(() => {
  ddb.reset();
  ses.reset();
  claimsByMonth = new Map();
  pageSize = 1000;
  items = new Map();
  ddb.on(QueryCommand).callsFake(async (input: QueryCommandInput) => query(input));
  ddb.on(PutCommand).callsFake(async (input) => {
    if (input.ConditionExpression !== 'attribute_not_exists(pk)') throw new Error(`unexpected condition ${input.ConditionExpression}`);
    if (items.has(input.Item.pk)) throw ccf();
    items.set(input.Item.pk, { ...input.Item });
    return {};
  });
  ddb.on(UpdateCommand).callsFake(async (input: UpdateCommandInput) => ({ Attributes: applyUpdate(input) }));
  ddb.on(GetCommand).callsFake(async (input) => ({ Item: items.get(String(input.Key.pk)) }));
  ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
  clients.db.set(createDb(TABLE, { region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  clients.ses.set(Promise.resolve(new SESv2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })));
});
afterEach(() => {
  clients.db.set(undefined);
  clients.ses.set(undefined);
});
afterAll(() => {
  ddb.restore();
  ses.restore();
});

function octoberClaims(): Claim[] {
  return [
    sampleClaim({ claimId: 'a#dynamodb#us-east-1#2025-10', status: 'approved', slack: { channel: 'C1', ts: '1761000000.000100', permalink: 'https://acme.slack.com/archives/C1/p1761000000000100' } }),
    sampleClaim({ claimId: 'a#lambda#us-east-1#2025-10', slaId: 'lambda', slaClause: { ...sampleClaim().slaClause, slaId: 'lambda', name: 'AWS Lambda' }, creditCents: 12_345, status: 'draft', provisional: true }),
    sampleClaim({ claimId: 'b#sqs#us-east-1#2025-10', account: '210987654321', slaId: 'sqs', slaClause: { ...sampleClaim().slaClause, slaId: 'sqs', name: 'Amazon SQS (Amazon Messaging SLA)' }, creditCents: 999, status: 'submitted' }),
  ];
}

describe('monthly summary handler with mocked SES and DynamoDB', () => {
  it('sends the previous month (in the business time zone) with the exact SES input', async () => {
    claimsByMonth.set('2025-10', octoberClaims());
    const result = await monthlySummary({}, { env: ENV, now });

    const expected = renderSummaryEmail(
      buildSummaryModel({ month: '2025-10', claims: octoberClaims(), upcoming: [], nowMs: NOW, timeZone: 'Europe/London' }),
    );
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'SLA Claims <claims@example.com>',
      Destination: { ToAddresses: ['finops@example.com', 'cto@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'AWS SLA credits for October 2025: $633.44 owed (3 claims), $623.45 still to file', Charset: 'UTF-8' },
          Body: {
            Html: { Data: expected.html, Charset: 'UTF-8' },
            Text: { Data: expected.text, Charset: 'UTF-8' },
          },
        },
      },
      ConfigurationSetName: 'sla-claims-summary',
    });
    expect(expected.text).toContain('Slack message: https://acme.slack.com/archives/C1/p1761000000000100');
    expect(expected.html).toContain('PROVISIONAL');
    expect(result).toEqual({ month: '2025-10', status: 'sent', messageId: 'msg-1', claimCount: 3, owedCents: 50_000 + 12_345 + 999 });

    // Marker written before sending, conditionally, then marked sent.
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put).toMatchObject({
      TableName: TABLE,
      Item: { pk: 'SUMMARY#2025-10', sk: 'SUMMARY', status: 'sending', attempts: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items.get('SUMMARY#2025-10')).toMatchObject({ status: 'sent', messageId: 'msg-1', attempts: 1 });
    // Reads went through the month index only: October and the months whose deadline is within 30 days (September),
    // and (issue 9: recovered this month, paid vs claimed, earlier months' missed claims) the four months before it.
    const queried = ddb.commandCalls(QueryCommand).map((c) => [c.args[0].input.IndexName, c.args[0].input.ExpressionAttributeValues?.[':pk']]);
    expect(queried.slice(0, 2)).toEqual([
      [MONTH_SUMMARY_INDEX, 'MONTH#2025-10'],
      [MONTH_SUMMARY_INDEX, 'MONTH#2025-09'],
    ]);
    expect(queried.slice(2).sort()).toEqual([
      [MONTH_SUMMARY_INDEX, 'MONTH#2025-06'],
      [MONTH_SUMMARY_INDEX, 'MONTH#2025-07'],
      [MONTH_SUMMARY_INDEX, 'MONTH#2025-08'],
      [MONTH_SUMMARY_INDEX, 'MONTH#2025-09'],
    ]);
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('sends once when the schedule fires twice: the second invocation sees the marker', async () => {
    claimsByMonth.set('2025-10', octoberClaims());
    const first = await monthlySummary({}, { env: ENV, now });
    const second = await monthlySummary({}, { env: ENV, now });
    expect(first.status).toBe('sent');
    expect(second).toMatchObject({ month: '2025-10', status: 'skipped' });
    expect(second.reason).toMatch(/already sent at 2025-11-01T08:00:00.000Z/);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    // The second one tried the conditional put, then the takeover (failed, or a sending lease run out), and both failed.
    expect(ddb.commandCalls(PutCommand)).toHaveLength(2);
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.ConditionExpression)).toEqual([
      '#status = :sending', // first: mark sent
      '#status = :failed OR (#status = :sending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))', // second: takeover refused
    ]);
  });

  it('sends once when both invocations race (concurrent, through the middy handler)', async () => {
    claimsByMonth.set('2025-10', octoberClaims());
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    Object.assign(process.env, ENV);
    try {
      const results = await Promise.all([handler({}, {} as never), handler({}, {} as never)]);
      expect(results.map((r) => r.status).sort()).toEqual(['sent', 'skipped']);
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
      for (const key of Object.keys(ENV)) delete process.env[key];
    }
  });

  it('marks the marker failed when SES fails, and a retry sends (once)', async () => {
    claimsByMonth.set('2025-10', octoberClaims());
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new MessageRejected({ $metadata: { httpStatusCode: 400 }, message: 'Email address is not verified.' }))
      .resolves({ MessageId: 'msg-2' });

    await expect(monthlySummary({ month: '2025-10' }, { env: ENV, now })).rejects.toThrow('Email address is not verified.');
    expect(items.get('SUMMARY#2025-10')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'MessageRejected: Email address is not verified.' });

    const retry = await monthlySummary({ month: '2025-10' }, { env: ENV, now });
    expect(retry).toMatchObject({ status: 'sent', messageId: 'msg-2' });
    expect(items.get('SUMMARY#2025-10')).toMatchObject({ status: 'sent', attempts: 2, messageId: 'msg-2' });

    const third = await monthlySummary({ month: '2025-10' }, { env: ENV, now });
    expect(third.status).toBe('skipped');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('says that nothing is owed for an empty month, in both parts', async () => {
    const result = await monthlySummary({ month: '2025-09' }, { env: ENV, now });
    expect(result).toMatchObject({ status: 'sent', claimCount: 0, owedCents: 0 });
    const content = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!;
    expect(content.Subject!.Data).toBe('AWS SLA credits for September 2025: nothing is owed');
    expect(content.Body!.Text!.Data).toContain('No SLA credit claims for September 2025: nothing is owed.');
    expect(content.Body!.Html!.Data).toContain('No SLA credit claims for September 2025: nothing is owed.');
  });

  it('reads a month of 1 000 claims over several pages of the month index (no Scan) and totals them to the cent', async () => {
    pageSize = 150;
    const statuses = ['draft', 'pending_approval', 'approved', 'rejected', 'submitted'] as const;
    const claims = Array.from({ length: 1000 }, (_, i) =>
      sampleClaim({
        claimId: `acct${i % 7}#dynamodb#r${i}#2025-10`,
        account: `10000000000${i % 7}`,
        status: statuses[i % 5]!,
        creditCents: 101 + ((i * 7919) % 250_013),
      }),
    );
    claimsByMonth.set('2025-10', claims);
    const result = await monthlySummary({ month: '2025-10' }, { env: ENV, now });

    const owed = claims.filter((c) => c.status !== 'rejected').reduce((sum, c) => sum + (c.creditCents ?? 0), 0);
    const toFile = claims.filter((c) => ['draft', 'pending_approval', 'approved'].includes(c.status)).reduce((s, c) => s + (c.creditCents ?? 0), 0);
    expect(result.claimCount).toBe(1000);
    expect(result.owedCents).toBe(owed);

    // The month is read with concurrent Queries over gsi1sk ranges (a first page, a one-item reverse probe for the
    // last key, then ranges): at least ceil(1000 / 150) pages, every one a Query on the month index, never a Scan.
    const octoberQueries = ddb.commandCalls(QueryCommand).filter((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'] === 'MONTH#2025-10');
    expect(octoberQueries.length).toBeGreaterThanOrEqual(7); // ceil(1000 / 150)
    expect(octoberQueries.length).toBeLessThanOrEqual(7 + 1 + 8); // + the probe, + at most one partial page per range
    expect(octoberQueries[0]!.args[0].input.ExclusiveStartKey).toBeUndefined();
    expect(octoberQueries[1]!.args[0].input).toMatchObject({ ScanIndexForward: false, Limit: 1 });
    for (const call of ddb.commandCalls(QueryCommand)) {
      expect(call.args[0].input).toMatchObject({ TableName: TABLE, IndexName: MONTH_SUMMARY_INDEX, ExpressionAttributeNames: { '#pk': 'gsi1pk' } });
      expect(call.args[0].input.KeyConditionExpression).toMatch(/^#pk = :pk( AND #sk (BETWEEN :from AND :to|>= :from))?$/);
    }
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);

    const content = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!;
    expect(content.Subject!.Data).toBe(`AWS SLA credits for October 2025: ${formatUsd(owed)} owed (800 claims), ${formatUsd(toFile)} still to file`);
    expect(content.Body!.Text!.Data).toContain(`Credit owed:    ${formatUsd(owed)}`);
    expect(content.Body!.Html!.Data).toContain(formatUsd(owed));
  });

  it('fails with the field and value on a bad event, before reading or sending anything', async () => {
    await expect(monthlySummary({ month: '2025-13' }, { env: ENV, now })).rejects.toThrow(
      'event.month: expected YYYY-MM, like 2025-10 (got "2025-13")',
    );
    await expect(monthlySummary({}, { env: { ...ENV, SUMMARY_TO: '' }, now })).rejects.toThrow(/SUMMARY_TO: needs at least one recipient/);
    expect(ddb.calls()).toHaveLength(0);
    expect(ses.calls()).toHaveLength(0);
  });
});

describe('deliverSummaryOnce with an in-memory marker port', () => {
  it('does not send when the marker is stuck in "sending" and explains how to unblock it', async () => {
    const marker: SummaryMarker = { month: '2025-10', status: 'sending', attempts: 1, createdAt: 'x', updatedAt: 'x' };
    const markers: SummaryMarkerStore = {
      acquire: async () => ({ acquired: false, current: marker }),
      markSent: async () => {},
      markFailed: async () => {},
      get: async () => marker,
    };
    const send = vi.fn();
    const result = await deliverSummaryOnce({ month: '2025-10', email: { subject: 's', html: 'h', text: 't' }, mailer: { send }, markers });
    expect(send).not.toHaveBeenCalled();
    expect(result).toMatchObject({ status: 'skipped' });
    expect(result.status === 'skipped' && result.reason).toMatch(/set status to "failed" to allow a re-send/);
  });
});
