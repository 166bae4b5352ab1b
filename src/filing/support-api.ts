/**
 * The part of AWS Support the filing use case needs (a port), and its `@aws-sdk/client-support` adapter.
 *
 * Cases are opened in the account whose charges the claim is on (README "Filing with AWS Support": an SLA applies
 * to each account separately and a Support plan is per account), through the role deploy/support-filer-role.yml
 * creates there; `supportForAccount` assumes it (STS AssumeRole, cached credentials per account). Tests and the local
 * run hand in clients pointed at the fake Support server instead.
 */
import type { SupportClient } from '@aws-sdk/client-support';
import { hasToken } from './case-text.ts';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './support-limits.ts';

export interface SupportService {
  code: string;
  name: string;
  categories: { code: string; name: string }[];
}

export interface NewCase {
  subject: string;
  body: string;
  serviceCode: string;
  categoryCode: string;
  ccEmailAddresses?: string[];
  attachmentSetId?: string;
}

export interface SupportCase {
  caseId: string;
  displayId?: string;
  subject?: string;
  status?: string;
  timeCreated?: string;
  /** Bodies of the case's recent communications (the first one is the case body while the case is new). */
  bodies: string[];
}

export interface Attachment {
  fileName: string;
  data: Uint8Array;
}

export interface SupportApi {
  describeServices(): Promise<SupportService[]>;
  /** AddAttachmentsToSet: a new set holding `files`; returns its id (valid for an hour). */
  addAttachments(files: readonly Attachment[]): Promise<string>;
  /** CreateCase (issueType customer-service, severity low, English); returns the case id. */
  createCase(input: NewCase): Promise<string>;
  /** DescribeCases of one case id (null when AWS does not know it). */
  getCase(caseId: string): Promise<SupportCase | null>;
  /** The case created since `since` whose subject or body carries `token` (resolved cases included), or null. */
  findCaseByToken(token: string, since: Date): Promise<SupportCase | null>;
}

