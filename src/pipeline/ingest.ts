/**
 * The main use case: one AWS Health event (or update, page, duplicate, backup copy) in; the incident's history and
 * the recomputed claim drafts out. Exactly-once in effect under at-least-once delivery, in ≤ 3 DynamoDB requests
 * per real update (figures in README "Data model"):
 *
 * 1. Parse. Anything unparseable, or dated in the future beyond FUTURE_SKEW_MS, is quarantined (raw payload + a
 *    reason naming the field and value); done.
 * 2. Record the update in the incident's history: ONE conditional UpdateItem returning the whole incident (request 1).
 *    The newest state is derived from the history, so arrival order does not matter. A duplicate (the condition
 *    fails) still goes on: it re-reads the claims and finds nothing to write, so an update whose processing crashed
 *    halfway is completed by its redelivery — there is no "done" marker to forget. A backup-Region copy reads the
 *    history and its claims in one BatchGetItem first and skips this write when the history holds it (1 request).
 * 3. Match every update of the history against the contract: the incident's claim scopes (account, SLA, Region; a
 *    resource-level SLA's scope is the fleet of its affected resources), each with its window computed from the full
 *    history. A fleet's resource list over 20 goes to content-addressed items, stored just before the claim write
 *    that names them (one BatchWriteItem; none when nothing changes).
 * 4. Recompute each claim (scope × month) from the windows embedded in it, this incident's window replaced:
 *    BatchGetItem (request 2) and the version-conditional writes of the changed claims, several in one request
 *    (request 3), each with its audit entry. See src/pipeline/recompute.ts.
 *
 * A warm instance that holds the incident's history and claims (src/store/incident-cache.ts, claim-cache.ts) reads
 * nothing and runs 4 from its guess of the history (the cached one + this update) while 2 is in flight; the history
 * 2 returns confirms the guess or is recomputed from.
 */
import { MAX_EVIDENCE_DESCRIPTION, MAX_EVIDENCE_RESOURCES, type ClaimScope } from '../claims/build.ts';
import { listRef, sortedResources, type ResourceChunk } from '../claims/fleet.ts';
import { claimIdOf, incidentKeyOf } from '../claims/ids.ts';
import { monthsOf } from '../claims/outage.ts';
import type { Claim, IncidentWindow } from '../claims/types.ts';
import { REGION_UNAVAILABLE_SLAS, regionLevelEligibility, type Eligibility, type NotEligible } from '../claims/eligibility.ts';
import { matchEvent, type Match } from '../contract/match.ts';
import type { Contract } from '../contract/contract.ts';
import { parseEventBridgeHealthEvent, parseHealthApiEvent } from '../health/parse.ts';
import { HealthEventParseError, type AffectedEntity, type HealthEvent } from '../health/types.ts';
import type { SpendSource } from '../spend/spend.ts';
import { newestEntry, newestState, toEntry, toState, updateKeyOf, withUpdate, type IncidentRecord, type IncidentState, type UpdateEntry } from './incidents.ts';
import type { IncidentStore, QuarantineStore, RecomputeClaimStore, StoredClaim } from './ports.ts';
import { recomputeClaims, type ClaimTarget, type Prefetched } from './recompute.ts';
import { describeValue } from '../util/describe-value.ts';
import { serviceStatusLists } from '../health/service-status.ts';
import { effectiveOutage, serviceWindow } from './windows.ts';
import type { Log } from '../util/log.ts';

export interface IngestDeps {
  incidents: IncidentStore;
  claims: RecomputeClaimStore;
  quarantine: QuarantineStore;
  contract: Contract;
  spend: SpendSource;
  now: () => number;
  log?: Pick<Log, 'info' | 'warn'>;
}

export type IngestOutcome =
  | { kind: 'quarantined'; source: string; reason: string; id: string }
  | {
      kind: 'processed';
      account: string;
      eventArn: string;
      state: 'applied' | 'same' | 'older' | 'duplicate';
      claims: Claim[];
      matched: number;
      /** Scopes matched but not claimable under their SLA's definition (no claim drafted), with the reason. */
      notEligible?: NotEligible[];
    };

