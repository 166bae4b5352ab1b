import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { evidenceCommand, evidenceFileBase } from '../../src/cli/evidence-command.ts';
import { main } from '../../src/cli/main.ts';
import type { IncidentWindow } from '../../src/claims/types.ts';
import { evidenceCsv, evidenceHtml, evidenceRows } from '../../src/metrics/evidence.ts';
import type { ScopeSeries } from '../../src/metrics/types.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { startLocalDynamoDb } from '../../src/store/local-dynamodb.ts';
import { DynamoSeriesStore } from '../../src/store/series-store.ts';
import { listRef } from '../../src/claims/fleet.ts';
import { sampleClaim } from '../helpers/claims.ts';

const FROM = Date.parse('2025-10-20T06:00:00Z');
const MIN = 60_000;
const series: ScopeSeries = {
  account: '123456789012',
  region: 'us-east-1',
  slaId: 'dynamodb',
  resource: null,
  kind: 'error-rate',
  periodSeconds: 60,
  metrics: ['AWS/DynamoDB SuccessfulRequestLatency (SampleCount)', 'AWS/DynamoDB SystemErrors (Sum)'],
  resourceCount: 2,
  fromMs: FROM,
  toMs: FROM + 5 * MIN,
  points: [
    { startMs: FROM, total: 200, failed: 10 },
    { startMs: FROM + MIN, total: 200, failed: 0 },
    { startMs: FROM + 4 * MIN, total: 100, failed: 100 },
  ],
  unmeasured: [FROM + 3 * MIN],
};

