/** The three scheduled tracking handlers through the one wiring (handlers/wiring.ts), on DynamoDB Local. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeCasesCommand, SupportClient } from '@aws-sdk/client-support';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsExpire } from '../../handlers/claims-expire.ts';
import { claimsTrack } from '../../handlers/claims-track.ts';
import { creditsReconcile } from '../../handlers/credits-reconcile.ts';
import { claimsExpireDeps, claimsTrackDeps, clients, creditsReconcileDeps, trackingClients } from '../../handlers/wiring.ts';
import type { Claim } from '../../src/claims/types.ts';
import type { Db } from '../../src/store/clients.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { freshDb } from '../helpers/db.ts';
import { sampleClaim } from '../helpers/claims.ts';

let db: Db;
let store: DynamoClaimStore;
beforeAll(async () => {
  db = await freshDb('track-handlers');
  store = new DynamoClaimStore(db);
  clients.db.set(db);
});
afterAll(() => {
  clients.db.set(undefined);
  trackingClients.support.set(undefined);
  db.client.destroy();
});

async function claimIn(id: string, month: string, submitted: boolean): Promise<Claim> {
  let claim = await store.saveComputedClaim(sampleClaim({ claimId: `123456789012#dynamodb#${id}#${month}`, month, deadline: '' }));
  if (!submitted) return claim;
  for (const to of ['pending_approval', 'approved', 'submitted'] as const) {
    const r = await store.transition({ claimId: claim.claimId, from: claim.status, to, expectedVersion: claim.version, actor: 'U1', at: new Date().toISOString() });
    if (!r.ok) throw new Error('setup');
    claim = r.claim;
  }
  const filedAt = new Date(Date.now() - 70 * 86_400_000).toISOString();
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: { pk: `CLAIM#${claim.claimId}`, sk: 'CLAIM' },
      UpdateExpression: 'SET filing = :f',
      ExpressionAttributeValues: { ':f': { via: 'support-api', caseId: `case-${id}`, filedAt, filedBy: 'system' } },
    }),
  );
  return (await store.getClaim(claim.claimId))!;
}

function monthsAgo(n: number): string {
  const d = new Date();
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1));
  return m.toISOString().slice(0, 7);
}

describe('scheduled tracking handlers', () => {
  it('claimsExpire expires an unfiled claim of a month past its deadline', async () => {
    const old = await claimIn('old', monthsAgo(3), false);
    const result = await claimsExpire({}, await claimsExpireDeps());
    expect(result.expired).toContain(old.claimId);
    expect((await store.getClaim(old.claimId))!.status).toBe('expired');
  });

  it('claimsTrack reads the cases through the wiring\'s Support client (no Slack configured: recorded only)', async () => {
    const claim = await claimIn('trk', monthsAgo(1), true);
    const support = new SupportClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 's' } });
    mockClient(support)
      .on(DescribeCasesCommand)
      .resolves({ cases: [{ caseId: 'case-trk', status: 'resolved', recentCommunications: { communications: [{ caseId: 'case-trk', submittedBy: 'Amazon Web Services', timeCreated: new Date().toISOString(), body: 'Your request is not eligible for an SLA credit.' }] } }] });
    trackingClients.support.set(Promise.resolve(support));
    const deps = await claimsTrackDeps({});
    expect('notify' in deps).toBe(false);
    const report = await claimsTrack({}, deps);
    expect(report.denied).toEqual([claim.claimId]);
  });

  it('creditsReconcile reads CREDITS_FILE locally and records the payment', async () => {
    const claim = await claimIn('rec', monthsAgo(2), true);
    const dir = mkdtempSync(join(tmpdir(), 'credits-'));
    const file = join(dir, 'credits.csv');
    writeFileSync(file, `account,month,service,amount,record_type\n123456789012,${new Date().toISOString().slice(0, 7)},DYNAMODB,-500.00,Credit\n`);
    const report = await creditsReconcile({}, await creditsReconcileDeps({ CREDITS_FILE: file }));
    expect(report.credited).toEqual([claim.claimId]);
    expect((await store.getClaim(claim.claimId))!.payment?.paidCents).toBe(50_000);
  });
});