/** An `issue` outage longer than this is not believable (a typo'd year, a stuck legacy event): it goes to review. */
const MAX_PLAUSIBLE_OUTAGE_MS = 92 * 86_400_000;
/**
 * An update dated later than now plus this skew is quarantined: it would win the ordering over every real update
 * (a year-2096 typo froze an incident open). Health's own clock and ours agree to well within minutes. Only
 * `issue` events are checked: the others make no claims (and a replay "as of" a past date holds later notices).
 */
export const FUTURE_SKEW_MS = 15 * 60_000;

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
    const failedSet: unknown = (response as { failedSet?: unknown }).failedSet ?? [];
    if (!Array.isArray(failedSet)) {
      // Not the API's shape: keep it for review rather than guess which events it meant.
      outcomes.push(await quarantine(failedSet, `${source} failedSet`, `failedSet: expected a list of failed items (got ${describeValue(failedSet)})`, deps, 'failedSet'));
      return outcomes;
    }
    for (const [i, failed] of failedSet.entries()) {
      const f = failed as { errorName?: unknown; errorMessage?: unknown } | null;
      const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : v === undefined ? fallback : describeValue(v));
      outcomes.push(await quarantine(failed, `${source} failedSet[${i}]`, `failedSet: ${text(f?.errorName, 'error')}: ${text(f?.errorMessage, '')}`, deps));
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
  const record = await deps.quarantine.put(raw, source, reason, new Date(deps.now()).toISOString(), field);
  deps.log?.warn('quarantined', { source, reason, id: record.id });
  return { kind: 'quarantined', source, reason, id: record.id };
}

