/**
 * Measured series applied to claims (applyMeasuredSeries, on in-memory ports): the claim says what it rests on,
 * keeps its series through later Health updates, and never grows when measured errors shrink.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClaim, type ClaimScope } from '../../src/claims/build.ts';
import type { AuditEntry, Claim, IncidentWindow, WindowMap } from '../../src/claims/types.ts';
import { InvalidSeriesError } from '../../src/credit/measured.ts';
import { compactSeries, expandSeries, MAX_SERIES_BYTES } from '../../src/metrics/stored-series.ts';
import type { ScopeSeries, SeriesPoint } from '../../src/metrics/types.ts';
import { applyMeasuredSeries } from '../../src/pipeline/apply-measured.ts';
import { ingestRaw, type IngestDeps } from '../../src/pipeline/ingest.ts';
import { newestState, updateKeyOf, type IncidentRecord } from '../../src/pipeline/incidents.ts';
import type { IncidentStore, RecomputeClaimStore, SaveResult, StoredClaim } from '../../src/pipeline/ports.ts';
import { getSla } from '../../src/sla/index.ts';
import { healthEnvelope } from '../helpers/event-builder.ts';
import { TEST_CONTRACT, TEST_SPEND } from '../helpers/pipeline.ts';
import { memoryResourceLists } from '../helpers/resource-lists.ts';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

function memory() {
  const incidents = new Map<string, IncidentRecord>();
  const claims = new Map<string, StoredClaim>();
  const incidentStore: IncidentStore = {
    async recordUpdate(account, eventArn, entry, months) {
      const key = `${account}#${eventArn}`;
      const r = incidents.get(key) ?? { account, eventArn, updates: [], months: [] };
      const fresh = !r.updates.some((u) => updateKeyOf(u) === updateKeyOf(entry));
      if (fresh) {
        r.updates = [...r.updates, entry];
        r.months = [...new Set([...r.months, ...months])].sort();
        incidents.set(key, r);
      }
      return { fresh, incident: structuredClone(r) };
    },
    async addMonths() {},
    async putEntities() {
      return 0;
    },
    async listEntities() {
      return [];
    },
    async getIncident(account, eventArn) {
      return incidents.get(`${account}#${eventArn}`) ?? null;
    },
    async getState(account, eventArn) {
      const r = incidents.get(`${account}#${eventArn}`);
      return r ? newestState(r) : null;
    },
  };
  const claimStore: RecomputeClaimStore = {
    ...memoryResourceLists(),
    async getForRecompute(ids) {
      return new Map(ids.filter((id) => claims.has(id)).map((id) => [id, structuredClone(claims.get(id)!)]));
    },
    async listStoredByMonth(month) {
      return [...claims.values()].filter((c) => c.claim.month === month);
    },
    async saveRecomputed(next: Claim, windows: WindowMap, expected: StoredClaim | null, audit: AuditEntry): Promise<SaveResult> {
      const current = claims.get(next.claimId) ?? null;
      if ((current?.claim.version ?? null) !== (expected?.claim.version ?? null)) return { ok: false, current };
      claims.set(next.claimId, { claim: structuredClone(next), windows, audit: [...(current?.audit ?? []), audit] });
      return { ok: true, claim: next };
    },
  };
  const deps: IngestDeps = {
    incidents: incidentStore,
    claims: claimStore,
    quarantine: { put: async (_r, source, reason, receivedAt) => ({ id: '1', source, reason, receivedAt, rawBytes: 0 }) },
    contract: TEST_CONTRACT,
    spend: TEST_SPEND,
    now: () => at('2025-11-15T00:00:00Z'),
  };
  return { deps, claims };
}

const EVENT = {
  account: '123456789012',
  eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/MEASURED',
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:50:00Z',
  end: '2025-10-20T09:40:00Z',
  lastUpdated: '2025-10-20T09:45:00Z',
  status: 'closed' as const,
  description: 'Resolved.',
};
const CLAIM_ID = '123456789012#dynamodb#us-east-1#2025-10';

/** 60 s points 05:50–10:40: `rate(minute)` of 1000 requests fail. */
function dynamoSeries(rate: (t: number) => number): ScopeSeries {
  const from = at('2025-10-20T05:50:00Z');
  const to = at('2025-10-20T10:40:00Z');
  const points: SeriesPoint[] = [];
  for (let t = from; t < to; t += MIN) points.push({ startMs: t, total: 1000, failed: Math.round(1000 * rate(t)) });
  return {
    account: '123456789012', region: 'us-east-1', slaId: 'dynamodb', resource: null, kind: 'error-rate', periodSeconds: 60,
    metrics: ['AWS/DynamoDB SuccessfulRequestLatency (SampleCount)', 'AWS/DynamoDB SystemErrors (Sum)'], resourceCount: 3, fromMs: from, toMs: to, points,
  };
}
const inOutage = (t: number) => t >= at('2025-10-20T06:50:00Z') && t < at('2025-10-20T08:30:00Z');

