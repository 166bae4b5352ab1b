/**
 * The local stand-in for AWS Support (`npm start` files the demo claims on it; tests use it through
 * tests/helpers/fake-support.ts).
 *
 * A fake AWS Support API on 127.0.0.1 (random port) for tests and the local demo. It speaks the real protocol
 * (AWS JSON 1.1: `POST /`, `X-Amz-Target: AWSSupport_20130415.<Operation>`, `application/x-amz-json-1.1`, errors as
 * HTTP 400 with `{"__type": "...", "message": "..."}`), so the real `@aws-sdk/client-support` client talks to it by
 * `endpoint`. The calling account is read from the SigV4 credential (`fakeSupportCredentials(account)` gives one
 * access key per account); each account sees only its own cases, and an account listed in `withoutPlan` gets
 * `SubscriptionRequiredException` on every call, as AWS answers an account without a Business/Enterprise plan.
 *
 * Operations: DescribeServices, CreateCase, DescribeCases (caseIdList, afterTime, includeCommunications,
 * includeResolvedCases, maxResults + nextToken), AddAttachmentsToSet (≤ 3 files per set, ≤ 5 MB each; the data comes
 * base64-encoded, as the JSON protocol sends a blob, and is decoded and kept), DescribeAttachment, DescribeCommunications,
 * AddCommunicationToCase, ResolveCase. `reply()` and `resolve()` play AWS's side (for tracking tests);
 * `attachmentsOf(caseId)` gives the files a case was opened with, as the filer sent them.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_BODY_CHARS } from '../filing/support-limits.ts';

export const FAKE_SUPPORT_SERVICES = [
  {
    code: 'billing',
    name: 'Billing',
    categories: [
      { code: 'charge-inquiry', name: 'Charge inquiry' },
      { code: 'sla-credit-request', name: 'SLA credit request' },
      { code: 'other-billing', name: 'Other billing questions' },
    ],
  },
  { code: 'customer-account', name: 'Account', categories: [{ code: 'other-account-issues', name: 'Other account issues' }] },
  { code: 'amazon-dynamodb', name: 'DynamoDB', categories: [{ code: 'general-guidance', name: 'General guidance' }] },
];

export interface FakeCommunication {
  caseId: string;
  body: string;
  submittedBy: string;
  timeCreated: string;
  attachmentSet?: { attachmentId: string; fileName: string }[];
}

export interface FakeCase {
  account: string;
  caseId: string;
  displayId: string;
  subject: string;
  status: string;
  serviceCode: string;
  categoryCode: string;
  severityCode: string;
  issueType: string;
  language: string;
  ccEmailAddresses: string[];
  timeCreated: string;
  attachmentSetId?: string;
  communications: FakeCommunication[];
}

export interface FakeAttachment {
  attachmentId: string;
  fileName: string;
  data: Buffer;
}

export interface FakeSupportCall {
  operation: string;
  account: string;
  input: Record<string, unknown>;
}

export interface FakeSupportOptions {
  /** Accounts without a Business/Enterprise plan: every call answers SubscriptionRequiredException. */
  withoutPlan?: Iterable<string>;
  /** Account assumed for requests whose credential is not one of `fakeSupportCredentials` (default 000000000000). */
  defaultAccount?: string;
  /** The fake's clock (timeCreated of cases). */
  now?: () => Date;
  /** Delay before answering each request (lets parallel tests interleave). */
  delayMs?: number;
}

