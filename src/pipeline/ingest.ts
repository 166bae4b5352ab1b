/**
 * The main use case: one AWS Health event (or update, page, duplicate, backup copy) in; incident records and the
 * recomputed claim drafts out. Exactly-once in effect under at-least-once delivery:
 *
 * 1. Parse. Anything unparseable is quarantined (raw payload + a reason naming the field and value); done.
 * 2. Record the update; an update already processed to the end (a redelivery, a backup-Region copy) stops here.
 *    The incident's state is replaced only by a strictly newer `lastUpdatedTime`
 *    (conditional write); every update is kept so per-service recovery can be read from the history.
 * 3. Match against the contract; link the incident to each claim scope (account, SLA, Region or resource),
 *    with windows computed from the newest state — re-done until the state read is stable.
 * 4. Recompute each touched claim (scope × month) from all incidents linked to the scope. The numbers depend
 *    only on the set of incidents, never on arrival order; writes are conditional on the claim version.
 */
import { computeCredit, describeTier } from '../credit/engine.ts';
import { mapPool } from '../util/pool.ts';
import { monthsBetween } from '../credit/month.ts';
import type { Claim, Evidence } from '../claims/types.ts';
import { matchEvent, type Match } from '../contract/match.ts';
import type { Contract } from '../contract/contract.ts';
import { parseEventBridgeHealthEvent, parseHealthApiEvent } from '../health/parse.ts';
import { HealthEventParseError, type HealthEvent } from '../health/types.ts';
import type { SpendSource } from '../spend/spend.ts';
import type { DynamoClaimStore } from '../store/claim-store.ts';
import type { Db } from '../store/clients.ts';
import { IncidentStore, toState, type IncidentState, type LinkRecord, type UpdateRecord } from './incidents.ts';
import { QuarantineStore } from './quarantine.ts';
import { effectiveOutage, recoveredServices, serviceWindow } from './windows.ts';

export interface IngestDeps {
  db: Db;
  claims: DynamoClaimStore;
  contract: Contract;
  spend: SpendSource;
  now: () => number;
  log?: (level: 'info' | 'warn', message: string, extra?: Record<string, unknown>) => void;
}

export type IngestOutcome =
  | { kind: 'quarantined'; source: string; reason: string; id: string }
  | { kind: 'processed'; account: string; eventArn: string; state: 'applied' | 'same' | 'older' | 'duplicate'; claims: Claim[]; matched: number };

const MAX_EVIDENCE = 50;
/** Evidence bytes kept on a claim item (DynamoDB items stop at 400 KB); the incidents keep everything. */
const MAX_EVIDENCE_BYTES = 150 * 1024;
/** An `issue` outage longer than this is not believable (a typo'd year, a stuck legacy event): it goes to review. */
const MAX_PLAUSIBLE_OUTAGE_MS = 92 * 86_400_000;
/** Claim scopes recomputed in parallel for one event (an event with thousands of affected resources). */
const RECOMPUTE_CONCURRENCY = 32;
const MAX_EVIDENCE_RESOURCES = 20;
const MAX_EVIDENCE_DESCRIPTION = 2000;

/**
 * Entry point for raw payloads (the Lambda handler and `sla-claims process`): an EventBridge `aws.health` event,
 * or a saved Health API DescribeEventDetails response (`successfulSet`/`failedSet`; `account` says whose it is).
 */
export async function ingestPayload(raw: unknown, source: string, deps: IngestDeps, account?: string): Promise<IngestOutcome[]> {
  if (raw && typeof raw === 'object' && Array.isArray((raw as { successfulSet?: unknown }).successfulSet)) {
    const response = raw as { successfulSet: unknown[]; failedSet?: unknown[] };
    const outcomes: IngestOutcome[] = [];
    for (const [i, item] of response.successfulSet.entries()) {
      const itemSource = `${source} successfulSet[${i}]`;
      if (!account) {
        outcomes.push(await quarantine(item, itemSource, 'account: a Health API response does not say which account it is about; pass --account (got nothing)', deps, 'account'));
        continue;
      }
      const detail = item as { event?: unknown; eventDescription?: { latestDescription?: string } };
      let event: HealthEvent;
      try {
        event = parseHealthApiEvent({ event: detail?.event, description: detail?.eventDescription?.latestDescription, account });
      } catch (error) {
        if (error instanceof HealthEventParseError) {
          outcomes.push(await quarantine(item, itemSource, error.message, deps, error.field));
          continue;
        }
        throw error;
      }
      outcomes.push(await ingestEvent(event, itemSource, deps, item));
    }
    for (const [i, failed] of (response.failedSet ?? []).entries()) {
      const f = failed as { errorName?: string; errorMessage?: string };
      outcomes.push(await quarantine(failed, `${source} failedSet[${i}]`, `failedSet: ${f?.errorName ?? 'error'}: ${f?.errorMessage ?? ''}`, deps));
    }
    return outcomes;
  }
  return [await ingestRaw(raw, source, deps)];
}

