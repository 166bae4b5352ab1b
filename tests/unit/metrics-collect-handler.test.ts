/** handlers/metrics-collect.ts: thin; stops starting claims a minute before the Lambda's timeout. */
import { describe, expect, it, vi } from 'vitest';
import type { CollectDeps } from '../../src/pipeline/collect-metrics.ts';
import type { StoredClaim } from '../../src/pipeline/ports.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { memoryResourceLists } from '../helpers/resource-lists.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
const { metricsCollect } = await import('../../handlers/metrics-collect.ts');
const { partitionOf } = await import('../../handlers/wiring.ts');

const NOW = Date.parse('2025-10-20T12:00:00Z');
const claim: StoredClaim = {
  claim: sampleClaim(),
  windows: { a: { eventArn: 'e', service: 'DYNAMODB', eventTypeCode: 'X', region: 'us-east-1', statusCode: 'closed', startMs: NOW - 5 * 3600_000, endMs: NOW - 3 * 3600_000, lastUpdatedMs: NOW, description: '', affectedResources: [], affectedResourceCount: 0 } },
  audit: [],
};

function deps(access: CollectDeps['access']): CollectDeps {
  return {
    claims: { listStoredByMonth: async (m) => (m === '2025-10' ? [claim] : []) },
    lists: memoryResourceLists(),
    series: { heads: async () => new Map(), put: async () => null, markFinal: async () => {} },
    access,
    recipeOf: () => ({ kind: 'unavailable', metric: { namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_System', dimensions: ['InstanceId'], stat: 'Maximum' }, threshold: 0, periodSeconds: 60, discovery: { kind: 'contract' }, caveats: [], sources: [] }),
    applySeries: async () => {},
    now: () => NOW,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  };
}

describe('metricsCollect handler', () => {
  it('defers the claims it would start in the last minute before the timeout', async () => {
    const forAccount = vi.fn(async () => ({ ok: false as const, reason: 'denied' }));
    const late = await metricsCollect({}, deps({ forAccount }), { getRemainingTimeInMillis: () => 30_000 });
    expect(late).toMatchObject({ considered: 1, deferred: 1, denied: 0 });
    expect(forAccount).not.toHaveBeenCalled();
    const inTime = await metricsCollect({}, deps({ forAccount }), { getRemainingTimeInMillis: () => 600_000 });
    expect(inTime).toMatchObject({ considered: 1, deferred: 0, denied: 1 });
  });

  it('names the partition of the Region in role ARNs', () => {
    expect([partitionOf('us-east-1'), partitionOf('cn-north-1'), partitionOf('us-gov-west-1'), partitionOf(undefined)]).toEqual(['aws', 'aws-cn', 'aws-us-gov', 'aws']);
  });
});
