/**
 * Tracking across accounts (issue 9): each case is read in the account it was filed in, through that account's filer
 * role, by the real Support SDK client on the fake Support server (which shows each account only its own cases, by
 * the SigV4 credential). STS is the only mock: AssumeRole answers each account's role with credentials the fake reads
 * as that account, and refuses one account's role (AccessDenied), which is reported and stops nothing.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { filerRoleArn, supportClientForAccount, supportForAccount } from '../../src/filing/support-api.ts';
import type { Db } from '../../src/store/clients.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { SupportCaseReader } from '../../src/tracking/support-cases.ts';
import { trackCases, type TrackDeps } from '../../src/tracking/track-cases.ts';
import { DynamoTrackingStore } from '../../src/tracking/tracking-store.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';
import { fakeSupportCredentials, startFakeSupport, type FakeSupport } from '../helpers/fake-support.ts';

const A = '123456789012';
const B = '210987654321';
const DENIED = '333333333333';
const NOW = Date.parse('2025-11-20T09:00:00Z');
const ROLE = 'sla-claims-support-filer';

let db: Db;
let store: DynamoClaimStore;
let fake: FakeSupport;
const sts = mockClient(STSClient);

beforeAll(async () => {
  db = await freshDb('track-accounts');
  store = new DynamoClaimStore(db);
  fake = await startFakeSupport({ now: () => new Date('2025-11-03T10:00:00Z') });
});
afterAll(async () => {
  sts.restore();
  await fake.close();
  db.client.destroy();
});

/** A claim of `account`, submitted with a case opened in that account on the fake (as claimsFile leaves it). */
async function filedIn(account: string, id: string): Promise<Claim> {
  const claimId = `${account}#dynamodb#us-east-1#2025-10#${id}`;
  const caseId = await (await supportForAccount({ endpoint: fake.endpoint, credentials: fakeSupportCredentials })(account)).createCase({
    subject: `SLA Credit Request: Amazon DynamoDB, us-east-1, October 2025 (${id})`,
    body: `Claim token: ${id}`,
    serviceCode: 'billing',
    categoryCode: 'sla-credit-request',
  });
  let claim = await store.saveComputedClaim(sampleClaim({ claimId, account }));
  for (const to of ['pending_approval', 'approved', 'submitted'] as const) {
    const r = await store.transition({ claimId, from: claim.status, to, expectedVersion: claim.version, actor: 'U1', at: '2025-11-03T10:00:00.000Z' });
    if (!r.ok) throw new Error('setup');
    claim = r.claim;
  }
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: { pk: `CLAIM#${claimId}`, sk: 'CLAIM' },
      UpdateExpression: 'SET filing = :f',
      ExpressionAttributeValues: { ':f': { via: 'support-api', caseId, filedAt: '2025-11-03T10:00:00.000Z', filedBy: 'system', filedInAccount: account } },
    }),
  );
  return (await store.getClaim(claimId))!;
}

function deps(cases: TrackDeps['cases']): TrackDeps {
  return { store, tracking: new DynamoTrackingStore(db), cases, now: () => NOW };
}