/** Entry point for one raw EventBridge payload. */
export async function ingestRaw(raw: unknown, source: string, deps: IngestDeps): Promise<IngestOutcome> {
  let event: HealthEvent;
  try {
    event = parseEventBridgeHealthEvent(raw);
  } catch (error) {
    if (error instanceof HealthEventParseError) return quarantine(raw, source, error.message, deps, error.field);
    throw error;
  }
  return ingestEvent(event, source, deps, raw);
}

export async function quarantine(raw: unknown, source: string, reason: string, deps: IngestDeps, field?: string): Promise<IngestOutcome> {
  const record = await new QuarantineStore(deps.db).put(raw, source, reason, new Date(deps.now()).toISOString(), field);
  deps.log?.('warn', 'quarantined', { source, reason, id: record.id });
  return { kind: 'quarantined', source, reason, id: record.id };
}

/** Entry point for parsed events (Health API backfill, tests). */
export async function ingestEvent(event: HealthEvent, source: string, deps: IngestDeps, raw: unknown = event): Promise<IngestOutcome> {
  const incidents = new IncidentStore(deps.db);
  const state = toState(event);
  if (!Number.isFinite(state.lastUpdatedMs)) {
    return quarantine(raw, source, `detail.lastUpdatedTime: not a valid instant (got ${JSON.stringify(event.lastUpdatedTime)})`, deps, 'detail.lastUpdatedTime');
  }
  const outage = effectiveOutage(
    { startMs: Date.parse(state.startTime), endMs: state.endTime === null ? null : Date.parse(state.endTime), lastUpdatedMs: state.lastUpdatedMs },
    deps.now(),
  );
  const lengthMs = (outage.endMs ?? deps.now()) - outage.startMs;
  if (event.eventTypeCategory === 'issue' && lengthMs > MAX_PLAUSIBLE_OUTAGE_MS) {
    return quarantine(
      raw,
      source,
      `detail.startTime: an outage of ${Math.round(lengthMs / 86_400_000)} days (from ${state.startTime} to ${outage.endMs === null ? 'now' : new Date(outage.endMs).toISOString()}) is not plausible; needs review (got ${JSON.stringify(state.startTime)})`,
      deps,
      'detail.startTime',
    );
  }
  const update: UpdateRecord = {
    lastUpdatedMs: state.lastUpdatedMs,
    page: event.page,
    statusCode: event.statusCode,
    recovered: recoveredServices(event.description),
    ...(event.parseNotes.length ? { parseNotes: event.parseNotes } : {}),
  };
  if (event.parseNotes.length) deps.log?.('info', 'repaired while parsing', { eventArn: event.eventArn, account: event.account, notes: event.parseNotes });
  // A redelivery or backup-Region copy of an update that was already processed to the end: nothing to do.
  if (!(await incidents.putUpdate(event.account, event.eventArn, update))) {
    return { kind: 'processed', account: event.account, eventArn: event.eventArn, state: 'duplicate', claims: [], matched: 0 };
  }
  const written = await incidents.writeState(state, event.affectedEntities.length);
  if (written !== 'older') await incidents.putEntities(event.account, event.eventArn, event.page, event.affectedEntities);

  const matches = matchEvent(deps.contract, event);
  if (matches.length === 0) {
    await incidents.markUpdateDone(event.account, event.eventArn, update);
    return { kind: 'processed', account: event.account, eventArn: event.eventArn, state: written, claims: [], matched: 0 };
  }
  const scopes = await linkIncident(incidents, event, matches, deps.now());
  const perScope = await mapPool(scopes, RECOMPUTE_CONCURRENCY, (scope) => recomputeScope(incidents, scope, deps));
  const claims = perScope.flat();
  // Only now is this update fully applied; a crash before this line makes the retry redo it all (idempotently).
  await incidents.markUpdateDone(event.account, event.eventArn, update);
  return { kind: 'processed', account: event.account, eventArn: event.eventArn, state: written, claims, matched: matches.length };
}