/** Entry point for parsed events (Health API backfill, tests). */
export async function ingestEvent(event: HealthEvent, source: string, deps: IngestDeps, raw: unknown = event): Promise<IngestOutcome> {
  const nowMs = deps.now();
  const state = toState(event);
  if (!Number.isFinite(state.lastUpdatedMs)) {
    return quarantine(raw, source, `detail.lastUpdatedTime: not a valid instant (got ${JSON.stringify(event.lastUpdatedTime)})`, deps, 'detail.lastUpdatedTime');
  }
  if (event.eventTypeCategory === 'issue' && state.lastUpdatedMs > nowMs + FUTURE_SKEW_MS) {
    return quarantine(
      raw,
      source,
      `detail.lastUpdatedTime: ${state.lastUpdatedTime} is later than now (${new Date(nowMs).toISOString()}) plus ${FUTURE_SKEW_MS / 60_000} minutes; it would outrank every real update; needs review (got ${JSON.stringify(state.lastUpdatedTime)})`,
      deps,
      'detail.lastUpdatedTime',
    );
  }
  const outage = effectiveOutage(
    { startMs: Date.parse(state.startTime), endMs: state.endTime === null ? null : Date.parse(state.endTime), lastUpdatedMs: state.lastUpdatedMs },
    nowMs,
  );
  const lengthMs = (outage.endMs ?? nowMs) - outage.startMs;
  if (event.eventTypeCategory === 'issue' && lengthMs > MAX_PLAUSIBLE_OUTAGE_MS) {
    return quarantine(
      raw,
      source,
      `detail.startTime: an outage of ${Math.round(lengthMs / 86_400_000)} days (from ${state.startTime} to ${outage.endMs === null ? 'now' : new Date(outage.endMs).toISOString()}) is not plausible; needs review (got ${JSON.stringify(state.startTime)})`,
      deps,
      'detail.startTime',
    );
  }
  if (event.parseNotes.length) deps.log?.info('repaired while parsing', { eventArn: event.eventArn, account: event.account, notes: event.parseNotes.slice(0, 20) });

  const lists = serviceStatusLists(event.description);
  const entry = toEntry(event, lists.recovered, lists.impacted);
  const ownMatches = matchEvent(deps.contract, event);
  const ownMonths = ownMatches.length ? monthsOf({ startMs: outage.startMs, endMs: outage.endMs, lastUpdatedMs: state.lastUpdatedMs }, nowMs) : [];
  const ownIds = readAheadIds(ownMatches, ownMonths);
  const thisKey = updateKeyOf(entry);
  // Claims this instance already holds (src/store/claim-cache.ts) are not read at all: a cached claim is only the
  // base of a version-conditional write, like any read. (The ids are only built when the store has a cache: `?.()`
  // skips its arguments otherwise.)
  const ownCached = deps.claims.cached?.(ownMatches.flatMap((m) => ownMonths.map((month) => claimIdOf(m.scopeKey, month)))) ?? false;
  // A backup-Region copy nearly always follows its primary: read the history first, with this update's claims in the
  // same request unless this instance holds them (then the small history item alone). A duplicate whose claims are in
  // place then costs that one request (nothing else is written).
  let known: { incident: IncidentRecord; prefetched?: Prefetched } | undefined;
  let prefetch: Promise<Prefetched | undefined> | undefined;
  if (event.backupEvent && ownCached) {
    const incident = await deps.incidents.getIncident(event.account, event.eventArn);
    if (incident?.updates.some((u) => updateKeyOf(u) === thisKey)) known = { incident };
  } else if (event.backupEvent && deps.claims.getWithIncident && ownIds.length <= PREFETCH_MAX - 1) {
    const read = await deps.claims.getWithIncident(ownIds, event.account, event.eventArn);
    const prefetched = { ids: new Set(ownIds), claims: read.claims };
    if (read.incident?.updates.some((u) => updateKeyOf(u) === thisKey)) known = { incident: read.incident, prefetched };
    else prefetch = Promise.resolve(prefetched);
  }
  if (known) return fromHistory(known.incident, false, event, entry, deps, Promise.resolve(known.prefetched));

  // Entities first (idempotent chunk keys): once the history holds the update, its entities are stored.
  if (!entry.entities && event.affectedEntities.length) {
    entry.entityChunks = await deps.incidents.putEntities(event.account, event.eventArn, thisKey, event.affectedEntities);
  }
  // A warm instance that holds the incident's history (src/store/incident-cache.ts) and its claims guesses the history
  // this update makes (the cached one + this update) and writes the claims from it while the history write is in
  // flight: one round trip instead of two. The history returned decides: the same updates and months, the guess was
  // right (histories only grow, so equal means identical); anything else, the claims are recomputed from the history
  // as stored, whose longer windows replace the guessed ones. An incident this instance has not seen is guessed new
  // (its first update): a guessed window never replaces a stored one of as long a history (`applyPatch`), so a wrong
  // guess only writes where the claim has no window of the incident yet, and the recompute that follows corrects it.
  const cachedHistory =
    ownCached && !event.backupEvent && deps.incidents.cachedIncident
      ? (deps.incidents.cachedIncident(event.account, event.eventArn) ?? { account: event.account, eventArn: event.eventArn, updates: [], months: [] })
      : undefined;
  if (cachedHistory && !cachedHistory.updates.some((u) => updateKeyOf(u) === thisKey)) {
    const guess = withUpdate(cachedHistory, entry, ownMonths);
    const recording = deps.incidents.recordUpdate(event.account, event.eventArn, entry, ownMonths);
    let guessed: Processed | null;
    try {
      guessed = await fromHistory(guess, true, event, entry, deps, Promise.resolve(undefined), true);
    } catch (error) {
      await recording.catch(() => undefined); // the history write's own outcome no longer matters: this delivery fails
      throw error;
    }
    const { fresh, incident } = await recording;
    if (guessed && fresh && sameHistory(incident, guess)) return guessed;
    deps.log?.info('history guess superseded: recomputing from the stored history', { eventArn: event.eventArn, account: event.account, fresh, updates: incident.updates.length, guessed: guess.updates.length });
    return fromHistory(incident, fresh, event, entry, deps, Promise.resolve(undefined));
  }
  // The claims of this update's own matches (up to one BatchGetItem) are read while the history write is in
  // flight: one round trip instead of two; the version-conditional claim write catches any change since this read.
  if (ownCached) prefetch ??= Promise.resolve(undefined);
  prefetch ??= prefetchClaims(ownIds, deps);
  const { fresh, incident } = await deps.incidents.recordUpdate(event.account, event.eventArn, entry, ownMonths);
  return fromHistory(incident, fresh, event, entry, deps, prefetch);
}

