/** The three scheduled tracking handlers through the one wiring (handlers/wiring.ts), on DynamoDB Local. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeCasesCommand, SupportClient } from '@aws-sdk/client-support';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsExpire } from '../../handlers/claims-expire.ts';
import { claimsTrack } from '../../handlers/claims-track.ts';
import { creditsReconcile } from '../../handlers/credits-reconcile.ts';
import { claimsExpireDeps, claimsTrackDeps, clients, creditsReconcileDeps } from '../../handlers/wiring.ts';
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

  it('claimsTrack reads each case in its own account, through that account\'s filer role (no Slack configured: recorded only)', async () => {
    const claim = await claimIn('trk', monthsAgo(1), true);
    // Every Support and STS client the wiring builds is mocked; a DescribeCases answers as the account whose
    // credentials (the assumed role's) the client signs with.
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => ({
      Credentials: { AccessKeyId: `ASIA${input.RoleArn.split(':')[4]}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 900_000) },
    }));
    const support = mockClient(SupportClient);
    support.on(DescribeCasesCommand).callsFake(async (_input, getClient) => {
      const { accessKeyId } = await (getClient().config.credentials as () => Promise<{ accessKeyId: string }>)();
      if (accessKeyId !== 'ASIA123456789012') throw Object.assign(new Error('case not found'), { name: 'CaseIdNotFound', $metadata: { httpStatusCode: 400 } });
      return { cases: [{ caseId: 'case-trk', status: 'resolved', recentCommunications: { communications: [{ caseId: 'case-trk', submittedBy: 'Amazon Web Services', timeCreated: new Date().toISOString(), body: 'Your request is not eligible for an SLA credit.' }] } }] };
    });
    try {
      await expect(claimsTrackDeps({})).rejects.toThrow('SUPPORT_FILER_ROLE');
      const deps = await claimsTrackDeps({ SUPPORT_FILER_ROLE: 'sla-claims-support-filer', AWS_REGION: 'eu-west-1' });
      expect('notify' in deps).toBe(false);
      const report = await claimsTrack({}, deps);
      expect(report.failedAccounts).toEqual([]);
      expect(report.denied).toEqual([claim.claimId]);
      expect(sts.commandCalls(AssumeRoleCommand).map((c) => [c.args[0].input.RoleArn, c.args[0].input.RoleSessionName])).toEqual([['arn:aws:iam::123456789012:role/sla-claims-support-filer', 'sla-claims-tracker']]);
    } finally {
      support.restore();
      sts.restore();
    }
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