describe('applyMeasuredSeries', () => {
  it('recomputes the scope claim from the series, with a measured basis, an audit entry and the series kept', async () => {
    const m = memory();
    await ingestRaw(healthEnvelope(EVENT), 't', m.deps);
    const before = m.claims.get(CLAIM_ID)!.claim;
    expect(before).toMatchObject({ downtimeMinutes: 170, creditPercent: 10, creditCents: 50_000, version: 1, basis: { kind: 'health-window' } });
    expect(before.basis!.note).toBe('estimate: AWS Health window, an upper bound; not collected: no CloudWatch metrics were read for this claim');

    // 100 minutes at 30 % errors = 30 minutes of downtime
    const result = await applyMeasuredSeries(m.deps, dynamoSeries((t) => (inOutage(t) ? 0.3 : 0)));
    expect(result).toMatchObject({ written: 1, missing: [], skipped: [] });
    const stored = m.claims.get(CLAIM_ID)!;
    expect(stored.claim).toMatchObject({
      downtimeMinutes: 30, creditPercent: 10, creditCents: 50_000, version: 2,
      basis: { kind: 'measured', resourceCount: 3, intervalCount: 58, metrics: ['AWS/DynamoDB SuccessfulRequestLatency (SampleCount)', 'AWS/DynamoDB SystemErrors (Sum)'] },
    });
    expect(stored.claim.basis!.note).toBe('measured from your CloudWatch metrics: 58 5-minute intervals of 3 resources; 20 with errors, 30 min of downtime');
    expect(stored.audit.at(-1)).toMatchObject({ action: 'recomputed', version: 2, detail: { basis: 'measured', downtimeMinutes: '30' } });
    expect(stored.claim.measuredSeries).toMatchObject({ v: 1, kind: 'error-rate', periodSeconds: 300 });

    // Applying the same series again writes nothing.
    expect((await applyMeasuredSeries(m.deps, dynamoSeries((t) => (inOutage(t) ? 0.3 : 0)))).written).toBe(0);

    // A later Health update (the window grows to 10:00) recomputes from the stored series: still measured; the
    // extension is inside the measured span, where the metrics show no errors.
    await ingestRaw(healthEnvelope({ ...EVENT, end: '2025-10-20T10:00:00Z', lastUpdated: '2025-10-20T10:05:00Z' }), 't', m.deps);
    expect(m.claims.get(CLAIM_ID)!.claim).toMatchObject({ downtimeMinutes: 30, basis: { kind: 'measured' } });
  });

  it('a measured claim with zero errors in the window earns no credit and says why', async () => {
    const m = memory();
    await ingestRaw(healthEnvelope(EVENT), 't', m.deps);
    await applyMeasuredSeries(m.deps, dynamoSeries(() => 0));
    const claim = m.claims.get(CLAIM_ID)!.claim;
    expect(claim).toMatchObject({ downtimeMinutes: 0, creditPercent: 0, creditCents: 0, claimable: false, basis: { kind: 'measured' } });
    expect(claim.basis!.note).toBe('measured from your CloudWatch metrics: 58 5-minute intervals of 3 resources; no errors during the AWS Health window (170 min measured), so no credit is owed');
  });

  it('leaves months without a claim, and filed claims, alone', async () => {
    const m = memory();
    const nov = { ...dynamoSeries(() => 0.5), fromMs: at('2025-11-02T00:00:00Z'), toMs: at('2025-11-02T01:00:00Z'), points: [] };
    expect(await applyMeasuredSeries(m.deps, nov)).toEqual({ claims: [], written: 0, missing: ['123456789012#dynamodb#us-east-1#2025-11'], skipped: [] });
    await ingestRaw(healthEnvelope(EVENT), 't', m.deps);
    m.claims.get(CLAIM_ID)!.claim.status = 'submitted';
    expect(await applyMeasuredSeries(m.deps, dynamoSeries(() => 1))).toMatchObject({ written: 0, skipped: [CLAIM_ID] });
  });

  it('refuses a series without a valid account or span, naming the field', async () => {
    const m = memory();
    await expect(applyMeasuredSeries(m.deps, { ...dynamoSeries(() => 0), account: '12' })).rejects.toThrow(new InvalidSeriesError('series.account: expected a 12-digit AWS account id (got "12")'));
    await expect(applyMeasuredSeries(m.deps, { ...dynamoSeries(() => 0), toMs: 0 })).rejects.toThrow(InvalidSeriesError);
    const bad = dynamoSeries(() => 0);
    bad.points[3] = { ...bad.points[3]!, failed: -2 };
    await expect(applyMeasuredSeries(m.deps, bad)).rejects.toThrow(new InvalidSeriesError('series.points[3].failed: expected a non-negative number (got -2)'));
  });
});

