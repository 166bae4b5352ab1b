import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageRejected, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { summaryCommand, writeSummaryFiles } from '../../src/cli/summary-command.ts';
import type { Db } from '../../src/store/clients.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { startLocalDynamoDb } from '../../src/store/local-dynamodb.ts';
import { demoMonthClaims, demoUpcomingClaims, DEMO_NOW_MS } from '../helpers/summary-demo.ts';
import { DynamoSummaryMarkerStore, SesSummaryMailer } from '../../src/summary/send.ts';
import { freshDb } from '../helpers/db.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
const { monthlySummary } = await import('../../handlers/monthly-summary.ts');

const ENV = { SUMMARY_FROM: 'claims@example.com', SUMMARY_TO: 'finops@example.com', SUMMARY_TIME_ZONE: 'Europe/London' };
const now = () => DEMO_NOW_MS;

const ses = mockClient(SESv2Client);
let db: Db;
let store: DynamoClaimStore;
let markers: DynamoSummaryMarkerStore;
let mailer: SesSummaryMailer;

beforeAll(async () => {
  db = await freshDb('summary');
  store = new DynamoClaimStore(db);
  markers = new DynamoSummaryMarkerStore(db);
  mailer = new SesSummaryMailer({ from: ENV.SUMMARY_FROM, to: [ENV.SUMMARY_TO] }, new SESv2Client({ region: 'eu-west-1' }));
  for (const claim of [...demoMonthClaims(), ...demoUpcomingClaims()]) {
    const saved = await store.saveComputedClaim(claim);
    // saveComputedClaim creates drafts; walk each claim to its demo status through real transitions.
    const path: Record<string, string[]> = {
      draft: [],
      pending_approval: ['pending_approval'],
      approved: ['pending_approval', 'approved'],
      rejected: ['pending_approval', 'rejected'],
      submitted: ['pending_approval', 'approved', 'submitted'],
    };
    let current = saved;
    for (const to of path[claim.status] ?? []) {
      const result = await store.transition({
        claimId: current.claimId,
        from: current.status,
        to: to as typeof current.status,
        expectedVersion: current.version,
        actor: 'U1',
        at: '2025-10-25T10:00:00.000Z',
      });
      if (!result.ok) throw new Error(`transition of ${current.claimId} to ${to} failed`);
      current = result.claim;
    }
  }
});
afterAll(() => {
  ses.restore();
  db.client.destroy();
});
beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'local-msg' });
});