describe('trackCases across accounts', () => {
  it('reads each account\'s cases with that account\'s client (its filer role); an account whose role is refused is reported, its claims untouched', async () => {
    const a = await filedIn(A, 'acc-a');
    const b = await filedIn(B, 'acc-b');
    const d = await filedIn(DENIED, 'acc-d');
    fake.reply(a.filing!.caseId, 'Hello,\n\nA service credit of $500.00 has been applied to your account.\n\nBest regards,\nAmazon Web Services');
    fake.reply(b.filing!.caseId, 'After review, this request is not eligible for an SLA credit.');
    fake.reply(d.filing!.caseId, 'A service credit of $500.00 has been applied to your account.');

    // Before: one Support client in the deployment account sees none of the member accounts' cases.
    const oneClient = await supportClientForAccount({ endpoint: fake.endpoint, credentials: () => fakeSupportCredentials('999999999999'), clientConfig: { maxAttempts: 1 } })('999999999999');
    const before = await trackCases(deps(new SupportCaseReader(() => oneClient)), { months: ['2025-10'] });
    expect(before.failedAccounts.map((f) => [f.account, f.error.split(':')[0]])).toEqual([[A, 'CaseIdNotFound'], [B, 'CaseIdNotFound'], [DENIED, 'CaseIdNotFound']]);

    sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string; RoleSessionName: string }) => {
      const account = input.RoleArn.split(':')[4]!;
      if (account === DENIED) {
        throw Object.assign(new Error(`User: arn:aws:sts::999999999999:assumed-role/ClaimsTrackRole/x is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      }
      const { accessKeyId, secretAccessKey } = fakeSupportCredentials(account);
      return { Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: 'token', Expiration: new Date(Date.now() + 900_000) } };
    });
    const calls = fake.callsOf('DescribeCases').length;
    const reader = new SupportCaseReader(
      supportClientForAccount({ endpoint: fake.endpoint, roleArnOf: (account) => filerRoleArn(account, ROLE), sessionName: 'sla-claims-tracker', clientConfig: { maxAttempts: 1 } }),
    );
    const report = await trackCases(deps(reader), { months: ['2025-10'] });

    expect(report.credited).toEqual([a.claimId]);
    expect(report.denied).toEqual([b.claimId]);
    expect(report.failedAccounts).toHaveLength(1);
    expect(report.failedAccounts[0]!.account).toBe(DENIED);
    expect(report.failedAccounts[0]!.error).toMatch(/^AccessDenied: .*not authorized to perform: sts:AssumeRole/);
    // One role per account, the tracker's session; each account's DescribeCases asks for its own cases only.
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => [c.args[0].input.RoleArn, c.args[0].input.RoleSessionName]).sort()).toEqual(
      [A, B, DENIED].map((acc) => [`arn:aws:iam::${acc}:role/${ROLE}`, 'sla-claims-tracker']),
    );
    const read = fake.callsOf('DescribeCases').slice(calls).map((c) => [c.account, c.input.caseIdList]);
    expect(read.sort()).toEqual([
      [A, [a.filing!.caseId]],
      [B, [b.filing!.caseId]],
    ]);
    // Nothing lost: the refused account's claim is as it was, and the next run (role fixed) decides it.
    const untouched = (await store.getClaim(d.claimId))!;
    expect(untouched.status).toBe('submitted');
    expect(untouched.version).toBe(d.version);
    expect(untouched.tracking).toBeUndefined();
    sts.reset();
    sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
      const { accessKeyId, secretAccessKey } = fakeSupportCredentials(input.RoleArn.split(':')[4]!);
      return { Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: 'token', Expiration: new Date(Date.now() + 900_000) } };
    });
    const fresh = new SupportCaseReader(supportClientForAccount({ endpoint: fake.endpoint, roleArnOf: (account) => filerRoleArn(account, ROLE), clientConfig: { maxAttempts: 1 } }));
    const next = await trackCases(deps(fresh), { months: ['2025-10'] });
    expect(next.credited).toEqual([d.claimId]);
    expect(next.failedAccounts).toEqual([]);
  });

  it('builds one client per account and reuses it', async () => {
    const clientFor = supportClientForAccount({ endpoint: fake.endpoint, credentials: fakeSupportCredentials });
    const [a1, a2, b1] = await Promise.all([clientFor(A), clientFor(A), clientFor(B)]);
    expect(a1).toBe(a2);
    expect(b1).not.toBe(a1);
    expect((await a1.config.credentials()).accessKeyId).toBe(fakeSupportCredentials(A).accessKeyId);
    expect((await b1.config.credentials()).accessKeyId).toBe(fakeSupportCredentials(B).accessKeyId);
  });
});