// ─────────────────────────────── buildClaim ───────────────────────────────

const SCOPE: ClaimScope = { scopeKey: '123456789012#dynamodb#us-east-1', account: '123456789012', slaId: 'dynamodb', region: 'us-east-1', resource: null, service: 'DYNAMODB' };
const WINDOW: IncidentWindow = {
  eventArn: EVENT.eventArn, service: 'DYNAMODB', eventTypeCode: EVENT.eventTypeCode, region: 'us-east-1', statusCode: 'closed',
  startMs: at(EVENT.start), endMs: at(EVENT.end), lastUpdatedMs: at(EVENT.lastUpdated), description: '', affectedResources: [], affectedResourceCount: 0,
};
const build = (series: ScopeSeries | null, slaId = 'dynamodb') =>
  buildClaim({ scope: { ...SCOPE, slaId }, sla: getSla(slaId)!, negotiated: false, month: '2025-10', windows: { k: { ...WINDOW, service: slaId === 'lambda' ? 'LAMBDA' : 'DYNAMODB' } }, chargesCents: 500_000, nowMs: at('2025-11-15T00:00:00Z'), series });

describe('buildClaim: the basis', () => {
  it('says why a claim is an estimate: no recipe metric, or not collected', () => {
    expect(build(null, 'lambda').basis).toEqual({ kind: 'health-window', metrics: [], resourceCount: 0, intervalCount: 0, note: "estimate: AWS Health window, an upper bound; no CloudWatch metric matches the SLA's definition (see the recipe of lambda)" });
    expect(build(dynamoSeries(() => 1), 'lambda').basis!.kind).toBe('health-window');
    expect(build(null).basis!.note).toMatch(/not collected/);
    const elsewhere = { ...dynamoSeries(() => 1), fromMs: at('2025-11-02T00:00:00Z'), toMs: at('2025-11-02T01:00:00Z'), points: [] };
    expect(build(elsewhere).basis).toMatchObject({ kind: 'health-window', note: 'estimate: AWS Health window, an upper bound; no data: the series read has no interval in 2025-10' });
  });

  it('never throws on a series it cannot use: terms measured differently, or a damaged stored form, leave an estimate', () => {
    const minutesTerms = buildClaim({
      scope: SCOPE, sla: { ...getSla('dynamodb')!, measurement: 'minutes-unavailable' }, negotiated: true, month: '2025-10', windows: { k: WINDOW },
      chargesCents: 500_000, nowMs: at('2025-11-15T00:00:00Z'), series: dynamoSeries(() => 0),
    });
    expect(minutesTerms).toMatchObject({ downtimeMinutes: 170, basis: { kind: 'health-window', note: "estimate: AWS Health window, an upper bound; the series read is error-rate, the SLA's terms are measured as unavailable" } });
    const good = build(dynamoSeries(() => 0.5)).measuredSeries!;
    const damaged = build(null);
    const fromDamaged = buildClaim({ scope: SCOPE, sla: getSla('dynamodb')!, negotiated: false, month: '2025-10', windows: { k: WINDOW }, chargesCents: 500_000, nowMs: at('2025-11-15T00:00:00Z'), series: { ...good, points: '0:x:1' } });
    expect(fromDamaged.basis).toMatchObject({ kind: 'health-window', note: 'estimate: AWS Health window, an upper bound; the measured series is unusable: stored series: bad row "0:x:1"' });
    expect(fromDamaged.downtimeMinutes).toBe(damaged.downtimeMinutes);
  });

  it('never grows when measured errors shrink (any series, any cut)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 58, maxLength: 58 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), (rates, cuts) => {
        const bucket = (t: number) => Math.floor((t - at('2025-10-20T05:50:00Z')) / 300_000);
        const more = dynamoSeries((t) => rates[bucket(t)]!);
        const less: ScopeSeries = { ...more, points: more.points.map((p, i) => ({ ...p, failed: Math.floor(p.failed * cuts[i % cuts.length]!) })) };
        const a = build(more);
        const b = build(less);
        expect(b.creditCents!).toBeLessThanOrEqual(a.creditCents!);
        expect(b.downtimeMinutes).toBeLessThanOrEqual(a.downtimeMinutes);
        expect(a.basis!.kind).toBe('measured');
      }),
      { numRuns: 100 },
    );
  });
});

