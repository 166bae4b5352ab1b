/**
 * Filing with AWS Support, exactly once: the real use case, DynamoDB Local and the real @aws-sdk/client-support client
 * talking to the fake Support server (tests/helpers/fake-support.ts) by endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filingToken } from '../../src/claims/lifecycle.ts';
import type { Claim } from '../../src/claims/types.ts';
import { DEFAULT_FILING, type FilingSettings } from '../../src/contract/contract.ts';
import { fileApprovedClaims } from '../../src/filing/file-approved.ts';
import { FILING_LEASE_MS, fileClaim, type FileClaimDeps } from '../../src/filing/file-claim.ts';
import { markFiled } from '../../src/filing/mark-filed.ts';
import { supportForAccount, type SupportApi } from '../../src/filing/support-api.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { Db } from '../../src/store/clients.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';
import { fakeSupportCredentials, startFakeSupport, type FakeSupport } from '../helpers/fake-support.ts';

const ACCOUNT = '123456789012';
const NO_PLAN = '210987654321';
const CONFIRMED = { versionDate: '2023-06-01', confirmed: true, unconfirmed: [] };

let db: Db;
let store: DynamoClaimStore;
let fake: FakeSupport;
let n = 0;
let clock = Date.parse('2025-10-22T00:00:00Z');

beforeAll(async () => {
  db = await freshDb('filing');
  store = new DynamoClaimStore(db);
  fake = await startFakeSupport({ withoutPlan: [NO_PLAN], now: () => new Date(clock) });
});
afterAll(async () => {
  db.client.destroy();
  await fake.close();
});

function deps(overrides: Partial<FileClaimDeps> = {}, filing: FilingSettings = DEFAULT_FILING): FileClaimDeps {
  return {
    store,
    supportFor: supportForAccount({ endpoint: fake.endpoint, credentials: fakeSupportCredentials, clientConfig: { maxAttempts: 1 } }),
    filing,
    now: () => new Date(clock),
    ...overrides,
  };
}

/** A claim moved to approved (v3) through the store's transitions. */
async function approvedClaim(overrides: Partial<Claim> = {}): Promise<Claim> {
  n += 1;
  const saved = await store.saveComputedClaim(sampleClaim({ claimId: `${overrides.account ?? ACCOUNT}#dynamodb#us-east-1#2025-10#filing-${n}`, terms: CONFIRMED, ...overrides }));
  const at = new Date(clock).toISOString();
  const pending = await store.transition({ claimId: saved.claimId, from: 'draft', to: 'pending_approval', expectedVersion: saved.version, actor: 'system', at });
  if (!pending.ok) throw new Error('setup: pending');
  const approved = await store.transition({ claimId: saved.claimId, from: 'pending_approval', to: 'approved', expectedVersion: pending.claim.version, actor: 'U0APPROVER', at, patch: { decidedBy: 'U0APPROVER' } });
  if (!approved.ok) throw new Error('setup: approved');
  return approved.claim;
}

const casesWithToken = (claim: Claim) => fake.cases.filter((c) => c.communications[0]?.body.includes(filingToken(claim.claimId)));