/** Support API limits for attachments (src/filing/support-limits.ts): 3 per set, 5 MB each. */
export { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './support-limits.ts';

/** The account has no Business, Enterprise On-Ramp or Enterprise Support plan. */
export function isSubscriptionRequired(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'SubscriptionRequiredException';
}

/** At most this many DescribeCases pages are read when looking for a case by its token (100 cases each). */
const FIND_MAX_PAGES = 10;

export function supportApiOf(client: SupportClient): SupportApi {
  // The SDK's commands are loaded with the client (one module), so this stays a static-shape adapter.
  const sdk = import('@aws-sdk/client-support');
  const toCase = (c: {
    caseId?: string;
    displayId?: string;
    subject?: string;
    status?: string;
    timeCreated?: string;
    recentCommunications?: { communications?: { body?: string }[] };
  }): SupportCase => ({
    caseId: c.caseId ?? '',
    ...(c.displayId ? { displayId: c.displayId } : {}),
    ...(c.subject ? { subject: c.subject } : {}),
    ...(c.status ? { status: c.status } : {}),
    ...(c.timeCreated ? { timeCreated: c.timeCreated } : {}),
    bodies: (c.recentCommunications?.communications ?? []).map((m) => m.body ?? ''),
  });
  return {
    async describeServices() {
      const { DescribeServicesCommand } = await sdk;
      const result = await client.send(new DescribeServicesCommand({ language: 'en' }));
      return (result.services ?? []).map((s) => ({
        code: s.code ?? '',
        name: s.name ?? '',
        categories: (s.categories ?? []).map((c) => ({ code: c.code ?? '', name: c.name ?? '' })),
      }));
    },
    async addAttachments(files) {
      if (files.length > MAX_ATTACHMENTS) throw new Error(`attachments: ${files.length} files, the Support API takes at most ${MAX_ATTACHMENTS}`);
      for (const f of files) {
        if (f.data.byteLength > MAX_ATTACHMENT_BYTES) throw new Error(`attachments: ${f.fileName} is ${f.data.byteLength} bytes, over 5 MB`);
      }
      const { AddAttachmentsToSetCommand } = await sdk;
      const result = await client.send(new AddAttachmentsToSetCommand({ attachments: files.map((f) => ({ fileName: f.fileName, data: f.data })) }));
      if (!result.attachmentSetId) throw new Error('AddAttachmentsToSet returned no attachmentSetId');
      return result.attachmentSetId;
    },
    async createCase(input) {
      const { CreateCaseCommand } = await sdk;
      const result = await client.send(
        new CreateCaseCommand({
          subject: input.subject,
          communicationBody: input.body,
          serviceCode: input.serviceCode,
          categoryCode: input.categoryCode,
          severityCode: 'low',
          issueType: 'customer-service',
          language: 'en',
          ...(input.ccEmailAddresses?.length ? { ccEmailAddresses: input.ccEmailAddresses } : {}),
          ...(input.attachmentSetId ? { attachmentSetId: input.attachmentSetId } : {}),
        }),
      );
      if (!result.caseId) throw new Error('CreateCase returned no caseId');
      return result.caseId;
    },
    async getCase(caseId) {
      const { DescribeCasesCommand } = await sdk;
      try {
        const result = await client.send(new DescribeCasesCommand({ caseIdList: [caseId], includeResolvedCases: true, includeCommunications: false }));
        const found = result.cases?.[0];
        return found ? toCase(found) : null;
      } catch (error) {
        if ((error as { name?: string }).name === 'CaseIdNotFound') return null;
        throw error;
      }
    },
    async findCaseByToken(token, since) {
      const { DescribeCasesCommand } = await sdk;
      let nextToken: string | undefined;
      for (let page = 0; page < FIND_MAX_PAGES; page++) {
        const result = await client.send(
          new DescribeCasesCommand({
            afterTime: since.toISOString(),
            includeResolvedCases: true,
            includeCommunications: true,
            maxResults: 100,
            language: 'en',
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        for (const c of result.cases ?? []) {
          const found = toCase(c);
          if (hasToken(found.subject, token) || found.bodies.some((b) => hasToken(b, token))) return found;
        }
        nextToken = result.nextToken;
        if (!nextToken) return null;
      }
      throw new Error(`DescribeCases: more than ${FIND_MAX_PAGES * 100} cases since ${since.toISOString()}; cannot rule out an earlier filing`);
    },
  };
}

export interface SupportClientOptions {
  /** A fake Support server (tests, the local run). */
  endpoint?: string;
  /** Static credentials (the local run); otherwise the role is assumed. */
  credentials?: (account: string) => { accessKeyId: string; secretAccessKey: string };
  /** The role to assume in each account (deploy/support-filer-role.yml; its name is the deploy's supportFilerRole). */
  roleArnOf?: (account: string) => string;
  /** The STS session name (CloudTrail shows it: who read or filed); default sla-claims-filer. */
  sessionName?: string;
  /** Extra client settings (the retry strategy). */
  clientConfig?: Record<string, unknown>;
}

/**
 * One Support API per account, built on first use: the Support API is served from us-east-1 ("the AWS Support API
 * endpoint … us-east-1"); credentials are the account's filer role, assumed through STS and refreshed before expiry.
 */
export function supportForAccount(options: SupportClientOptions): (account: string) => Promise<SupportApi> {
  const clientFor = supportClientForAccount(options);
  return async (account) => supportApiOf(await clientFor(account));
}

/**
 * One Support SDK client per account, built on first use and kept (filing through `supportForAccount`; tracking reads
 * the cases with it, src/tracking/support-cases.ts): the endpoint, and static credentials or the account's role.
 */
export function supportClientForAccount(options: SupportClientOptions): (account: string) => Promise<SupportClient> {
  const cache = new Map<string, Promise<SupportClient>>();
  return (account) => {
    let client = cache.get(account);
    if (!client) {
      client = (async () => {
        const { SupportClient } = await import('@aws-sdk/client-support');
        // Static (the local run), the account's filer role, or (SUPPORT_ENDPOINT without a role) the default chain.
        let credentials: unknown;
        if (options.credentials) credentials = options.credentials(account);
        else if (options.roleArnOf) credentials = assumedRole(options.roleArnOf(account), options.sessionName ?? 'sla-claims-filer');
        return new SupportClient({
          region: 'us-east-1',
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          ...(credentials ? { credentials: credentials as never } : {}),
          ...(options.clientConfig ?? {}),
        });
      })();
      client.catch(() => cache.delete(account));
      cache.set(account, client);
    }
    return client;
  };
}

/** Credentials of `roleArn` through STS AssumeRole (15 minutes), renewed a minute before they expire. */
function assumedRole(roleArn: string, sessionName: string) {
  let current: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date } | undefined;
  return async () => {
    if (current && current.expiration.getTime() - Date.now() > 60_000) return current;
    const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const sts = new STSClient({ region: 'us-east-1' });
    const result = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 900 }));
    const c = result.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error(`AssumeRole ${roleArn}: no credentials returned`);
    current = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    return current;
  };
}

export function filerRoleArn(account: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}