describe('evidence files', () => {
  it('writes every interval with its status: data, no requests (0 %), or not measured', () => {
    expect(evidenceCsv(series)).toBe(
      [
        'interval_start_utc,interval_end_utc,requests,errors,error_rate_percent,status',
        '2025-10-20T06:00:00Z,2025-10-20T06:01:00Z,200,10,5.0000,measured',
        '2025-10-20T06:01:00Z,2025-10-20T06:02:00Z,200,0,0.0000,measured',
        '2025-10-20T06:02:00Z,2025-10-20T06:03:00Z,0,0,0.0000,no-data',
        '2025-10-20T06:03:00Z,2025-10-20T06:04:00Z,,,,not-measured',
        '2025-10-20T06:04:00Z,2025-10-20T06:05:00Z,100,100,100.0000,measured',
        '',
      ].join('\n'),
    );
  });

  it('renders a self-contained HTML page with an SVG chart, the windows shaded and names escaped', () => {
    const html = evidenceHtml(series, { title: 'Measured evidence: <x>', windows: [{ startMs: FROM + MIN, endMs: null, label: 'DYNAMODB <op>' }], nowMs: FROM + 5 * MIN }, evidenceRows(series));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('Measured evidence: &lt;x&gt;');
    expect(html).not.toContain('<x>');
    expect(html).toContain('class="window"');
    expect(html).toContain('class="gap"');
    // The line runs through the measured and no-request intervals and breaks at the unmeasured one.
    expect(html).toMatch(/<path class="rate" d="M\d+ [\d.]+ L\d+ [\d.]+ L\d+ [\d.]+ M\d+ [\d.]+"/);
    expect(html).toContain('500 requests, 110 errors over the measured intervals (22.0000 %)');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('names files after the claim, safely', () => {
    expect(evidenceFileBase('123456789012#dynamodb#us-east-1#2025-10')).toMatch(/^123456789012_dynamodb_us-east-1_2025-10-[0-9a-f]{10}$/);
    expect(evidenceFileBase('a'.repeat(300)).length).toBeLessThanOrEqual(111);
  });
});

describe('sla-claims evidence', () => {
  it('writes the stored series of a claim as CSV and HTML from a local store', async () => {
    const dbDir = mkdtempSync(join(tmpdir(), 'sla-claims-evidence-db-'));
    const outDir = join(mkdtempSync(join(tmpdir(), 'sla-claims-evidence-out-')), 'files');
    const claim = sampleClaim();
    const w: IncidentWindow = { eventArn: 'arn:x', service: 'DYNAMODB', eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE', region: 'us-east-1', statusCode: 'closed', startMs: FROM + MIN, endMs: FROM + 3 * MIN, lastUpdatedMs: FROM, description: '', affectedResources: [], affectedResourceCount: 0 };
    const local = await startLocalDynamoDb({ dbDir });
    try {
      await new DynamoClaimStore(local.db).saveRecomputed(claim, { k: w }, null, { claimId: claim.claimId, at: claim.createdAt, actor: 'system', action: 'created' });
      await new DynamoSeriesStore(local.db).put(claim.claimId, series, { windowsKey: 'k', final: true, collectedAt: '2025-10-20T12:00:00.000Z' });
    } finally {
      await local.stop();
    }
    const out: string[] = [];
    const code = await main(['evidence', claim.claimId, '--db', dbDir, '--out', outDir], { out: (t) => out.push(t), err: (t) => out.push(`ERR ${t}`) });
    expect(code).toBe(0);
    const base = evidenceFileBase(claim.claimId);
    expect(readdirSync(outDir).sort()).toEqual([`${base}.csv`, `${base}.html`]);
    expect(readFileSync(join(outDir, `${base}.csv`), 'utf8')).toBe(evidenceCsv(series));
    expect(readFileSync(join(outDir, `${base}.html`), 'utf8')).toContain('AWS Health window');
    expect(out.join('\n')).toContain('3 intervals with data of 5 read at 60 s, 2 resources, collected 2025-10-20T12:00:00.000Z; 1 intervals not measured');

    // A claim without a series: one line, exit 2, nothing written.
    const err: string[] = [];
    const other = sampleClaim({ claimId: '123456789012#lambda#us-east-1#2025-10', slaId: 'lambda' });
    const l2 = await startLocalDynamoDb({ dbDir });
    try {
      await new DynamoClaimStore(l2.db).saveRecomputed(other, { k: w }, null, { claimId: other.claimId, at: other.createdAt, actor: 'system', action: 'created' });
    } finally {
      await l2.stop();
    }
    const emptyOut = join(outDir, 'none');
    expect(await main(['evidence', other.claimId, '--db', dbDir, '--out', emptyOut], { out: () => {}, err: (t) => err.push(t) })).toBe(2);
    expect(err).toEqual([`sla-claims evidence: claim "${other.claimId}": no measured series is stored for it (its amount rests on the AWS Health window); nothing to write`]);
    expect(existsSync(emptyOut)).toBe(false);
  }, 120_000);

  it.each([
    [[], 'a claim id is required'],
    [['not-a-claim'], 'claim id: expected <account>#<sla>#<Region or resource>#<YYYY-MM>'],
    [['1#dynamodb#us-east-1#2025-10', 'extra'], 'unexpected argument "extra"'],
    [['1#dynamodb#us-east-1#2025-10', '--db', '/nonexistent/sla-claims-db'], '--db: no local store in "/nonexistent/sla-claims-db"'],
  ])('rejects %j in one line', async (argv, message) => {
    const run = evidenceCommand(argv as string[], { out: () => {}, err: () => {} });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  it('refuses --out naming a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sla-claims-evidence-')), 'f');
    writeFileSync(file, 'x');
    await expect(evidenceCommand(['1#dynamodb#us-east-1#2025-10', '--out', file], { out: () => {}, err: () => {} })).rejects.toThrow(`--out: ${JSON.stringify(file)} is a file`);
  });
});

describe('evidence of a fleet claim', () => {
  const unavailable: ScopeSeries = { ...series, slaId: 'ec2-instance', kind: 'unavailable', metrics: ['AWS/EC2 StatusCheckFailed_System (Maximum)'], resourceCount: 25, points: [{ startMs: FROM, total: 25, failed: 25 }], unmeasured: [] };
  const sample = Array.from({ length: 20 }, (_, i) => `i-${i}`);

  it('the page says what the series over several resources means (a lower bound), and that a fleet of parts is not measured', () => {
    const one = evidenceHtml(unavailable, { title: 't', windows: [], nowMs: FROM, fleet: { resourceCount: 25, parts: 1, sample, listFile: 'x.resources.txt' } });
    expect(one).toContain('<li>Fleet claim: 25 resources in 1 part (a minute counts as Unavailable only when every resource reporting was: a lower bound of each resource\'s own downtime)</li>');
    expect(one).toContain(`<li>Resources: ${sample.join(', ')}, … (5 more in x.resources.txt)</li>`);
    const two = evidenceHtml(unavailable, { title: 't', windows: [], nowMs: FROM, fleet: { resourceCount: 25, parts: 2, sample } });
    expect(two).toContain('the claim has 2 parts hit by different incidents, so this series is not applied');
    expect(evidenceHtml({ ...unavailable, resourceCount: 1 }, { title: 't', windows: [], nowMs: FROM, fleet: { resourceCount: 1, parts: 1, sample: ['i-0'] } })).toContain('1 resource in 1 part (one resource: its own minutes, exact)');
    expect(evidenceHtml(unavailable, { title: 't', windows: [], nowMs: FROM })).not.toContain('Fleet claim');
  });

  it('writes the CSV, the HTML and the full resource list of a fleet claim from a local store', async () => {
    const dbDir = mkdtempSync(join(tmpdir(), 'sla-claims-evidence-db-'));
    const outDir = join(mkdtempSync(join(tmpdir(), 'sla-claims-evidence-out-')), 'files');
    const instances = Array.from({ length: 25 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    const ref = listRef(instances);
    const incident = '123456789012#arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/BIG';
    const claim = sampleClaim({
      claimId: '123456789012#ec2-instance#us-east-1#2025-10',
      slaId: 'ec2-instance',
      resource: null,
      fleet: { resourceCount: 25, parts: [{ incidents: [incident], resourceCount: 25, resources: ref.resources, chunks: ref.chunks!.map((c) => c.id), downtimeMinutes: 2, uptimePercent: 99.99, creditPercent: 0, tierText: null, chargesCents: null, creditCents: null }] },
    });
    const w: IncidentWindow = { eventArn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/BIG', service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', region: 'us-east-1', statusCode: 'closed', startMs: FROM + MIN, endMs: FROM + 3 * MIN, lastUpdatedMs: FROM, description: '', affectedResources: ref.resources, affectedResourceCount: 25, resourceChunks: ref.chunks!.map((c) => c.id) };
    const local = await startLocalDynamoDb({ dbDir });
    try {
      const store = new DynamoClaimStore(local.db);
      await store.putResourceLists(ref.chunks!);
      await store.saveRecomputed(claim, { [incident]: w }, null, { claimId: claim.claimId, at: claim.createdAt, actor: 'system', action: 'created' });
      await new DynamoSeriesStore(local.db).put(claim.claimId, unavailable, { windowsKey: 'k', final: true, collectedAt: '2025-10-20T12:00:00.000Z' });
    } finally {
      await local.stop();
    }
    const out: string[] = [];
    expect(await main(['evidence', claim.claimId, '--db', dbDir, '--out', outDir], { out: (t) => out.push(t), err: (t) => out.push(`ERR ${t}`) })).toBe(0);
    const base = evidenceFileBase(claim.claimId);
    expect(readdirSync(outDir).sort()).toEqual([`${base}.csv`, `${base}.html`, `${base}.resources.txt`]);
    expect(readFileSync(join(outDir, `${base}.resources.txt`), 'utf8')).toBe(instances.map((i) => `${i}\n`).join(''));
    const html = readFileSync(join(outDir, `${base}.html`), 'utf8');
    expect(html).toContain('Fleet claim: 25 resources in 1 part (a minute counts as Unavailable only when every resource reporting was');
    expect(html).toContain(`(5 more in ${base}.resources.txt)`);
    expect(out).toContain(`Resources: ${join(outDir, `${base}.resources.txt`)}`);
    expect(out).toContain('fleet claim: 25 resources in 1 part');
    expect(out.join('\n')).toContain('read at 60 s, 25 resources, collected 2025-10-20T12:00:00.000Z');
  }, 120_000);
});

describe('evidence from the claim itself', () => {
  it('falls back to the compact series a measured claim keeps (process --metrics), none for an estimate', async () => {
    const { compactSeries } = await import('../../src/metrics/stored-series.ts');
    const { fromClaim } = await import('../../src/cli/evidence-command.ts');
    const five: ScopeSeries = { ...series, periodSeconds: 300, toMs: FROM + 3 * 300_000, points: [{ startMs: FROM, total: 200, failed: 10 }, { startMs: FROM + 600_000, total: 50, failed: 50 }], unmeasured: [] };
    const compact = compactSeries(five, '2025-10', [{ startMs: FROM, endMs: FROM + 900_000 }]);
    if (!compact.ok) throw new Error('series did not fit');
    const stored = fromClaim(sampleClaim({ measuredSeries: compact.stored }))!;
    expect(stored.head).toMatchObject({ generation: 'claim', claimId: sampleClaim().claimId, resourceCount: 2 });
    expect(evidenceCsv(stored.series).split('\n').slice(1, 4)).toEqual([
      '2025-10-20T06:00:00Z,2025-10-20T06:05:00Z,200,10,5.0000,measured',
      '2025-10-20T06:05:00Z,2025-10-20T06:10:00Z,0,0,0.0000,no-data',
      '2025-10-20T06:10:00Z,2025-10-20T06:15:00Z,50,50,100.0000,measured',
    ]);
    expect(fromClaim(sampleClaim())).toBeNull();
  });
});
