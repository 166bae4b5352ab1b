/**
 * handlers/claims-file.ts: a stream batch files its approved claims (others are ignored) and reports failures per
 * record; a scheduled invocation sweeps the open months. Deps point at DynamoDB Local and the fake Support server.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaimsFileHandler } from '../../handlers/claims-file.ts';
import { claimsFileDeps, clients } from '../../handlers/wiring.ts';
import type { Claim } from '../../src/claims/types.ts';
import { DEFAULT_FILING } from '../../src/contract/contract.ts';
import type { FileClaimDeps } from '../../src/filing/file-claim.ts';
import { supportForAccount } from '../../src/filing/support-api.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';
import { fakeSupportCredentials, startFakeSupport, type FakeSupport } from '../helpers/fake-support.ts';

let db: Db;
let store: DynamoClaimStore;
let fake: FakeSupport;
let deps: FileClaimDeps;
const NOW = Date.parse('2025-10-22T00:00:00Z');

beforeAll(async () => {
  db = await freshDb('claims-file');
  store = new DynamoClaimStore(db);
  fake = await startFakeSupport();
  deps = { store, supportFor: supportForAccount({ endpoint: fake.endpoint, credentials: fakeSupportCredentials }), filing: DEFAULT_FILING, now: () => new Date(NOW) };
});
afterAll(async () => {
  db.client.destroy();
  await fake.close();
});

async function approved(id: string): Promise<Claim> {
  const saved = await store.saveComputedClaim(sampleClaim({ claimId: id, terms: { versionDate: '2023-06-01', confirmed: true, unconfirmed: [] } }));
  const at = new Date(NOW).toISOString();
  const p = await store.transition({ claimId: id, from: 'draft', to: 'pending_approval', expectedVersion: saved.version, actor: 'system', at });
  if (!p.ok) throw new Error('setup');
  const a = await store.transition({ claimId: id, from: 'pending_approval', to: 'approved', expectedVersion: p.claim.version, actor: 'U0A', at });
  if (!a.ok) throw new Error('setup');
  return a.claim;
}

const record = (claim: Claim, seq: string) => ({
  eventID: seq,
  eventName: 'MODIFY',
  dynamodb: { SequenceNumber: seq, NewImage: marshall({ ...claim, pk: `CLAIM#${claim.claimId}`, sk: 'CLAIM' }, { removeUndefinedValues: true }) as never },
});

describe('claimsFile handler', () => {
  it('files the approved claims of a stream batch; a record that fails is reported alone', async () => {
    const a = await approved('123456789012#dynamodb#us-east-1#2025-10#handler-a');
    const draft = await store.saveComputedClaim(sampleClaim({ claimId: '123456789012#dynamodb#us-east-1#2025-10#handler-draft' }));
    const handler = createClaimsFileHandler(deps);
    const b = await approved('123456789012#dynamodb#us-east-1#2025-10#handler-b');
    const result = await handler({ Records: [record(a, '1'), record(draft, '2'), record(b, '3')] });
    expect(result).toEqual({ batchItemFailures: [] });
    expect((await store.getClaim(a.claimId))?.status).toBe('submitted');
    expect((await store.getClaim(b.claimId))?.status).toBe('submitted');
    expect((await store.getClaim(draft.claimId))?.status).toBe('draft');
    const noRetry = createClaimsFileHandler({ ...deps, supportFor: supportForAccount({ endpoint: fake.endpoint, credentials: fakeSupportCredentials, clientConfig: { maxAttempts: 1 } }) });
    const c = await approved('123456789012#dynamodb#us-east-1#2025-10#handler-c');
    fake.failNext('CreateCase', 'InternalServerError', 500);
    expect(await noRetry({ Records: [record(c, '9')] })).toEqual({ batchItemFailures: [{ itemIdentifier: '9' }] });
  });

  it('a scheduled invocation sweeps the approved claims of the open months', async () => {
    const d = await approved('123456789012#dynamodb#us-east-1#2025-10#handler-d');
    const handler = createClaimsFileHandler(deps);
    const result = (await handler({ 'detail-type': 'Scheduled Event' })) as { months: string[]; counts: Record<string, number> };
    expect(result.months).toEqual(['2025-10', '2025-09', '2025-08']);
    expect(result.counts.submitted).toBeGreaterThanOrEqual(1);
    expect((await store.getClaim(d.claimId))?.status).toBe('submitted');
  });

  it('wiring: refuses to start without SUPPORT_FILER_ROLE (unless a local SUPPORT_ENDPOINT is set), naming the variable', async () => {
    await expect(claimsFileDeps({ CONTRACT_FILE: 'config/contract.example.yml', TABLE_NAME: 't' })).rejects.toThrow('SUPPORT_FILER_ROLE');
    clients.db.set(db);
    try {
      const local = await claimsFileDeps({ CONTRACT_FILE: 'config/contract.example.yml', SUPPORT_ENDPOINT: fake.endpoint });
      expect(local.filing.accounts['210987654321']).toBe('manual');
      // Fleet claims' resource lists are read from the same table (DynamoClaimStore implements the port).
      expect(local.resourceLists).toBe(local.store);
    } finally {
      clients.db.set(undefined);
    }
  });
});
