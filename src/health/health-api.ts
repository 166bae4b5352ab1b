/**
 * The two flavours of the AWS Health API behind one small interface, so one sweep (backfill.ts) serves both:
 *
 * | step            | single account                     | organization view                                           |
 * |-----------------|------------------------------------|-------------------------------------------------------------|
 * | events          | DescribeEvents (`lastUpdatedTimes`) | DescribeEventsForOrganization (`lastUpdatedTime`)           |
 * | detail targets  | the event ARN                      | one per affected account (DescribeAffectedAccounts…), or the ARN alone for a public event |
 * | details         | DescribeEventDetails               | DescribeEventDetailsForOrganization                         |
 * | entities        | DescribeAffectedEntities           | DescribeAffectedEntitiesForOrganization (may return a failedSet) |
 *
 * Every call goes through `call` (throttling retry); every list is read to its last page.
 */
import {
  DescribeAffectedAccountsForOrganizationCommand,
  DescribeAffectedEntitiesCommand,
  DescribeAffectedEntitiesForOrganizationCommand,
  DescribeEventDetailsCommand,
  DescribeEventDetailsForOrganizationCommand,
  DescribeEventsCommand,
  DescribeEventsForOrganizationCommand,
  HealthClient,
  type AffectedEntity as SdkAffectedEntity,
  type Event as SdkEvent,
  type EventTypeCategory,
} from '@aws-sdk/client-health';

const PAGE_SIZE = 100;

/** What DescribeEventDetails[ForOrganization] is asked about: an event, for one affected account when known. */
export interface DetailTarget {
  eventArn: string;
  awsAccountId?: string;
}

/** A failedSet item: its reason ("ErrorName: message") and the item as AWS gave it. */
export interface ApiFailure {
  reason: string;
  raw: Record<string, unknown>;
}

export interface EventDetails {
  event: SdkEvent | undefined;
  description: string | undefined;
  /** Organization view: the account the details are for. */
  awsAccountId?: string;
  raw: unknown;
}

export interface HealthApi {
  /** Quarantine sources / log names of the calls. */
  readonly names: { events: string; details: string; entities: string };
  readonly doneMessage: string;
  events(nextToken: string | undefined): Promise<{ events: SdkEvent[]; nextToken?: string | undefined }>;
  targets(eventArn: string): Promise<DetailTarget[]>;
  /** `unanswered`: targets in neither set (only the single-account API is checked for these). */
  details(targets: DetailTarget[]): Promise<{ failed: ApiFailure[]; successful: EventDetails[]; unanswered: DetailTarget[] }>;
  /** Every entity of the target; failedSet items are pushed to `failed` as their pages arrive (kept if a later page throws). */
  entities(target: DetailTarget, failed: ApiFailure[]): Promise<SdkAffectedEntity[]>;
}

export interface EventQuery {
  since: Date;
  services?: string[] | undefined;
  eventTypeCategories?: EventTypeCategory[] | undefined;
}

export type Call = <T>(fn: () => Promise<T>) => Promise<T>;

function failure(f: { errorName?: string | undefined; errorMessage?: string | undefined }): ApiFailure {
  return { reason: `${f.errorName ?? 'UnknownError'}: ${f.errorMessage ?? ''}`.trim(), raw: { ...f } };
}

/** Reads every page of a token-paginated call. */
async function allPages<R extends { nextToken?: string | undefined }>(fetch: (token: string | undefined) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let token: string | undefined;
  do {
    const res = await fetch(token);
    out.push(res);
    token = res.nextToken;
  } while (token);
  return out;
}

const page = (token: string | undefined) => ({ maxResults: PAGE_SIZE, ...(token ? { nextToken: token } : {}) });

function commonFilter(q: EventQuery) {
  return {
    eventTypeCategories: q.eventTypeCategories ?? (['issue'] as EventTypeCategory[]),
    ...(q.services && q.services.length > 0 ? { services: q.services } : {}),
  };
}