// ─────────────────────────────── stored form ───────────────────────────────

describe('the stored series', () => {
  it('round-trips the month part, summed to 5-minute intervals, and gzips past 8 KB', () => {
    const series = dynamoSeries((t) => (inOutage(t) ? 0.25 : 0));
    const compact = compactSeries(series, '2025-10', []);
    expect(compact.ok).toBe(true);
    if (!compact.ok) return;
    expect(compact.stored.points).toBeDefined();
    const back = expandSeries(compact.stored);
    expect(back.points).toHaveLength(58);
    expect(back.points[0]).toEqual({ startMs: at('2025-10-20T05:50:00Z'), total: 5000, failed: 0 });
    expect(back.points[12]).toEqual({ startMs: at('2025-10-20T06:50:00Z'), total: 5000, failed: 1250 });

    // A whole month of 60 s unavailable points with varied totals: over 8 KB of text, stored gzip-compressed.
    const month = at('2025-10-01T00:00:00Z');
    const points: SeriesPoint[] = Array.from({ length: 44_640 }, (_, i) => ({ startMs: month + i * MIN, total: 3, failed: i % 97 === 0 ? 3 : 0 }));
    const big: ScopeSeries = { ...series, slaId: 'ec2-region', kind: 'unavailable', fromMs: month, toMs: at('2025-11-01T00:00:00Z'), points };
    const packed = compactSeries(big, '2025-10', []);
    expect(packed.ok && packed.stored.gz !== undefined).toBe(true);
    if (packed.ok) {
      expect(packed.bytes).toBeLessThanOrEqual(MAX_SERIES_BYTES);
      expect(expandSeries(packed.stored).points).toEqual(points);
    }
  });

  it('keeps only the windows ± 1 h when the month does not fit, and nothing when even that does not', () => {
    const month = at('2025-10-01T00:00:00Z');
    let s = 7;
    const noisy = (): number => (s = (s * 1103515245 + 12345) % 2147483648) % 100_000;
    const points: SeriesPoint[] = Array.from({ length: 44_640 }, (_, i) => ({ startMs: month + i * MIN, total: 100_000 + noisy(), failed: noisy() }));
    const big: ScopeSeries = { ...dynamoSeries(() => 0), fromMs: month, toMs: at('2025-11-01T00:00:00Z'), points };
    const window = { startMs: at('2025-10-20T06:50:00Z'), endMs: at('2025-10-20T09:40:00Z') };
    expect(compactSeries(big, '2025-10', [])).toMatchObject({ ok: false });
    const narrowed = compactSeries(big, '2025-10', [window]);
    expect(narrowed.ok).toBe(true);
    if (narrowed.ok) {
      expect(narrowed.bytes).toBeLessThanOrEqual(MAX_SERIES_BYTES);
      expect(narrowed.stored).toMatchObject({ fromMs: at('2025-10-20T05:50:00Z'), toMs: at('2025-10-20T10:40:00Z') });
    }
  });
});
