/**
 * Builds EventBridge `aws.health` envelopes in the shape AWS delivers them (RFC-1123 times, string page fields,
 * backup copies). Fixture (not product code): used by the demo replay generator (scripts/), the benchmarks and the tests.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';

export interface EnvelopeSpec {
  account: string;
  eventArn: string;
  service: string;
  eventTypeCode: string;
  category?: string;
  scope?: 'PUBLIC' | 'ACCOUNT_SPECIFIC';
  region: string;
  start: string;
  end?: string | null;
  lastUpdated: string;
  status: 'open' | 'closed' | 'upcoming';
  description: string;
  entities?: { entityValue: string; status?: string; tags?: Record<string, string> }[];
  page?: number;
  totalPages?: number;
  backup?: boolean;
  id?: string;
}

/** "Mon, 20 Oct 2025 06:48:00 GMT" — the format Health uses in EventBridge events. */
export function rfc1123(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).toFormat("ccc, dd LLL yyyy HH:mm:ss 'GMT'", { locale: 'en-US' });
}

export function healthEnvelope(spec: EnvelopeSpec): Record<string, unknown> {
  const backupRegion = spec.region === 'us-west-2' ? 'us-east-1' : 'us-west-2';
  const page = spec.page ?? 1;
  return {
    version: '0',
    id: spec.id ?? uuidFrom(`${spec.account}|${spec.eventArn}|${spec.lastUpdated}|${page}|${spec.backup ? 'b' : ''}`),
    'detail-type': 'AWS Health Event',
    source: 'aws.health',
    account: spec.account,
    time: DateTime.fromISO(spec.lastUpdated, { zone: 'utc' }).toFormat("yyyy-LL-dd'T'HH:mm:ss'Z'"),
    region: spec.backup ? backupRegion : spec.region,
    resources: (spec.entities ?? []).map((e) => e.entityValue),
    detail: {
      eventArn: spec.eventArn,
      service: spec.service,
      eventTypeCode: spec.eventTypeCode,
      eventTypeCategory: spec.category ?? 'issue',
      eventScopeCode: spec.scope ?? 'PUBLIC',
      communicationId: `${Buffer.from(`${spec.eventArn}${spec.lastUpdated}`).toString('hex').slice(0, 40)}-${page}`,
      startTime: rfc1123(spec.start),
      ...(spec.end ? { endTime: rfc1123(spec.end) } : {}),
      lastUpdatedTime: rfc1123(spec.lastUpdated),
      statusCode: spec.status,
      eventRegion: spec.region,
      eventDescription: [{ language: 'en_US', latestDescription: spec.description }],
      affectedEntities: spec.entities ?? [],
      page: String(page),
      totalPages: String(spec.totalPages ?? 1),
      backupEvent: spec.backup ? 'true' : 'false',
      affectedAccount: spec.account,
      personas: ['OPERATIONS'],
    },
  };
}

/** A stable UUID-shaped id from a seed (EventBridge ids are UUIDs). */
function uuidFrom(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