/** Single-account Health API. */
export function accountApi(client: HealthClient, call: Call, q: EventQuery): HealthApi {
  const filter = { lastUpdatedTimes: [{ from: q.since }], ...commonFilter(q) };
  return {
    names: { events: 'DescribeEvents', details: 'DescribeEventDetails', entities: 'DescribeAffectedEntities' },
    doneMessage: 'Health API sweep done',
    async events(nextToken) {
      const res = await call(() => client.send(new DescribeEventsCommand({ filter, ...page(nextToken) })));
      return { events: res.events ?? [], nextToken: res.nextToken };
    },
    async targets(eventArn) {
      return [{ eventArn }];
    },
    async details(targets) {
      const res = await call(() => client.send(new DescribeEventDetailsCommand({ eventArns: targets.map((t) => t.eventArn) })));
      const answered = new Set<string>();
      for (const f of res.failedSet ?? []) if (f.eventArn) answered.add(f.eventArn);
      for (const d of res.successfulSet ?? []) if (d.event?.arn) answered.add(d.event.arn);
      return {
        failed: (res.failedSet ?? []).map(failure),
        successful: (res.successfulSet ?? []).map((d) => ({ event: d.event, description: d.eventDescription?.latestDescription, raw: d })),
        unanswered: targets.filter((t) => !answered.has(t.eventArn)),
      };
    },
    async entities(target) {
      const pages = await allPages((token) =>
        call(() => client.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns: [target.eventArn] }, ...page(token) }))),
      );
      return pages.flatMap((p) => p.entities ?? []);
    },
  };
}

/** Organizational view (management or delegated-admin account). */
export function organizationApi(client: HealthClient, call: Call, q: EventQuery): HealthApi {
  const filter = { lastUpdatedTime: { from: q.since }, ...commonFilter(q) };
  return {
    names: {
      events: 'DescribeEventsForOrganization',
      details: 'DescribeEventDetailsForOrganization',
      entities: 'DescribeAffectedEntitiesForOrganization',
    },
    doneMessage: 'Health API organization sweep done',
    async events(nextToken) {
      const res = await call(() => client.send(new DescribeEventsForOrganizationCommand({ filter, ...page(nextToken) })));
      return { events: res.events ?? [], nextToken: res.nextToken };
    },
    async targets(eventArn) {
      const pages = await allPages((token) =>
        call(() => client.send(new DescribeAffectedAccountsForOrganizationCommand({ eventArn, ...page(token) }))),
      );
      const accounts = [...new Set(pages.flatMap((p) => p.affectedAccounts ?? []))];
      // Public events have no affected-account list: ask for the event itself (attributed to the sweeping account).
      return accounts.length === 0 ? [{ eventArn }] : accounts.map((awsAccountId) => ({ eventArn, awsAccountId }));
    },
    async details(targets) {
      const res = await call(() =>
        client.send(new DescribeEventDetailsForOrganizationCommand({ organizationEventDetailFilters: targets })),
      );
      // failedSet items may lack awsAccountId (aws-health-aware issue #106): never index into them blindly.
      return {
        failed: (res.failedSet ?? []).map(failure),
        successful: (res.successfulSet ?? []).map((d) => ({
          event: d.event,
          description: d.eventDescription?.latestDescription,
          ...(d.awsAccountId !== undefined ? { awsAccountId: d.awsAccountId } : {}),
          raw: d,
        })),
        unanswered: [],
      };
    },
    async entities(target, failed) {
      const pages = await allPages(async (token) => {
        const res = await call(() =>
          client.send(new DescribeAffectedEntitiesForOrganizationCommand({ organizationEntityAccountFilters: [target], ...page(token) })),
        );
        failed.push(...(res.failedSet ?? []).map(failure));
        return res;
      });
      return pages.flatMap((p) => p.entities ?? []);
    },
  };
}