export interface FakeSupport {
  endpoint: string;
  cases: FakeCase[];
  calls: FakeSupportCall[];
  callsOf(operation: string): FakeSupportCall[];
  casesOf(account: string): FakeCase[];
  /** The files (decoded) of the attachment set the case was opened with, in the order they were added. */
  attachmentsOf(caseId: string): FakeAttachment[];
  /** Makes the next call of `operation` fail with `type` (HTTP `status`, default 400). */
  failNext(operation: string, type: string, status?: number): void;
  /** AWS writes on the case (its answer). */
  reply(caseId: string, body: string): void;
  resolve(caseId: string): void;
  withoutPlan: Set<string>;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSSupport_20130415.';
const ACCESS_KEY_PREFIX = 'AKIAFAKESUPPORT';

/** Static credentials the fake reads as `account` (one access key id per account). */
export function fakeSupportCredentials(account: string) {
  return { accessKeyId: `${ACCESS_KEY_PREFIX}${account}`, secretAccessKey: 'fake-support-secret' };
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function accountOf(req: IncomingMessage, fallback: string): string {
  const auth = req.headers.authorization ?? '';
  const match = /Credential=([A-Z0-9]+)\//.exec(auth);
  const key = match?.[1] ?? '';
  return key.startsWith(ACCESS_KEY_PREFIX) ? key.slice(ACCESS_KEY_PREFIX.length) : fallback;
}

function str(input: Record<string, unknown>, field: string, required = false): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) {
    if (required) throw new ApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new ApiError('SerializationException', `${field} must be a string`);
  return value;
}

export async function startFakeSupport(options: FakeSupportOptions = {}): Promise<FakeSupport> {
  const cases: FakeCase[] = [];
  const calls: FakeSupportCall[] = [];
  const attachmentSets = new Map<string, { account: string; files: FakeAttachment[] }>();
  const failures = new Map<string, { type: string; status: number }>();
  const withoutPlan = new Set(options.withoutPlan ?? []);
  const now = options.now ?? (() => new Date());
  const defaultAccount = options.defaultAccount ?? '000000000000';
  let displaySeq = 1_000_000_000 + Math.floor(Math.random() * 1_000_000);

  const visible = (account: string) => cases.filter((c) => c.account === account);
  const toWire = (c: FakeCase, withCommunications: boolean) => ({
    caseId: c.caseId,
    displayId: c.displayId,
    subject: c.subject,
    status: c.status,
    serviceCode: c.serviceCode,
    categoryCode: c.categoryCode,
    severityCode: c.severityCode,
    submittedBy: `root@${c.account}.example`,
    timeCreated: c.timeCreated,
    ccEmailAddresses: c.ccEmailAddresses,
    language: c.language,
    ...(withCommunications
      ? { recentCommunications: { communications: [...c.communications].reverse().slice(0, 5).map(commToWire) } }
      : {}),
  });
  const commToWire = (m: FakeCommunication) => ({
    caseId: m.caseId,
    body: m.body,
    submittedBy: m.submittedBy,
    timeCreated: m.timeCreated,
    attachmentSet: m.attachmentSet ?? [],
  });

  const operations: Record<string, (input: Record<string, unknown>, account: string) => unknown> = {
    DescribeServices: (input) => {
      const list = input.serviceCodeList as string[] | undefined;
      return { services: FAKE_SUPPORT_SERVICES.filter((s) => !list?.length || list.includes(s.code)) };
    },
    DescribeSeverityLevels: () => ({ severityLevels: [{ code: 'low', name: 'Low' }, { code: 'normal', name: 'Normal' }] }),
    AddAttachmentsToSet: (input, account) => {
      const setId = str(input, 'attachmentSetId');
      const attachments = (input.attachments as { fileName?: string; data?: string }[] | undefined) ?? [];
      const set = setId ? attachmentSets.get(setId) : { account, files: [] };
      if (!set || set.account !== account) throw new ApiError('AttachmentSetIdNotFound', `attachment set ${setId} not found`);
      if (set.files.length + attachments.length > MAX_ATTACHMENTS) throw new ApiError('AttachmentLimitExceeded', `at most ${MAX_ATTACHMENTS} attachments per set`);
      for (const a of attachments) {
        if (typeof a.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(a.data)) throw new ApiError('SerializationException', `attachments.data of ${a.fileName}: expected a base64 string`);
        const data = Buffer.from(a.data, 'base64');
        if (data.length > MAX_ATTACHMENT_BYTES) throw new ApiError('AttachmentSetSizeLimitExceeded', `${a.fileName}: ${data.length} bytes, over 5 MB`);
        set.files.push({ attachmentId: `attachment-${randomBytes(6).toString('hex')}`, fileName: a.fileName ?? 'file', data });
      }
      const id = setId ?? `as-${randomBytes(8).toString('hex')}`;
      attachmentSets.set(id, set);
      return { attachmentSetId: id, expiryTime: new Date(now().getTime() + 3_600_000).toISOString() };
    },
    CreateCase: (input, account) => {
      const subject = str(input, 'subject', true)!;
      const body = str(input, 'communicationBody', true)!;
      if (body.length > MAX_BODY_CHARS) throw new ApiError('ValidationException', `communicationBody: maximum length ${MAX_BODY_CHARS}`);
      const setId = str(input, 'attachmentSetId');
      const set = setId ? attachmentSets.get(setId) : undefined;
      if (setId && (!set || set.account !== account)) throw new ApiError('AttachmentSetIdNotFound', `attachment set ${setId} not found`);
      const at = now().toISOString();
      const caseId = `case-${account}-${at.slice(0, 4)}-${randomBytes(8).toString('hex')}`;
      const c: FakeCase = {
        account,
        caseId,
        displayId: String(displaySeq++),
        subject,
        status: 'opened',
        serviceCode: str(input, 'serviceCode') ?? 'general-info',
        categoryCode: str(input, 'categoryCode') ?? 'using-aws',
        severityCode: str(input, 'severityCode') ?? 'low',
        issueType: str(input, 'issueType') ?? 'technical',
        language: str(input, 'language') ?? 'en',
        ccEmailAddresses: (input.ccEmailAddresses as string[] | undefined) ?? [],
        timeCreated: at,
        ...(setId ? { attachmentSetId: setId } : {}),
        communications: [
          {
            caseId,
            body,
            submittedBy: `root@${account}.example`,
            timeCreated: at,
            ...(set ? { attachmentSet: set.files.map(({ attachmentId, fileName }) => ({ attachmentId, fileName })) } : {}),
          },
        ],
      };
      cases.push(c);
      return { caseId };
    },
    DescribeCases: (input, account) => {
      const ids = input.caseIdList as string[] | undefined;
      const displayId = str(input, 'displayId');
      const after = str(input, 'afterTime');
      const before = str(input, 'beforeTime');
      const includeResolved = input.includeResolvedCases === true;
      const withCommunications = input.includeCommunications !== false;
      const max = Math.min(100, Math.max(10, Number(input.maxResults ?? 100)));
      const start = Number(str(input, 'nextToken') ?? '0');
      let list = visible(account);
      if (ids?.length) {
        list = list.filter((c) => ids.includes(c.caseId));
        if (list.length === 0) throw new ApiError('CaseIdNotFound', `case ${ids.join(', ')} not found`);
      }
      if (displayId) list = list.filter((c) => c.displayId === displayId);
      if (after) list = list.filter((c) => c.timeCreated >= after);
      if (before) list = list.filter((c) => c.timeCreated <= before);
      if (!includeResolved && !ids?.length) list = list.filter((c) => c.status !== 'resolved');
      // Newest first, as Support Center lists them.
      list = [...list].sort((a, b) => b.timeCreated.localeCompare(a.timeCreated));
      const page = list.slice(start, start + max);
      return { cases: page.map((c) => toWire(c, withCommunications)), ...(start + max < list.length ? { nextToken: String(start + max) } : {}) };
    },
    DescribeAttachment: (input, account) => {
      const attachmentId = str(input, 'attachmentId', true)!;
      for (const set of attachmentSets.values()) {
        const file = set.account === account ? set.files.find((f) => f.attachmentId === attachmentId) : undefined;
        if (file) return { attachment: { fileName: file.fileName, data: file.data.toString('base64') } };
      }
      throw new ApiError('AttachmentIdNotFound', `attachment ${attachmentId} not found`);
    },
    DescribeCommunications: (input, account) => {
      const caseId = str(input, 'caseId', true)!;
      const c = visible(account).find((x) => x.caseId === caseId);
      if (!c) throw new ApiError('CaseIdNotFound', `case ${caseId} not found`);
      return { communications: [...c.communications].reverse().map(commToWire) };
    },
    AddCommunicationToCase: (input, account) => {
      const caseId = str(input, 'caseId', true)!;
      const c = visible(account).find((x) => x.caseId === caseId);
      if (!c) throw new ApiError('CaseIdNotFound', `case ${caseId} not found`);
      c.communications.push({ caseId, body: str(input, 'communicationBody', true)!, submittedBy: `root@${account}.example`, timeCreated: now().toISOString() });
      return { result: true };
    },
    ResolveCase: (input, account) => {
      const caseId = str(input, 'caseId', true)!;
      const c = visible(account).find((x) => x.caseId === caseId);
      if (!c) throw new ApiError('CaseIdNotFound', `case ${caseId} not found`);
      const initialCaseStatus = c.status;
      c.status = 'resolved';
      return { initialCaseStatus, finalCaseStatus: 'resolved' };
    },
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomBytes(16).toString('hex'), 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const raw = await readBody(req);
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) throw new ApiError('UnknownOperationException', `unknown target ${JSON.stringify(target)}`);
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) throw new ApiError('SerializationException', 'expected application/x-amz-json-1.1');
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) throw new ApiError('MissingAuthenticationTokenException', 'request is not signed', 403);
      const operation = target.slice(TARGET_PREFIX.length);
      const account = accountOf(req, defaultAccount);
      const input = JSON.parse(raw || '{}') as Record<string, unknown>;
      calls.push({ operation, account, input });
      const failure = failures.get(operation);
      if (failure) {
        failures.delete(operation);
        throw new ApiError(failure.type, `injected ${failure.type}`, failure.status);
      }
      if (withoutPlan.has(account)) {
        throw new ApiError('SubscriptionRequiredException', 'AWS Premium Support Subscription is required to use this service.');
      }
      const op = operations[operation];
      if (!op) throw new ApiError('UnknownOperationException', `operation ${operation} is not implemented by the fake`);
      answer(res, 200, op(input, account));
    } catch (error) {
      if (error instanceof ApiError) answer(res, error.status, { __type: error.type, message: error.message });
      else answer(res, 500, { __type: 'InternalServerError', message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    cases,
    calls,
    callsOf: (operation) => calls.filter((c) => c.operation === operation),
    casesOf: (account) => visible(account),
    attachmentsOf: (caseId) => {
      const c = cases.find((x) => x.caseId === caseId);
      const set = c?.attachmentSetId ? attachmentSets.get(c.attachmentSetId) : undefined;
      return set ? set.files.map((f) => ({ ...f })) : [];
    },
    failNext: (operation, type, status = 400) => failures.set(operation, { type, status }),
    reply: (caseId, body) => {
      const c = cases.find((x) => x.caseId === caseId);
      if (!c) throw new Error(`fake support: no case ${caseId}`);
      c.communications.push({ caseId, body, submittedBy: 'Amazon Web Services', timeCreated: now().toISOString() });
    },
    resolve: (caseId) => {
      const c = cases.find((x) => x.caseId === caseId);
      if (!c) throw new Error(`fake support: no case ${caseId}`);
      c.status = 'resolved';
    },
    withoutPlan,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
