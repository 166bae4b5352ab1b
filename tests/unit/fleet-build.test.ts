/** Fleet claims, pure (src/claims/fleet.ts, src/claims/build.ts): partition, resource lists, and the measured rule. */
import { describe, expect, it } from 'vitest';
import { buildClaimWithLists, MAX_FLEET_BYTES, type ClaimScope } from '../../src/claims/build.ts';
import { MissingResourceListError, partitionFleet, RESOURCE_CHUNK_BYTES, resourceChunksOf } from '../../src/claims/fleet.ts';
import type { IncidentWindow } from '../../src/claims/types.ts';
import type { ScopeSeries } from '../../src/metrics/types.ts';
import { getSla } from '../../src/sla/index.ts';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2025-11-15T00:00:00Z');
const SCOPE: ClaimScope = { scopeKey: '123456789012#ec2-instance#us-east-1', account: '123456789012', slaId: 'ec2-instance', region: 'us-east-1', resource: null, service: 'EC2', fleet: true };

function window(name: string, start: string, end: string, resources: string[], chunks?: string[]): IncidentWindow {
  return {
    eventArn: `arn:aws:health:us-east-1::event/EC2/X/${name}`, service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', region: 'us-east-1', statusCode: 'closed',
    startMs: at(start), endMs: at(end), lastUpdatedMs: at(end), description: 'Connectivity issues.', affectedResources: resources, affectedResourceCount: resources.length,
    ...(chunks ? { resourceChunks: chunks } : {}),
  };
}

/** 06:00–10:00: every instance read fails its system status check 07:00–08:00 (60 one-minute periods). */
function series(): ScopeSeries {
  const from = at('2025-10-20T06:00:00Z');
  const points = Array.from({ length: 240 }, (_, i) => {
    const t = from + i * 60_000;
    return { startMs: t, total: 2, failed: t >= at('2025-10-20T07:00:00Z') && t < at('2025-10-20T08:00:00Z') ? 2 : 0 };
  });
  return { account: '123456789012', region: 'us-east-1', slaId: 'ec2-instance', resource: null, kind: 'unavailable', periodSeconds: 60, metrics: ['AWS/EC2 StatusCheckFailed_System (Maximum)'], resourceCount: 2, fromMs: from, toMs: from + 240 * 60_000, points };
}

const build = (windows: Record<string, IncidentWindow>, extra: Partial<Parameters<typeof buildClaimWithLists>[0]> = {}) =>
  buildClaimWithLists({ scope: SCOPE, sla: getSla('ec2-instance')!, negotiated: false, month: '2025-10', windows, chargesCents: null, nowMs: NOW, ...extra });

describe('fleet claims, pure', () => {
  it('applies a measured series to a fleet hit by one set of incidents', () => {
    const { claim } = build({ a: window('A', '2025-10-20T06:30:00Z', '2025-10-20T09:30:00Z', ['i-1', 'i-2']) }, { series: series() });
    expect(claim.basis).toMatchObject({ kind: 'measured', resourceCount: 2 });
    // 60 measured minutes inside the window instead of the window's 180.
    expect(claim.fleet!.parts).toMatchObject([{ resourceCount: 2, downtimeMinutes: 60 }]);
    expect(claim.downtimeMinutes).toBe(60);
  });

  it('keeps a fleet with groups hit by different incidents on the Health window, and says why', () => {
    const windows = { a: window('A', '2025-10-20T06:30:00Z', '2025-10-20T09:30:00Z', ['i-1', 'i-2']), b: window('B', '2025-10-21T00:00:00Z', '2025-10-21T01:00:00Z', ['i-2']) };
    const { claim } = build(windows, { series: series() });
    expect(claim.basis!.kind).toBe('health-window');
    expect(claim.basis!.note).toMatch(/2 groups of resources were hit by different incidents/);
    expect(claim.fleet!.parts.map((p) => [p.resources, p.downtimeMinutes])).toEqual([
      [['i-2'], 240],
      [['i-1'], 180],
    ]);
    expect(claim.measuredSeries).toBeUndefined();
  });

  it('refuses to partition a window whose resource list was not read', () => {
    const windows = { a: window('A', '2025-10-20T06:30:00Z', '2025-10-20T09:30:00Z', ['i-1'], ['f'.repeat(64)]), b: window('B', '2025-10-21T00:00:00Z', '2025-10-21T01:00:00Z', ['i-2']) };
    expect(() => partitionFleet(windows, new Map())).toThrow(MissingResourceListError);
    expect(partitionFleet(windows, new Map([['a', ['i-1', 'i-3']]]))).toEqual([
      { incidents: ['a'], resources: ['i-1', 'i-3'] },
      { incidents: ['b'], resources: ['i-2'] },
    ]);
  });

  it('names its resource lists by content, in bounded chunks, the same for the same list', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `arn:aws:ec2:us-east-1:123456789012:instance/i-${String(i).padStart(17, '0')}`);
    const chunks = resourceChunksOf(ids);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flatMap((c) => c.resources)).toEqual(ids);
    for (const c of chunks) expect(Buffer.byteLength(JSON.stringify(c.resources))).toBeLessThanOrEqual(RESOURCE_CHUNK_BYTES);
    expect(resourceChunksOf([...ids]).map((c) => c.id)).toEqual(chunks.map((c) => c.id));
    expect(resourceChunksOf(ids.slice(1)).map((c) => c.id)[0]).not.toBe(chunks[0]!.id);
    // A claim over them shows 20 and names the lists, which the caller stores before the claim.
    const { claim, chunks: toStore } = build({ a: window('A', '2025-10-20T06:30:00Z', '2025-10-20T09:30:00Z', ids.slice(0, 20), chunks.map((c) => c.id)) }, { resourceLists: new Map([['a', ids]]) });
    expect(claim.fleet).toMatchObject({ resourceCount: 10_000, parts: [{ resourceCount: 10_000, resources: ids.slice(0, 20), chunks: chunks.map((c) => c.id) }] });
    // Top-level too, for the summary's narrow month index (which does not project `fleet`).
    expect(claim.resourceCount).toBe(10_000);
    expect(toStore.map((c) => c.id)).toEqual(chunks.map((c) => c.id));
  });

  it('keeps a claim with many small parts bounded, every part’s list still in its resource-list items', () => {
    // 100 incidents, each hitting its own 20 instances (long ARNs): 100 parts whose samples alone would be ~200 KB.
    const arn = (i: number) => `arn:aws:ec2:us-east-1:123456789012:instance/i-${String(i).padStart(17, '0')}`;
    const windows = Object.fromEntries(
      Array.from({ length: 100 }, (_, k) => [`k${String(k).padStart(3, '0')}`, window(`E${k}`, `2025-10-${String(1 + (k % 28)).padStart(2, '0')}T00:00:00Z`, `2025-10-${String(1 + (k % 28)).padStart(2, '0')}T0${1 + (k % 8)}:00:00Z`, Array.from({ length: 20 }, (_, j) => arn(k * 20 + j)))]),
    );
    const { claim, chunks } = build(windows);
    const parts = claim.fleet!.parts;
    expect(parts).toHaveLength(100);
    expect(Buffer.byteLength(JSON.stringify(parts))).toBeLessThanOrEqual(MAX_FLEET_BYTES);
    expect(parts[0]!.resources).toHaveLength(20);
    const lists = new Map(chunks.map((c) => [c.id, c.resources]));
    const all = parts.flatMap((p) => (p.chunks ? p.chunks.flatMap((id) => lists.get(id)!) : p.resources));
    expect(all.sort()).toEqual(Array.from({ length: 2000 }, (_, i) => arn(i)).sort());
  });
});