describe('fileClaim', () => {
  it('files an approved claim: CreateCase customer-service with the case text, then submitted with case id, display id and time, audited', async () => {
    const claim = await approvedClaim();
    const result = await fileClaim(claim.claimId, deps());
    expect(result.action).toBe('submitted');
    const [created] = casesWithToken(claim);
    expect(created).toBeDefined();
    expect(created).toMatchObject({ account: ACCOUNT, issueType: 'customer-service', serviceCode: 'billing', categoryCode: 'sla-credit-request', language: 'en' });
    expect(created!.subject).toMatch(/^SLA Credit Request: /);
    const stored = await store.getClaim(claim.claimId);
    expect(stored).toMatchObject({
      status: 'submitted',
      filing: { via: 'support-api', caseId: created!.caseId, displayId: created!.displayId, filedBy: 'system', filedInAccount: ACCOUNT, filedAt: created!.timeCreated },
    });
    const audit = await store.listAudit(claim.claimId);
    expect(audit.at(-1)).toMatchObject({ action: 'transition', from: 'approved', to: 'submitted', actor: 'system', detail: { caseId: created!.caseId } });
    // Filing again does nothing: the claim is no longer approved.
    expect((await fileClaim(claim.claimId, deps())).action).toBe('skipped');
    expect(casesWithToken(claim)).toHaveLength(1);
  });

  it('a crash between CreateCase and the transition leaves one case: the next filer finds it by its token', async () => {
    const claim = await approvedClaim();
    const crashing = supportForAccount({ endpoint: fake.endpoint, credentials: fakeSupportCredentials });
    const crashAfterCreate = async (account: string): Promise<SupportApi> => {
      const api = await crashing(account);
      return {
        ...api,
        createCase: async (input) => {
          await api.createCase(input);
          throw new Error('process died after CreateCase');
        },
      };
    };
    await expect(fileClaim(claim.claimId, deps({ supportFor: crashAfterCreate }))).rejects.toThrow('process died');
    expect(casesWithToken(claim)).toHaveLength(1);
    expect((await store.getClaim(claim.claimId))?.status).toBe('approved');
    // While the crashed filer's lease runs, nobody files.
    expect((await fileClaim(claim.claimId, deps())).action).toBe('in_progress');
    clock += FILING_LEASE_MS + 1000;
    const createsBefore = fake.callsOf('CreateCase').length;
    const result = await fileClaim(claim.claimId, deps());
    expect(result).toMatchObject({ action: 'submitted', found: true, caseId: casesWithToken(claim)[0]!.caseId });
    expect(fake.callsOf('CreateCase').length).toBe(createsBefore);
    expect(casesWithToken(claim)).toHaveLength(1);
    expect((await store.getClaim(claim.claimId))?.filing?.caseId).toBe(casesWithToken(claim)[0]!.caseId);
  });

  it('20 parallel filings of one claim open one case', async () => {
    const claim = await approvedClaim();
    const results = await Promise.all(Array.from({ length: 20 }, () => fileClaim(claim.claimId, deps())));
    expect(casesWithToken(claim)).toHaveLength(1);
    expect(results.filter((r) => r.action === 'submitted')).toHaveLength(1);
    expect(results.filter((r) => r.action === 'in_progress' || r.action === 'skipped')).toHaveLength(19);
    const stored = await store.getClaim(claim.claimId);
    expect(stored).toMatchObject({ status: 'submitted', filing: { caseId: casesWithToken(claim)[0]!.caseId } });
    const submissions = (await store.listAudit(claim.claimId)).filter((a) => a.to === 'submitted');
    expect(submissions).toHaveLength(1);
  });

  it('SubscriptionRequiredException → ready_to_file with the reason, no case, no error; a second run changes nothing', async () => {
    const claim = await approvedClaim({ account: NO_PLAN });
    const result = await fileClaim(claim.claimId, deps());
    expect(result.action).toBe('ready_to_file');
    expect(fake.casesOf(NO_PLAN)).toHaveLength(0);
    const stored = await store.getClaim(claim.claimId);
    expect(stored?.status).toBe('ready_to_file');
    expect(stored?.filingNote).toMatch(/SubscriptionRequiredException/);
    const calls = fake.calls.length;
    expect((await fileClaim(claim.claimId, deps())).action).toBe('skipped');
    expect(fake.calls.length).toBe(calls);
  });

  it('unconfirmed terms are never filed automatically: ready_to_file without calling AWS', async () => {
    const claim = await approvedClaim({ terms: { versionDate: null, confirmed: false, unconfirmed: ['the 25 % tier'] } });
    const calls = fake.calls.length;
    const result = await fileClaim(claim.claimId, deps());
    expect(result).toMatchObject({ action: 'ready_to_file', reason: expect.stringMatching(/^terms unconfirmed: not filed automatically/) });
    expect(fake.calls.length).toBe(calls);
    const legacy = await approvedClaim({ terms: undefined });
    expect((await fileClaim(legacy.claimId, deps())).action).toBe('ready_to_file');
  });

  it('filing: manual (for the account) → ready_to_file; another account is still filed', async () => {
    const manual: FilingSettings = { ...DEFAULT_FILING, accounts: { [ACCOUNT]: 'manual' } };
    const claim = await approvedClaim();
    expect(await fileClaim(claim.claimId, deps({}, manual))).toMatchObject({ action: 'ready_to_file', reason: expect.stringContaining('filing: manual') });
    expect(casesWithToken(claim)).toHaveLength(0);
  });

  it('attaches the evidence files through AddAttachmentsToSet (3 at most) and lists them in the body', async () => {
    const claim = await approvedClaim();
    const files = ['series.csv', 'chart.png', 'b.csv', 'c.csv'].map((fileName) => ({ fileName, data: Buffer.from(`data of ${fileName}`) }));
    await fileClaim(claim.claimId, deps({ evidenceFiles: async () => files }));
    const [created] = casesWithToken(claim);
    expect(created?.communications[0]?.attachmentSet?.map((a) => a.fileName)).toEqual(['series.csv', 'chart.png', 'b.csv']);
    expect(created?.communications[0]?.body).toContain('Attached: series.csv, chart.png, b.csv');
  });

  it('a failure before CreateCase ends the lease, so the next trigger files at once', async () => {
    const claim = await approvedClaim();
    fake.failNext('DescribeServices', 'InternalServerError', 500);
    // A fresh codes cache, so DescribeServices is really called.
    await expect(fileClaim(claim.claimId, deps())).rejects.toThrow();
    expect(casesWithToken(claim)).toHaveLength(0);
    expect((await fileClaim(claim.claimId, deps())).action).toBe('submitted');
    expect(casesWithToken(claim)).toHaveLength(1);
  });

  it('the contract can name the service and category codes (no DescribeServices)', async () => {
    const claim = await approvedClaim();
    const before = fake.callsOf('DescribeServices').length;
    await fileClaim(claim.claimId, deps({}, { ...DEFAULT_FILING, serviceCode: 'customer-account', categoryCode: 'other-account-issues' }));
    expect(fake.callsOf('DescribeServices').length).toBe(before);
    expect(casesWithToken(claim)[0]).toMatchObject({ serviceCode: 'customer-account', categoryCode: 'other-account-issues' });
  });

  it('the sweep files every approved claim of the open months and leaves the others', async () => {
    const a = await approvedClaim();
    const b = await approvedClaim();
    const sweep = await fileApprovedClaims(deps(), ['2025-10']);
    const mine = sweep.results.filter((r) => r.claimId === a.claimId || r.claimId === b.claimId);
    expect(mine.map((r) => r.result.action)).toEqual(['submitted', 'submitted']);
    expect(sweep.results.every((r) => r.result.action !== 'failed')).toBe(true);
  });
});