describe('monthly summary on DynamoDB Local (SES mocked)', () => {
  it('reads the claims through the month index, sends one email and leaves a "sent" marker', async () => {
    const deps = { env: ENV, store, markers, mailer, now };
    const [a, b] = await Promise.all([monthlySummary({}, deps), monthlySummary({}, deps)]);
    expect([a.status, b.status].sort()).toEqual(['sent', 'skipped']);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);

    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.FromEmailAddress).toBe('claims@example.com');
    expect(input.Destination).toEqual({ ToAddresses: ['finops@example.com'] });
    expect(input.Content?.Simple?.Subject?.Data).toBe('AWS SLA credits for October 2025: $8,246.90 owed (6 claims), $7,254.58 still to file');
    const text = input.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toContain('Amazon EBS (2025-09 incident), eu-west-1, account 345678901234'); // September claim due within 30 days
    expect(text).toContain('deadline 2025-11-30, 29 days left');

    const marker = await markers.get('2025-10');
    expect(marker).toMatchObject({ month: '2025-10', status: 'sent', attempts: 1, messageId: 'local-msg' });
    const raw = await db.doc.send(new (await import('@aws-sdk/lib-dynamodb')).GetCommand({ TableName: db.tableName, Key: { pk: 'SUMMARY#2025-10', sk: 'SUMMARY' } }));
    expect(raw.Item).toMatchObject({ pk: 'SUMMARY#2025-10', sk: 'SUMMARY', type: 'summary', status: 'sent' });

    const again = await monthlySummary({ month: '2025-10' }, deps);
    expect(again.status).toBe('skipped');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('retries after a failed send thanks to the "failed" status, with the real conditions', async () => {
    ses.on(SendEmailCommand).rejectsOnce(new MessageRejected({ $metadata: {}, message: 'Sandbox: recipient not verified' })).resolves({ MessageId: 'm2' });
    const deps = { env: ENV, store, markers, mailer, now };
    await expect(monthlySummary({ month: '2025-09' }, deps)).rejects.toThrow('Sandbox: recipient not verified');
    expect(await markers.get('2025-09')).toMatchObject({ status: 'failed', attempts: 1 });
    const [x, y] = await Promise.all([monthlySummary({ month: '2025-09' }, deps), monthlySummary({ month: '2025-09' }, deps)]);
    expect([x.status, y.status].sort()).toEqual(['sent', 'skipped']);
    expect(await markers.get('2025-09')).toMatchObject({ status: 'sent', attempts: 2, messageId: 'm2' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('frees a month whose send died mid-way once the lease is over, and not before', async () => {
    const markers = new DynamoSummaryMarkerStore(await freshDb('lease'));
    expect(await markers.acquire('2025-09', '2025-10-01T08:00:00.000Z')).toMatchObject({ acquired: true, attempt: 1 });
    // The function died after taking the marker: no markSent, no markFailed.
    expect(await markers.acquire('2025-09', '2025-10-01T08:02:00.000Z')).toMatchObject({ acquired: false });
    // Lambda retries a failed invocation a minute after it ended (the timeout is 120 s): past the 150 s lease.
    expect(await markers.acquire('2025-09', '2025-10-01T08:03:00.000Z')).toMatchObject({ acquired: true, attempt: 2 });
    await markers.markSent('2025-09', 'msg-1', '2025-10-01T08:03:05.000Z');
    expect(await markers.acquire('2025-09', '2025-10-02T08:00:00.000Z')).toMatchObject({ acquired: false });
  });

  it('writes the HTML and text files from a running store (what `npm start` calls)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-files-'));
    try {
      const files = await writeSummaryFiles(store, '2025-10', join(dir, 'october.html'), new Date(DEMO_NOW_MS));
      expect(files.textFile).toBe(join(dir, 'october.txt'));
      expect(readFileSync(files.htmlFile, 'utf8')).toContain('$8,246.90');
      expect(readFileSync(files.textFile, 'utf8')).toContain('Credit owed:    $8,246.90');
      expect(files.model.claimCount).toBe(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sla-claims summary (CLI) on a persisted local store', () => {
  it('starts DynamoDB Local on --db, renders the month, writes --out and the .txt next to it, prints a summary; --json prints the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cli-'));
    try {
      const local = await startLocalDynamoDb({ dbDir: join(dir, 'db') });
      try {
        const cliStore = new DynamoClaimStore(local.db);
        for (const claim of demoMonthClaims()) await cliStore.saveComputedClaim(claim);
      } finally {
        await local.stop();
      }
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
      const htmlFile = join(dir, 'out', 'summary.html');
      const code = await summaryCommand(['--month', '2025-10', '--db', join(dir, 'db'), '--out', htmlFile, '--now', '2025-11-01T08:00:00Z'], io);
      expect(code).toBe(0);
      expect(err).toEqual([]);
      const printed = out.join('\n');
      expect(printed).toContain(`HTML: ${htmlFile}`);
      expect(printed).toContain(`Text: ${join(dir, 'out', 'summary.txt')}`);
      // All eight were saved as drafts: everything claimable is still to file.
      expect(printed).toContain('Credit owed $8,367.30; still to file $8,367.30; submitted $0.00.');
      expect(readFileSync(htmlFile, 'utf8')).toContain('$8,367.30');
      expect(readFileSync(join(dir, 'out', 'summary.txt'), 'utf8')).toContain('$8,367.30');

      const json: string[] = [];
      const code2 = await summaryCommand(['--month', '2025-10', '--db', join(dir, 'db'), '--out', htmlFile, '--json', '--now', '2025-11-01T08:00:00Z'], {
        out: (t) => json.push(t),
        err: (t) => err.push(t),
      });
      expect(code2).toBe(0);
      const model = JSON.parse(json.join('\n'));
      expect(model).toMatchObject({ month: '2025-10', claimCount: 8, owedCents: 836_730, toFileCents: 836_730 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