/**
 * Writes this incident's links for the matched scopes plus every scope it was linked to before, from the newest
 * stored state and update history; repeats while a concurrent writer changes that snapshot.
 * Returns the scope keys whose claims need recomputing.
 */
async function linkIncident(incidents: IncidentStore, event: HealthEvent, matches: readonly Match[], nowMs: number): Promise<LinkRecord[]> {
  const incoming = new Map(matches.map((m) => [m.scopeKey, m]));
  for (let attempt = 0; attempt < 10; attempt++) {
    const state = await incidents.getState(event.account, event.eventArn);
    if (!state) throw new Error(`incident ${event.eventArn} vanished after it was written`);
    const updates = await incidents.listUpdates(event.account, event.eventArn);
    const existing = await incidents.listLinksOfIncident(event.account, event.eventArn);
    const byScope = new Map(existing.map((l) => [l.scopeKey, l]));
    const links: LinkRecord[] = [];
    for (const scopeKey of new Set([...incoming.keys(), ...byScope.keys()])) {
      const match = incoming.get(scopeKey) ?? byScope.get(scopeKey)!;
      links.push(buildLink(match, state, updates, event, byScope.get(scopeKey), nowMs));
    }
    const changed = links.filter((l) => !sameLink(l, byScope.get(l.scopeKey)));
    if (changed.length) await incidents.putLinks(changed);
    const after = await incidents.getState(event.account, event.eventArn);
    const updatesAfter = await incidents.listUpdates(event.account, event.eventArn);
    if (after?.lastUpdatedMs === state.lastUpdatedMs && updatesAfter.length === updates.length) return links;
  }
  throw new Error(`incident ${event.eventArn}: state kept changing while linking; will be retried`);
}

function buildLink(
  match: Pick<Match, 'scopeKey' | 'account' | 'slaId' | 'service' | 'region' | 'resource'>,
  state: IncidentState,
  updates: readonly UpdateRecord[],
  event: HealthEvent,
  previous: LinkRecord | undefined,
  nowMs: number,
): LinkRecord {
  const window = serviceWindow(state, updates, match.service);
  const months = monthsOf({ ...window, lastUpdatedMs: state.lastUpdatedMs }, nowMs);
  const monthsSeen = [...new Set([...(previous?.monthsSeen ?? []), ...months])].sort();
  const sample = match.resource
    ? [match.resource]
    : (previous?.affectedResources.length ? previous.affectedResources : event.affectedEntities.slice(0, MAX_EVIDENCE_RESOURCES).map((e) => e.entityValue));
  return {
    scopeKey: match.scopeKey,
    account: match.account,
    slaId: match.slaId,
    service: match.service,
    region: match.region,
    resource: match.resource,
    eventArn: state.eventArn,
    eventTypeCode: state.eventTypeCode,
    statusCode: state.statusCode,
    startMs: window.startMs,
    endMs: window.endMs,
    lastUpdatedMs: state.lastUpdatedMs,
    description: state.description.slice(0, MAX_EVIDENCE_DESCRIPTION),
    affectedResources: sample,
    affectedResourceCount: match.resource ? 1 : Math.max(previous?.affectedResourceCount ?? 0, event.affectedEntities.length),
    monthsSeen,
  };
}

function sameLink(a: LinkRecord, b: LinkRecord | undefined): boolean {
  if (!b) return false;
  return (
    a.startMs === b.startMs &&
    a.endMs === b.endMs &&
    a.lastUpdatedMs === b.lastUpdatedMs &&
    a.statusCode === b.statusCode &&
    a.description === b.description &&
    a.affectedResourceCount === b.affectedResourceCount &&
    a.monthsSeen.join() === b.monthsSeen.join()
  );
}