type Processed = Extract<IngestOutcome, { kind: 'processed' }>;

/** True when two histories of one incident hold the same updates and months. */
function sameHistory(a: IncidentRecord, b: IncidentRecord): boolean {
  const keysOf = (r: IncidentRecord) => r.updates.map(updateKeyOf).sort().join(',');
  return keysOf(a) === keysOf(b) && [...a.months].sort().join(',') === [...b.months].sort().join(',');
}

/**
 * Steps 3 and 4 on one history of the incident: its scopes, windows and claims. `guess`: the history is the cached
 * one plus this update, not yet confirmed; returns null instead of writing anything but claims (a month to add to
 * the incident goes through the confirmed path).
 */
async function fromHistory(incident: IncidentRecord, fresh: boolean, event: HealthEvent, entry: UpdateEntry, deps: IngestDeps, prefetch: Promise<Prefetched | undefined>, guess?: true): Promise<Processed>;
async function fromHistory(incident: IncidentRecord, fresh: boolean, event: HealthEvent, entry: UpdateEntry, deps: IngestDeps, prefetch: Promise<Prefetched | undefined>, guess: true): Promise<Processed | null>;
async function fromHistory(incident: IncidentRecord, fresh: boolean, event: HealthEvent, entry: UpdateEntry, deps: IngestDeps, prefetch: Promise<Prefetched | undefined>, guess?: true): Promise<Processed | null> {
  const nowMs = deps.now();
  const newest = newestEntry(incident.updates);
  const label = !fresh ? 'duplicate' : newest && updateKeyOf(newest) === updateKeyOf(entry) ? 'applied' : 'older';

  // Scopes the SLA's own definition rules out (EC2/ECS/Fargate Region-level without evidence of instances unreachable
  // in two or more AZs: src/claims/eligibility.ts) draft no claim; one drafted before the rule loses this incident.
  const notEligible: NotEligible[] = [];
  const ruledOut: Match[] = [];
  const scopes = (await scopesOf(incident, event, deps)).filter((m) => {
    const verdict = eligibilityOf(m, incident, event);
    if (verdict.eligible) return true;
    notEligible.push({ account: m.account, slaId: m.slaId, region: m.region, eventArn: event.eventArn, reason: verdict.reason });
    ruledOut.push(m);
    return false;
  });
  const noted = notEligible.length ? { notEligible } : {};
  if (scopes.length === 0 && ruledOut.length === 0) {
    return { kind: 'processed', account: event.account, eventArn: event.eventArn, state: label, claims: [], matched: 0 };
  }
  const newestIncident = newestState(incident)!;
  const scoped = scopes.map((match) => windowOf(match, newestIncident, incident, event));
  const windows = scoped.map((s) => s.window);
  // Every month the incident's claims ever touched, so a shortened outage also corrects the month it left.
  const months = new Set(incident.months);
  const missing = [...new Set(windows.flatMap((w) => monthsOf(w, nowMs)))].filter((m) => !months.has(m));
  if (missing.length) {
    if (guess) return null;
    await deps.incidents.addMonths(event.account, event.eventArn, missing);
    for (const m of missing) months.add(m);
  }
  const key = incidentKeyOf(event.account, event.eventArn);
  const historyUpdates = incident.updates.length;
  const guessed = guess ? { guess } : {};
  const targets: ClaimTarget[] = [];
  for (const [i, match] of scopes.entries()) {
    // A fleet's full list, and its resource-list items, which the recompute stores before a claim write names them.
    const { resources, chunks } = scoped[i]!;
    const lists = resources ? { resources: { [key]: resources }, ...(chunks ? { lists: chunks } : {}) } : {};
    for (const month of [...months].sort()) targets.push({ scope: scopeOf(match), month, patch: { [key]: windows[i]! }, historyUpdates, ...guessed, ...lists });
  }
  for (const match of ruledOut) for (const month of [...months].sort()) targets.push({ scope: scopeOf(match), month, patch: { [key]: null }, historyUpdates, ...guessed });
  // The first update of a new incident with many claims (many accounts, SLAs or Regions): its claims can only exist if another
  // incident made them, so they are created without reading them first. Each create is conditional (it fails when
  // the claim exists), and a failed one is recomputed from the stored claim: the read saved is only a bet.
  const firstOfIncident = fresh && incident.updates.length === 1 && targets.length > PREFETCH_MAX;
  const prefetched = firstOfIncident
    ? { ids: new Set(targets.map((t) => claimIdOf(t.scope.scopeKey, t.month))), claims: new Map<string, StoredClaim>() }
    : await prefetch;
  const result = await recomputeClaims(targets, deps, prefetched);
  // A duplicate that found everything in place touched nothing (as before: no claims listed); one that completed
  // an earlier, interrupted delivery is reported as `same`, with its claims.
  if (label === 'duplicate' && result.written === 0) {
    return { kind: 'processed', account: event.account, eventArn: event.eventArn, state: 'duplicate', claims: [], matched: scopes.length, ...noted };
  }
  const outcomeState = label === 'duplicate' ? 'same' : label;
  return { kind: 'processed', account: event.account, eventArn: event.eventArn, state: outcomeState, claims: result.claims, matched: scopes.length, ...noted };
}