describe('markFiled (a person filed a ready_to_file claim)', () => {
  it('records the case id as a manual filing, conditional on the version; a bad case id names the value', async () => {
    const claim = await approvedClaim({ terms: undefined });
    const ready = await fileClaim(claim.claimId, deps());
    if (ready.action !== 'ready_to_file') throw new Error('setup');
    const bad = await markFiled(store, { claimId: claim.claimId, caseRef: 'hello', expectedVersion: ready.claim.version, actor: 'U0PERSON', at: new Date(clock).toISOString(), via: 'test' });
    expect(bad).toMatchObject({ ok: false, problem: 'bad_case_ref', text: expect.stringContaining('"hello"') });
    const stale = await markFiled(store, { claimId: claim.claimId, caseRef: '172834561234', expectedVersion: ready.claim.version - 1, actor: 'U0PERSON', at: new Date(clock).toISOString(), via: 'test' });
    expect(stale).toMatchObject({ ok: false, problem: 'not_ready' });
    const ok = await markFiled(store, { claimId: claim.claimId, caseRef: '172834561234', expectedVersion: ready.claim.version, actor: 'U0PERSON', at: new Date(clock).toISOString(), via: 'test' });
    expect(ok.ok).toBe(true);
    expect(await store.getClaim(claim.claimId)).toMatchObject({ status: 'submitted', filing: { via: 'manual', caseId: '172834561234', displayId: '172834561234', filedBy: 'U0PERSON' } });
  });
});

describe('the lifecycle on recompute', () => {
  it('a ready_to_file claim whose credit changes returns to pending approval (and loses its filing note)', async () => {
    const claim = await approvedClaim({ terms: undefined });
    await fileClaim(claim.claimId, deps());
    const ready = await store.getClaim(claim.claimId);
    expect(ready?.status).toBe('ready_to_file');
    const recomputed = await store.saveComputedClaim({ ...sampleClaim({ claimId: claim.claimId }), creditCents: 60000, chargesCents: 600000 });
    expect(recomputed.status).toBe('pending_approval');
    const stored = await store.getClaim(claim.claimId);
    expect(stored?.status).toBe('pending_approval');
    expect(stored?.filingNote).toBeUndefined();
  });

  it('a submitted claim keeps its status and its filing record through a recompute', async () => {
    const claim = await approvedClaim();
    await fileClaim(claim.claimId, deps());
    const filed = await store.getClaim(claim.claimId);
    await store.saveComputedClaim({ ...sampleClaim({ claimId: claim.claimId, terms: CONFIRMED }), creditCents: 70000, chargesCents: 700000 });
    const stored = await store.getClaim(claim.claimId);
    expect(stored?.status).toBe('submitted');
    expect(stored?.filing).toEqual(filed?.filing);
  });
});
