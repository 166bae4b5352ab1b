/**
 * Filing with AWS Support, exactly once: the real use case, DynamoDB Local and the real @aws-sdk/client-support client
 * talking to the fake Support server (tests/helpers/fake-support.ts) by endpoint.
 */
import { DescribeAttachmentCommand, SupportClient } from '@aws-sdk/client-support';
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
import { FLEET_CSV_HEADER } from '../../src/filing/fleet-list.ts';
import { MAX_BODY_CHARS } from '../../src/filing/support-limits.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { BIG_ARN, fleetClaim, instanceIds } from '../helpers/fleet-claims.ts';
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

/** An approved fleet claim (FLEET.md's example) whose big part's list is in resource-list items of the table. */
async function approvedFleetClaim(big: readonly string[], small: readonly string[]): Promise<Claim> {
  n += 1;
  const fleet = await fleetClaim(big, small, store);
  return approvedClaim({ ...fleet, claimId: `${ACCOUNT}#ec2-instance#us-east-1#2025-10#fleet-${n}` });
}

const csvRows = (data: Buffer) => data.toString('utf8').split('\r\n').filter(Boolean);

const casesWithToken = (claim: Claim) => fake.cases.filter((c) => c.communications[0]?.body.includes(filingToken(claim.claimId)));

/** The fake's Support API, as a filer that dies right after CreateCase (the case is opened, nothing recorded). */
function supportDyingAfterCreate(): (account: string) => Promise<SupportApi> {
  const support = supportForAccount({ endpoint: fake.endpoint, credentials: fakeSupportCredentials });
  return async (account) => {
    const api = await support(account);
    return {
      ...api,
      createCase: async (input) => {
        await api.createCase(input);
        throw new Error('process died after CreateCase');
      },
    };
  };
}

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
    const crashAfterCreate = supportDyingAfterCreate();
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