/** Recomputes every month's claim of one scope from all incidents linked to it. */
export async function recomputeScope(incidents: IncidentStore, scope: LinkRecord, deps: IngestDeps): Promise<Claim[]> {
  const sla = deps.contract.slas.get(scope.slaId);
  if (!sla) return [];
  const out: Claim[] = [];
  const months = new Set(scope.monthsSeen);
  for (const month of [...months].sort()) {
    const claimId = `${scope.scopeKey}#${month}`;
    for (let attempt = 0; ; attempt++) {
      // Read the claim first, then the links: a link written after this read is followed by its writer's own recompute.
      const existing = await deps.claims.getClaim(claimId);
      const links = await incidents.listLinksOfScope(scope.scopeKey);
      const nowMs = deps.now();
      const chargesCents = await deps.spend.chargesCents({
        account: scope.account,
        month,
        service: scope.service,
        region: scope.region,
        resource: scope.resource,
        // Global services (CloudFront, Route 53): the credit is a share of the service's charges in every Region.
        allRegions: sla.creditBase === 'service-global',
      });
      const outages = links.map((l) => effectiveOutage(l, nowMs));
      const result = computeCredit({ sla, month, outages, chargesCents, nowMs });
      const provisional = result.provisional || outages.some((o) => o.stale && monthsOf({ ...o, lastUpdatedMs: o.startMs }, nowMs).includes(month));
      const deadlinePassed = result.deadline < new Date(nowMs).toISOString().slice(0, 10);
      const nowIso = new Date(nowMs).toISOString();
      const evidence: Evidence[] = boundEvidence(
        links
          .filter((l) => monthsTouch(l, month, nowMs))
          .sort((a, b) => a.startMs - b.startMs || a.eventArn.localeCompare(b.eventArn))
          .slice(0, MAX_EVIDENCE)
          .map((l) => ({
            eventArn: l.eventArn,
            service: l.service,
            eventTypeCode: l.eventTypeCode,
            region: l.region,
            startTime: new Date(l.startMs).toISOString(),
            endTime: l.endMs === null ? null : new Date(l.endMs).toISOString(),
            statusCode: l.statusCode,
            description: l.description,
            affectedResources: l.affectedResources,
            affectedResourceCount: l.affectedResourceCount,
          })),
      );
      const claim: Claim = {
        claimId,
        account: scope.account,
        slaId: sla.id,
        region: scope.region,
        resource: scope.resource,
        month,
        minutesInMonth: result.minutesInMonth,
        downtimeMinutes: result.downtimeMinutes,
        uptimePercent: result.uptimePercent,
        creditPercent: result.creditPercent,
        creditDays: result.creditDays,
        chargesCents: result.chargesCents,
        creditCents: result.creditCents,
        chargesKnown: result.chargesCents !== null,
        // AWS accepts claims only until the deadline: a late claim is kept, but not claimable.
        claimable: result.claimable && !deadlinePassed,
        provisional,
        deadline: result.deadline,
        status: existing?.status ?? 'draft',
        version: existing?.version ?? 0,
        evidence,
        slaClause: {
          slaId: sla.id,
          name: sla.name,
          commitmentPercent: sla.commitmentPercent,
          measurement: sla.measurementText,
          tierText: result.tierText ?? (sla.tiers[0] ? `commitment met (${describeTier(sla.tiers[0])} not reached)` : 'commitment met'),
          creditBaseText: sla.creditBaseText,
          sourceUrl: sla.source.url,
          sourceLastUpdated: sla.source.lastUpdated,
          negotiated: deps.contract.negotiated.has(sla.id),
        },
        createdAt: existing?.createdAt ?? nowIso,
        updatedAt: nowIso,
        computedAt: nowIso,
      };
      const saved = await deps.claims.saveComputedClaimIfCurrent(claim, existing);
      if (saved) {
        out.push(saved);
        break;
      }
      if (attempt >= 20) throw new Error(`claim ${claimId}: too many concurrent updates; will be retried`);
    }
  }
  return out;
}

/** The first evidence entries that fit in MAX_EVIDENCE_BYTES (at least one, its resource sample trimmed if needed). */
function boundEvidence(all: Evidence[]): Evidence[] {
  const kept: Evidence[] = [];
  let bytes = 0;
  for (const entry of all) {
    const size = JSON.stringify(entry).length;
    if (bytes + size > MAX_EVIDENCE_BYTES) {
      if (kept.length === 0) kept.push({ ...entry, affectedResources: entry.affectedResources.slice(0, 1) });
      break;
    }
    kept.push(entry);
    bytes += size;
  }
  return kept;
}

function monthsTouch(link: LinkRecord, month: string, nowMs: number): boolean {
  return monthsOf(link, nowMs).includes(month);
}

/** The months an incident window counts in (open windows up to now, stale ones up to their cap). */
export function monthsOf(window: { startMs: number; endMs: number | null; lastUpdatedMs: number }, nowMs: number): string[] {
  const outage = effectiveOutage(window, nowMs);
  return monthsBetween(outage.startMs, Math.max(outage.endMs ?? nowMs, outage.startMs + 1));
}