/** Reads ahead at most this many claims (one BatchGetItem); a larger event reads its claims in slices instead. */
const PREFETCH_MAX = 100;

/**
 * The month before and after this update's months are read too (absent keys cost nothing extra in the same request):
 * an earlier update of the incident may have reached them (an open outage running into the next month), and those
 * claims are recomputed as well; without them the recompute would need a second read.
 */
function readAheadIds(matches: readonly Match[], ownMonths: readonly string[]): string[] {
  const months = new Set(ownMonths.flatMap((m) => [shiftMonth(m, -1), m, shiftMonth(m, 1)]));
  return [...new Set(matches.flatMap((m) => [...months].map((month) => claimIdOf(m.scopeKey, month))))];
}

function prefetchClaims(ids: readonly string[], deps: IngestDeps): Promise<Prefetched | undefined> {
  if (ids.length === 0 || ids.length > PREFETCH_MAX) return Promise.resolve(undefined);
  // A failed read-ahead is not an error: the recompute reads the claims itself.
  return deps.claims.getForRecompute(ids).then(
    (claims) => ({ ids: new Set(ids), claims }),
    () => undefined,
  );
}

/** `YYYY-MM` shifted by `by` months (UTC). */
function shiftMonth(month: string, by: number): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

function scopeOf(match: Match): ClaimScope {
  return { scopeKey: match.scopeKey, account: match.account, slaId: match.slaId, region: match.region, resource: match.resource, service: match.service, ...(match.resources ? { fleet: true as const } : {}) };
}

/**
 * The incident's claim scopes: every update of its history matched against the contract (an entity named by any
 * page or update keeps its claim current), the first match of each scope kept.
 */
async function scopesOf(incident: IncidentRecord, event: HealthEvent, deps: IngestDeps): Promise<Match[]> {
  const thisKey = updateKeyOf({ lastUpdatedMs: Date.parse(event.lastUpdatedTime), page: event.page });
  let chunked: AffectedEntity[] | undefined;
  if (incident.updates.some((u) => u.entityChunks && updateKeyOf(u) !== thisKey)) {
    chunked = await deps.incidents.listEntities(incident.account, incident.eventArn);
  }
  const byScope = new Map<string, Match>();
  for (const u of incident.updates) {
    const entities = u.entities ?? (u.entityChunks ? (updateKeyOf(u) === thisKey ? event.affectedEntities : (chunked ?? [])) : []);
    for (const m of matchEvent(deps.contract, entryAsEvent(incident, u, entities))) {
      const first = byScope.get(m.scopeKey);
      if (!first) byScope.set(m.scopeKey, m.resources ? { ...m, resources: [...m.resources] } : m);
      // A fleet covers every resource any update or page named.
      else if (first.resources && m.resources) first.resources.push(...m.resources);
    }
  }
  return [...byScope.values()];
}