describe('fileClaim of a fleet claim (one case for every affected resource)', () => {
  it('a small fleet: one case, every resource ID in the body, no attachment', async () => {
    const big = instanceIds(12, 'i-0b');
    const claim = await approvedFleetClaim(big, ['i-0aaa', 'i-0bbb']);
    const sets = fake.callsOf('AddAttachmentsToSet').length;
    expect(await fileClaim(claim.claimId, deps())).toMatchObject({ action: 'submitted' });
    const [created] = casesWithToken(claim);
    for (const id of [...big, 'i-0aaa', 'i-0bbb']) expect(created!.communications[0]!.body).toContain(id);
    expect(created!.communications[0]!.body).toContain('Group 1 of 2: 12 resource(s), incident 1: 172 min unavailable');
    expect(fake.callsOf('AddAttachmentsToSet').length).toBe(sets);
    expect(fake.attachmentsOf(created!.caseId)).toEqual([]);
  });

  it('a 10 000-resource fleet: the full list as a CSV attachment through AddAttachmentsToSet (10 000 rows read back), the body under the limit names it', async () => {
    const big = instanceIds(10_000);
    const claim = await approvedFleetClaim(big, ['i-0aaa', 'i-0bbb', 'i-0ccc']);
    expect(await fileClaim(claim.claimId, deps())).toMatchObject({ action: 'submitted' });
    const [created] = casesWithToken(claim);
    const body = created!.communications[0]!.body;
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body).toContain(filingToken(claim.claimId));
    expect(body).toContain('Affected resources: 10003, in 2 group(s)');
    expect(body).toContain('Attached: ec2-instance-us-east-1-2025-10-resources.csv');
    expect(body).toContain(big[0]);
    // The set CreateCase was given is the one AddAttachmentsToSet returned (the real SDK client, by endpoint).
    const create = fake.callsOf('CreateCase').find((c) => String(c.input.communicationBody).includes(filingToken(claim.claimId)))!;
    expect(create.input.attachmentSetId).toBe(created!.attachmentSetId);
    const files = fake.attachmentsOf(created!.caseId);
    expect(files.map((f) => f.fileName)).toEqual(['ec2-instance-us-east-1-2025-10-resources.csv']);
    const rows = csvRows(files[0]!.data);
    expect(rows[0]).toBe(FLEET_CSV_HEADER);
    expect(rows.slice(1).filter((r) => r.endsWith(`,${BIG_ARN},172,99.6147,10`))).toHaveLength(10_000);
    expect(new Set(rows.slice(1).map((r) => r.split(',')[0]))).toEqual(new Set([...big, 'i-0aaa', 'i-0bbb', 'i-0ccc']));
    expect(created!.communications[0]!.attachmentSet?.map((a) => a.fileName)).toEqual(['ec2-instance-us-east-1-2025-10-resources.csv']);
    // What AWS keeps is what was sent: DescribeAttachment through the real SDK (base64 both ways) gives the same bytes.
    const client = new SupportClient({ region: 'us-east-1', endpoint: fake.endpoint, credentials: fakeSupportCredentials(ACCOUNT), maxAttempts: 1 });
    const got = await client.send(new DescribeAttachmentCommand({ attachmentId: created!.communications[0]!.attachmentSet![0]!.attachmentId }));
    expect(Buffer.from(got.attachment!.data!).equals(files[0]!.data)).toBe(true);
    client.destroy();
  });

  it('the resource list takes the first attachment slot; evidence files the two left', async () => {
    const claim = await approvedFleetClaim(instanceIds(10_000), ['i-0aaa']);
    const evidence = ['series.csv', 'chart.png', 'b.csv'].map((fileName) => ({ fileName, data: Buffer.from(`data of ${fileName}`) }));
    await fileClaim(claim.claimId, deps({ evidenceFiles: async () => evidence }));
    const [created] = casesWithToken(claim);
    expect(fake.attachmentsOf(created!.caseId).map((f) => f.fileName)).toEqual(['ec2-instance-us-east-1-2025-10-resources.csv', 'series.csv', 'chart.png']);
    expect(created!.communications[0]!.body).toContain('Attached: ec2-instance-us-east-1-2025-10-resources.csv, series.csv, chart.png');
  });

  it('exactly once: 20 parallel filers open one case with one attachment set; a crash after CreateCase is found by its token, never filed again', async () => {
    const parallel = await approvedFleetClaim(instanceIds(10_000, 'i-0c'), ['i-0aaa']);
    const setsBefore = fake.callsOf('AddAttachmentsToSet').length;
    const results = await Promise.all(Array.from({ length: 20 }, () => fileClaim(parallel.claimId, deps())));
    expect(results.filter((r) => r.action === 'submitted')).toHaveLength(1);
    expect(casesWithToken(parallel)).toHaveLength(1);
    expect(fake.callsOf('AddAttachmentsToSet').length - setsBefore).toBe(1);
    expect(csvRows(fake.attachmentsOf(casesWithToken(parallel)[0]!.caseId)[0]!.data)).toHaveLength(10_002);
    expect((await store.listAudit(parallel.claimId)).filter((a) => a.to === 'submitted')).toHaveLength(1);

    const claim = await approvedFleetClaim(instanceIds(10_000, 'i-0d'), ['i-0aaa']);
    const crashAfterCreate = supportDyingAfterCreate();
    await expect(fileClaim(claim.claimId, deps({ supportFor: crashAfterCreate }))).rejects.toThrow('process died');
    expect(casesWithToken(claim)).toHaveLength(1);
    expect((await fileClaim(claim.claimId, deps())).action).toBe('in_progress');
    clock += FILING_LEASE_MS + 1000;
    const creates = fake.callsOf('CreateCase').length;
    const sets = fake.callsOf('AddAttachmentsToSet').length;
    const result = await fileClaim(claim.claimId, deps());
    expect(result).toMatchObject({ action: 'submitted', found: true, caseId: casesWithToken(claim)[0]!.caseId });
    expect(fake.callsOf('CreateCase').length).toBe(creates);
    expect(fake.callsOf('AddAttachmentsToSet').length).toBe(sets);
    expect(casesWithToken(claim)).toHaveLength(1);
    expect(csvRows(fake.attachmentsOf(casesWithToken(claim)[0]!.caseId)[0]!.data)).toHaveLength(10_002);
  });

  it('a fleet claim whose resource list is missing is not filed: a clear error, no case, the lease ended', async () => {
    n += 1;
    const fleet = await fleetClaim(instanceIds(50, 'i-0e'), ['i-0aaa']);
    const claim = await approvedClaim({ ...fleet, claimId: `${ACCOUNT}#ec2-instance#us-east-1#2025-10#fleet-missing-${n}` });
    await expect(fileClaim(claim.claimId, deps())).rejects.toThrow(/resource list [0-9a-f]{64}: not found/);
    expect(casesWithToken(claim)).toHaveLength(0);
    const stored = await store.getClaim(claim.claimId);
    expect(Date.parse(stored!.filingIntent!.leaseUntil)).toBeLessThanOrEqual(clock);
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
