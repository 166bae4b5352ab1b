/** The ingest use case on in-memory ports: no DynamoDB Local (issue 13: repositories as injected ports). */
import { describe, expect, it } from 'vitest';
import type { AuditEntry, Claim, WindowMap } from '../../src/claims/types.ts';
import { ingestPayload, ingestRaw, type IngestDeps } from '../../src/pipeline/ingest.ts';
import { updateKeyOf, newestState, type IncidentRecord, type UpdateEntry } from '../../src/pipeline/incidents.ts';
import type { IncidentStore, QuarantineStore, RecomputeClaimStore, SaveResult, StoredClaim } from '../../src/pipeline/ports.ts';
import { healthEnvelope } from '../helpers/event-builder.ts';
import { TEST_CONTRACT, TEST_SPEND } from '../helpers/pipeline.ts';
import { memoryResourceLists } from '../helpers/resource-lists.ts';

function memoryPorts() {
  const incidents = new Map<string, IncidentRecord>();
  const claims = new Map<string, StoredClaim>();
  const quarantined: string[] = [];
  const calls = { incidentWrites: 0, claimReads: 0, claimWrites: 0 };
  const incidentStore: IncidentStore = {
    async recordUpdate(account, eventArn, entry: UpdateEntry, months) {
      calls.incidentWrites++;
      const key = `${account}#${eventArn}`;
      const record = incidents.get(key) ?? { account, eventArn, updates: [], months: [] };
      const fresh = !record.updates.some((u) => updateKeyOf(u) === updateKeyOf(entry));
      if (fresh) {
        record.updates = [...record.updates, entry];
        record.months = [...new Set([...record.months, ...months])].sort();
        incidents.set(key, record);
      }
      return { fresh, incident: structuredClone(record) };
    },
    async addMonths(account, eventArn, months) {
      const r = incidents.get(`${account}#${eventArn}`)!;
      r.months = [...new Set([...r.months, ...months])].sort();
    },
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
      calls.claimReads++;
      return new Map(ids.filter((id) => claims.has(id)).map((id) => [id, structuredClone(claims.get(id)!)]));
    },
    async listStoredByMonth(month) {
      return [...claims.values()].filter((c) => c.claim.month === month);
    },
    async saveRecomputed(next: Claim, windows: WindowMap, expected: StoredClaim | null, audit: AuditEntry): Promise<SaveResult> {
      calls.claimWrites++;
      const current = claims.get(next.claimId) ?? null;
      if ((current?.claim.version ?? null) !== (expected?.claim.version ?? null)) return { ok: false, current };
      claims.set(next.claimId, { claim: next, windows, audit: [...(current?.audit ?? []), audit] });
      return { ok: true, claim: next };
    },
  };
  const quarantine: QuarantineStore = {
    async put(_raw, source, reason, receivedAt) {
      quarantined.push(reason);
      return { id: String(quarantined.length), source, reason, receivedAt, rawBytes: 0 };
    },
  };
  return { incidentStore, claimStore, quarantine, claims, calls, quarantined };
}

const base = {
  account: '123456789012',
  eventArn: 'arn:aws:health:us-east-1::event/DYNAMODB/AWS_DYNAMODB_OPERATIONAL_ISSUE/PORTS',
  service: 'DYNAMODB',
  eventTypeCode: 'AWS_DYNAMODB_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:48:00Z',
  end: '2025-10-20T09:40:00Z',
  lastUpdated: '2025-10-20T09:45:00Z',
  status: 'closed' as const,
  description: 'Resolved.',
};

describe('ingest on injected ports', () => {
  it('costs one incident write, one claim read and one claim write per real update, and writes nothing for a copy', async () => {
    const m = memoryPorts();
    const deps: IngestDeps = { incidents: m.incidentStore, claims: m.claimStore, quarantine: m.quarantine, contract: TEST_CONTRACT, spend: TEST_SPEND, now: () => Date.parse('2025-11-15T00:00:00Z') };
    const first = await ingestRaw(healthEnvelope({ ...base, end: null, status: 'open', lastUpdated: '2025-10-20T07:00:00Z' }), 't', deps);
    expect(first).toMatchObject({ kind: 'processed', state: 'applied' });
    expect(m.calls).toEqual({ incidentWrites: 1, claimReads: 1, claimWrites: 1 });
    await ingestRaw(healthEnvelope(base), 't', deps);
    expect(m.calls).toEqual({ incidentWrites: 2, claimReads: 2, claimWrites: 2 });
    const copy = await ingestRaw(healthEnvelope({ ...base, backup: true }), 't', deps);
    expect(copy).toMatchObject({ state: 'duplicate', claims: [] });
    expect(m.calls).toEqual({ incidentWrites: 3, claimReads: 3, claimWrites: 2 });
    const [stored] = [...m.claims.values()];
    expect(stored!.claim).toMatchObject({ downtimeMinutes: 172, creditCents: 50000, version: 2 });
    expect(stored!.audit.map((a) => a.action)).toEqual(['created', 'recomputed']);
  });

  it('quarantines a far-future update through the quarantine port', async () => {
    const m = memoryPorts();
    const deps: IngestDeps = { incidents: m.incidentStore, claims: m.claimStore, quarantine: m.quarantine, contract: TEST_CONTRACT, spend: TEST_SPEND, now: () => Date.parse('2025-10-20T10:00:00Z') };
    const out = await ingestRaw(healthEnvelope({ ...base, lastUpdated: '2096-10-20T09:45:00Z' }), 't', deps);
    expect(out.kind).toBe('quarantined');
    expect(m.quarantined[0]).toMatch(/^detail\.lastUpdatedTime: 2096-10-20T09:45:00\.000Z is later than now/);
    expect(m.calls.incidentWrites).toBe(0);
  });

  it('quarantines a Health API response whose failedSet is not a list, and a failed item whose error is not text', async () => {
    const m = memoryPorts();
    const deps: IngestDeps = { incidents: m.incidentStore, claims: m.claimStore, quarantine: m.quarantine, contract: TEST_CONTRACT, spend: TEST_SPEND, now: () => Date.parse('2025-10-20T10:00:00Z') };
    const notAList = await ingestPayload({ successfulSet: [], failedSet: 'oops' }, 'f.json', deps, '123456789012');
    expect(notAList).toEqual([expect.objectContaining({ kind: 'quarantined', source: 'f.json failedSet' })]);
    expect(m.quarantined[0]).toBe('failedSet: expected a list of failed items (got "oops")');
    let deep: unknown = [];
    for (let i = 0; i < 5000; i++) deep = [deep];
    const deepError = await ingestPayload({ successfulSet: [], failedSet: [{ errorName: deep, errorMessage: 'm' }] }, 'f.json', deps, '123456789012');
    expect(deepError).toEqual([expect.objectContaining({ kind: 'quarantined', source: 'f.json failedSet[0]' })]);
    expect(m.quarantined[1]!.length).toBeLessThan(300);
  });
});