function entryAsEvent(incident: IncidentRecord, u: UpdateEntry, entities: AffectedEntity[]): HealthEvent {
  return {
    account: incident.account,
    eventArn: incident.eventArn,
    services: u.services,
    rawService: u.rawService,
    eventTypeCode: u.eventTypeCode,
    eventTypeCategory: u.eventTypeCategory,
    eventScopeCode: u.eventScopeCode,
    region: u.region,
    statusCode: u.statusCode,
    startTime: u.startTime,
    endTime: u.endTime,
    lastUpdatedTime: u.lastUpdatedTime,
    description: u.description,
    page: u.page,
    totalPages: 1,
    backupEvent: false,
    affectedEntities: entities,
    resources: [],
    parseNotes: [],
  };
}

/** The eligibility rule (src/claims/eligibility.ts) on the incident's whole history; only its SLAs read the evidence. */
function eligibilityOf(match: Match, incident: IncidentRecord, event: HealthEvent): Eligibility {
  if (!REGION_UNAVAILABLE_SLAS[match.slaId] || match.resource !== null || match.resources) return { eligible: true };
  return regionLevelEligibility(match.slaId, match.resource, {
    descriptions: [event.description, ...incident.updates.map((u) => u.description)],
    entities: [...event.affectedEntities, ...incident.updates.flatMap((u) => u.entities ?? [])],
    eventTypeCodes: [...new Set([event.eventTypeCode, ...incident.updates.map((u) => u.eventTypeCode)])],
  });
}

/** A window and, for a fleet, its full resource list and the resource-list items that hold it. */
interface ScopeWindow {
  window: IncidentWindow;
  resources?: string[];
  chunks?: ResourceChunk[];
}

function windowOf(match: Match, state: IncidentState, incident: IncidentRecord, event: HealthEvent): ScopeWindow {
  const window = serviceWindow(state, incident.updates, match.service);
  const newest = newestEntry(incident.updates)!;
  const fleet = match.resources ? sortedResources(match.resources) : undefined;
  const ref = fleet ? listRef(fleet) : undefined;
  const sample = ref
    ? ref.resources
    : match.resource
    ? [match.resource]
    : (newest.entities ?? (updateKeyOf(newest) === updateKeyOf({ lastUpdatedMs: Date.parse(event.lastUpdatedTime), page: event.page }) ? event.affectedEntities : []))
        .slice(0, MAX_EVIDENCE_RESOURCES)
        .map((e) => e.entityValue);
  const w: IncidentWindow = {
    eventArn: state.eventArn,
    service: match.service,
    eventTypeCode: state.eventTypeCode,
    region: match.region,
    statusCode: state.statusCode,
    startMs: window.startMs,
    endMs: window.endMs,
    lastUpdatedMs: state.lastUpdatedMs,
    ...(window.periods ? { periods: window.periods } : {}),
    description: state.description.slice(0, MAX_EVIDENCE_DESCRIPTION),
    affectedResources: sample,
    affectedResourceCount: ref ? ref.resourceCount : match.resource ? 1 : Math.max(0, ...incident.updates.map((u) => u.entityCount ?? 0)),
    ...(ref?.chunks ? { resourceChunks: ref.chunks.map((c) => c.id) } : {}),
    historyUpdates: incident.updates.length,
  };
  return { window: w, ...(fleet ? { resources: fleet } : {}), ...(ref?.chunks ? { chunks: ref.chunks } : {}) };
}
