/**
 * Claim rules, pure: a claim built from the incident windows of its scope-month, what a recompute may change on a
 * stored claim, and when two computations are the same. No I/O (the spend is passed in, the clock is `nowMs`).
 */
import { CLAIM_MINIMUM_CENTS, computeCredit, describeTier, type CreditInput, type CreditResult } from '../credit/engine.ts';
import { computeMeasuredCredit, ERROR_RATE_INTERVAL_MS, InvalidSeriesError, type MeasuredResult } from '../credit/measured.ts';
import { compactSeries, expandSeries, isStoredSeries, StoredSeriesError, type StoredSeries } from '../metrics/stored-series.ts';
import type { ScopeSeries } from '../metrics/types.ts';
import { recipeFor } from '../sla/recipes.ts';
import { monthWindow } from '../credit/month.ts';
import type { SlaDefinition } from '../sla/types.ts';
import { newVersionBetween, termsOfVersion, versionInForce } from '../sla/versions.ts';
import { stableStringify } from '../util/stable-json.ts';
import { listRef, partitionFleet, resourceChunksOf, type ResourceChunk } from './fleet.ts';
import { claimIdOf } from './ids.ts';
import { statusAfterRecompute } from './lifecycle.ts';
import { monthsOf, outagesOf } from './outage.ts';
import type { AuditEntry, Claim, ClaimBasis, ClaimTerms, Evidence, Fleet, FleetPart, IncidentWindow, WindowMap } from './types.ts';

export const MAX_EVIDENCE = 50;
/** Evidence bytes kept on a claim item (DynamoDB items stop at 400 KB). */
export const MAX_EVIDENCE_BYTES = 120 * 1024;
/** Window bytes on a claim item: past this, windows outside the evidence lose their description. */
export const MAX_WINDOW_BYTES = 120 * 1024;
export const MAX_EVIDENCE_RESOURCES = 20;
export const MAX_EVIDENCE_DESCRIPTION = 2000;
/** Bytes of fleet parts on a claim item (see `boundParts`). */
export const MAX_FLEET_BYTES = 60 * 1024;

export interface ClaimScope {
  scopeKey: string;
  account: string;
  slaId: string;
  region: string;
  resource: string | null;
  service: string;
  /** A resource-level SLA's fleet claim (src/claims/fleet.ts): every affected resource of the account and Region. */
  fleet?: true;
}

export interface BuildInput {
  scope: ClaimScope;
  sla: SlaDefinition;
  negotiated: boolean;
  month: string;
  windows: WindowMap;
  chargesCents: number | null;
  nowMs: number;
  /** The credit engine, possibly memoised (a 10 000-resource event computes one credit, not 10 000). */
  credit?: (input: CreditInput) => CreditResult;
  /**
   * The scope's measured series: freshly read (a ScopeSeries, compacted here for the month) or the stored form kept
   * on the claim. Absent: the claim rests on the Health window.
   */
  series?: ScopeSeries | StoredSeries | null;
  /** Fleet claims: the full resource list of every window that names chunks, by incident key. */
  resourceLists?: ReadonlyMap<string, readonly string[]>;
  /** Fleet claims: the month's charges of these resources together (on the SLA's base), null when not all known. */
  resourceCharges?: (resources: readonly string[]) => number | null;
}

/** True when the window counts in `month` (open ones up to now). */
export function windowTouches(window: IncidentWindow, month: string, nowMs: number): boolean {
  return monthsOf(window, nowMs).includes(month);
}

/** A freshly computed claim (status draft, version 0): the caller merges it onto the stored one (`nextClaim`). */
export function buildClaim(input: BuildInput): Claim {
  return buildClaimWithLists(input).claim;
}

/**
 * `buildClaim`, and the resource lists its fleet parts name (`chunks`; to be stored before the claim, see
 * src/claims/fleet.ts). Empty for a claim that is not a fleet's or whose parts all fit inline.
 */
export function buildClaimWithLists(input: BuildInput): { claim: Claim; chunks: ResourceChunk[] } {
  const { scope, month, nowMs } = input;
  const all = Object.values(input.windows);
  const { sla, terms } = termsInForce(input.sla, input.negotiated, all, month, nowMs);
  // A window with several periods (a service impacted again) contributes each; the engine unions them.
  const outages = all.flatMap((w) => outagesOf(w, nowMs));
  const creditInput = { sla, month, outages, chargesCents: input.chargesCents, nowMs };
  const fleetResult = scope.fleet ? measureFleet({ ...input, sla }) : null;
  const { result, basis, stored, fleet, chunks } = fleetResult ?? { ...measure({ ...input, sla }, creditInput, (input.credit ?? computeCredit)(creditInput)), fleet: undefined, chunks: [] };
  const provisional = result.provisional || outages.some((o) => o.stale && monthsOf({ ...o, lastUpdatedMs: o.startMs }, nowMs).includes(month));
  const nowIso = new Date(nowMs).toISOString();
  const deadlinePassed = result.deadline < nowIso.slice(0, 10);
  const claim: Claim = {
    claimId: claimIdOf(scope.scopeKey, month),
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
    status: 'draft',
    version: 0,
    evidence: evidenceOf(all, month, nowMs),
    basis,
    ...(stored ? { measuredSeries: stored } : {}),
    ...(fleet ? { fleet, resourceCount: fleet.resourceCount } : {}),
    slaClause: {
      slaId: sla.id,
      name: sla.name,
      commitmentPercent: sla.commitmentPercent,
      measurement: sla.measurementText,
      tierText: result.tierText ?? (sla.tiers[0] ? `commitment met (${describeTier(sla.tiers[0])} not reached)` : 'commitment met'),
      creditBaseText: sla.creditBaseText,
      sourceUrl: sla.source.url,
      sourceLastUpdated: sla.source.lastUpdated,
      negotiated: input.negotiated,
    },
    terms,
    createdAt: nowIso,
    updatedAt: nowIso,
    computedAt: nowIso,
  };
  return { claim, chunks };
}

const ESTIMATE = 'estimate: AWS Health window, an upper bound';

function windowBasis(note: string): ClaimBasis {
  return { kind: 'health-window', metrics: [], resourceCount: 0, intervalCount: 0, note };
}

const minutes = (ms: number) => `${Math.round(ms / 600) / 100} min`;

/**
 * The claim's numbers and what they rest on: the measured series when the SLA has a recipe and a series covers the
 * month, else the Health window (the note says why). A measured claim keeps its series in stored form.
 */
function measure(input: BuildInput, creditInput: CreditInput, windowResult: CreditResult): { result: CreditResult; basis: ClaimBasis; stored?: StoredSeries } {
  const recipe = recipeFor(input.sla.id);
  if (!recipe) return { result: windowResult, basis: windowBasis(`${ESTIMATE}; no measurement recipe for SLA ${input.sla.id}`) };
  if (recipe.kind === 'none') return { result: windowResult, basis: windowBasis(`${ESTIMATE}; no CloudWatch metric matches the SLA's definition (see the recipe of ${input.sla.id})`) };
  if (!input.series) return { result: windowResult, basis: windowBasis(`${ESTIMATE}; not collected: no CloudWatch metrics were read for this claim`) };
  let stored: StoredSeries;
  if (isStoredSeries(input.series)) stored = input.series;
  else {
    const compact = compactSeries(input.series, input.month, windowResult.windows);
    if (!compact.ok) return { result: windowResult, basis: windowBasis(`${ESTIMATE}; the measured series (${compact.bytes} bytes compact) is too large to keep on the claim`) };
    stored = compact.stored;
  }
  const slaKind = input.sla.measurement === 'error-rate-5min' ? 'error-rate' : input.sla.measurement === 'minutes-unavailable' ? 'unavailable' : 'none';
  if (stored.kind !== recipe.kind || slaKind !== recipe.kind) {
    // e.g. negotiated terms that measure the SLA differently from the AWS standard the recipe follows
    return { result: windowResult, basis: windowBasis(`${ESTIMATE}; the series read is ${stored.kind}, the SLA's terms are measured as ${slaKind}`) };
  }
  let measured: MeasuredResult;
  try {
    measured = computeMeasuredCredit({ ...creditInput, series: expandSeries(stored) }, windowResult);
  } catch (error) {
    // A bad series never blocks a claim (ingest recomputes it on every Health update): it stays an estimate.
    if (error instanceof InvalidSeriesError || error instanceof StoredSeriesError) {
      return { result: windowResult, basis: windowBasis(`${ESTIMATE}; the measured series is unusable: ${error.message}`) };
    }
    throw error;
  }
  const m = measured.measurement;
  if (m.intervalCount === 0) return { result: windowResult, basis: windowBasis(`${ESTIMATE}; no data: the series read has no interval in ${input.month}`) };
  const unit = recipe.kind === 'error-rate' ? `${ERROR_RATE_INTERVAL_MS / 60_000}-minute intervals` : `${stored.periodSeconds / 60}-minute periods`;
  const parts = [`measured from your CloudWatch metrics: ${m.intervalCount} ${unit} of ${stored.resourceCount} resource${stored.resourceCount === 1 ? '' : 's'}`];
  if (m.failedIntervals === 0 && m.fallbackDownMs === 0) {
    parts.push(
      m.windowMeasuredMs > 0
        ? `no ${recipe.kind === 'error-rate' ? 'errors' : 'Unavailable minutes'} during the AWS Health window (${minutes(m.windowMeasuredMs)} measured), so no credit is owed`
        : 'no errors measured',
    );
  } else {
    parts.push(`${m.failedIntervals} with ${recipe.kind === 'error-rate' ? 'errors' : 'the resources Unavailable'}, ${minutes(m.measuredDownMs)} of downtime`);
  }
  if (m.fallbackDownMs > 0) parts.push(`${minutes(m.fallbackDownMs)} outside the measured span counted from the AWS Health window`);
  return {
    result: measured,
    basis: { kind: 'measured', metrics: stored.metrics, resourceCount: stored.resourceCount, intervalCount: m.intervalCount, note: parts.join('; ') },
    stored,
  };
}

/**
 * A fleet claim's numbers: each part (resources touched by the same incidents) computed on its own windows and its
 * resources' charges, the measured series (read over the fleet's resources) applied to every part. The claim shows
 * the worst part's downtime and tier, and the parts' credits and charges added up (unknown if any part's is).
 */
function measureFleet(input: BuildInput): { result: CreditResult; basis: ClaimBasis; stored?: StoredSeries; fleet: Fleet; chunks: ResourceChunk[] } {
  const credit = input.credit ?? computeCredit;
  const touching = Object.fromEntries(Object.entries(input.windows).filter(([, w]) => windowTouches(w, input.month, input.nowMs)));
  const partition = Object.keys(touching).length ? partitionFleet(touching, input.resourceLists ?? new Map()) : [];
  // The series is read over the whole fleet, counting a period when every resource reporting was Unavailable: a lower
  // bound of each resource's own downtime when all were hit by the same incidents (one part); with several parts it
  // would mix resources of different outages, so the claim stays on the Health window.
  let series = input.series;
  let seriesNote: string | null = null;
  if (series && partition.length > 1) {
    seriesNote = `${ESTIMATE}; the measured series covers the whole fleet, whose ${partition.length} groups of resources were hit by different incidents: it is applied to a fleet hit by one set of incidents only`;
    series = null;
  }
  const computed = partition.map((p) => {
    const creditInput = { sla: input.sla, month: input.month, outages: p.incidents.flatMap((k) => outagesOf(touching[k]!, input.nowMs)), chargesCents: input.resourceCharges?.(p.resources) ?? null, nowMs: input.nowMs };
    const measured = measure({ ...input, series }, creditInput, credit(creditInput));
    return { p, ...measured, basis: seriesNote ? windowBasis(seriesNote) : measured.basis };
  });
  computed.sort((a, b) => b.result.downtimeMs - a.result.downtimeMs || (a.p.resources[0]! < b.p.resources[0]! ? -1 : 1));
  const chunks: ResourceChunk[] = [];
  const parts: FleetPart[] = computed.map(({ p, result }) => {
    const ref = listRef(p.resources);
    if (ref.chunks) chunks.push(...ref.chunks);
    return {
      incidents: p.incidents,
      resourceCount: ref.resourceCount,
      resources: ref.resources,
      ...(ref.chunks ? { chunks: ref.chunks.map((c) => c.id) } : {}),
      downtimeMinutes: result.downtimeMinutes,
      uptimePercent: result.uptimePercent,
      creditPercent: result.creditPercent,
      tierText: result.tierText,
      chargesCents: result.chargesCents,
      creditCents: result.creditCents,
    };
  });
  boundParts(parts, computed.map((c) => c.p.resources), chunks);
  const fleet: Fleet = { resourceCount: parts.reduce((n, p) => n + p.resourceCount, 0), parts };
  const worst = computed[0];
  const emptyInput = { sla: input.sla, month: input.month, outages: [], chargesCents: null, nowMs: input.nowMs };
  const base = worst ?? measure({ ...input, series }, emptyInput, credit(emptyInput));
  const sum = (values: (number | null)[]) => (values.length && values.every((v) => v !== null) ? (values as number[]).reduce((a, b) => a + b, 0) : null);
  const chargesCents = sum(computed.map((c) => c.result.chargesCents));
  const creditCents = sum(computed.map((c) => c.result.creditCents));
  const result: CreditResult = {
    ...base.result,
    chargesCents,
    creditCents,
    // AWS issues no credit of $1.00 or less: the claim (one request) counts, not each resource.
    claimable: creditCents !== null && creditCents > CLAIM_MINIMUM_CENTS,
    provisional: computed.some((c) => c.result.provisional),
  };
  return { result, basis: base.basis, ...(base.stored ? { stored: base.stored } : {}), fleet, chunks };
}

/**
 * Past MAX_FLEET_BYTES of parts (many incidents, each hitting its own few resources), the smallest parts keep no
 * inline sample: their lists go to resource-list items like a large part's, so the claim item stays bounded.
 */
function boundParts(parts: FleetPart[], lists: readonly string[][], chunks: ResourceChunk[]): void {
  let bytes = Buffer.byteLength(JSON.stringify(parts));
  for (let i = parts.length - 1; i > 0 && bytes > MAX_FLEET_BYTES; i--) {
    const part = parts[i]!;
    if (part.resources.length === 0) continue;
    const before = Buffer.byteLength(JSON.stringify(part));
    const own = part.chunks ? [] : resourceChunksOf(lists[i]!);
    chunks.push(...own);
    parts[i] = { ...part, resources: [], chunks: part.chunks ?? own.map((c) => c.id) };
    bytes += Buffer.byteLength(JSON.stringify(parts[i])) - before;
  }
}

/**
 * The SLA version in force at the start of the claim's first incident in its month, and the claim's terms (issue 10,
 * rules 6 and 7). Negotiated terms replace the AWS versions: the contract is their source, so they count as confirmed
 * by the contract, dated by its `effective` date.
 */
function termsInForce(current: SlaDefinition, negotiated: boolean, windows: readonly IncidentWindow[], month: string, nowMs: number): { sla: SlaDefinition; terms: ClaimTerms } {
  if (negotiated) return { sla: current, terms: { versionDate: current.source.lastUpdated, confirmed: true, unconfirmed: [] } };
  const { startMs, endMs } = monthWindow(month);
  const starts = windows.filter((w) => windowTouches(w, month, nowMs)).map((w) => w.startMs);
  const incidentStartMs = starts.length ? Math.min(...starts) : startMs;
  const inForce = versionInForce(current, incidentStartMs);
  const newer = newVersionBetween(current, inForce.versionDate, startMs, endMs);
  return { sla: inForce.sla, terms: { ...termsOfVersion(inForce, incidentStartMs), ...(newer ? { newVersionInMonth: newer } : {}) } };
}

function evidenceOf(windows: readonly IncidentWindow[], month: string, nowMs: number): Evidence[] {
  return boundEvidence(
    windows
      .filter((w) => windowTouches(w, month, nowMs))
      .sort((a, b) => a.startMs - b.startMs || a.eventArn.localeCompare(b.eventArn))
      .slice(0, MAX_EVIDENCE)
      .map((w) => ({
        eventArn: w.eventArn,
        service: w.service,
        eventTypeCode: w.eventTypeCode,
        region: w.region,
        startTime: new Date(w.startMs).toISOString(),
        endTime: w.endMs === null ? null : new Date(w.endMs).toISOString(),
        ...(w.periods?.length
          ? { periods: w.periods.map((p) => ({ startTime: new Date(p.startMs).toISOString(), endTime: p.endMs === null ? null : new Date(p.endMs).toISOString() })) }
          : {}),
        statusCode: w.statusCode,
        description: w.description,
        affectedResources: w.affectedResources,
        affectedResourceCount: w.affectedResourceCount,
      })),
  );
}

/** The first evidence entries that fit in MAX_EVIDENCE_BYTES (at least one, its resource sample trimmed if needed). */
function boundEvidence(all: Evidence[]): Evidence[] {
  const kept: Evidence[] = [];
  let bytes = 0;
  for (const entry of all) {
    const size = Buffer.byteLength(JSON.stringify(entry));
    if (bytes + size > MAX_EVIDENCE_BYTES) {
      if (kept.length === 0) kept.push({ ...entry, affectedResources: entry.affectedResources.slice(0, 1) });
      break;
    }
    kept.push(entry);
    bytes += size;
  }
  return kept;
}

/**
 * The windows to store: only those that count in the month, and past MAX_WINDOW_BYTES the windows the evidence does
 * not show keep their numbers but lose description and resources (the incident item keeps them).
 */
export function boundWindows(windows: WindowMap, evidence: readonly Evidence[]): WindowMap {
  if (Buffer.byteLength(JSON.stringify(windows)) <= MAX_WINDOW_BYTES) return windows;
  const shown = new Set(evidence.map((e) => e.eventArn));
  return Object.fromEntries(
    Object.entries(windows).map(([k, w]) => [k, shown.has(w.eventArn) ? w : { ...w, description: '', affectedResources: [] }]),
  );
}

/**
 * Recomputing a claim (from ingest) after a decision: the lifecycle's rule (src/claims/lifecycle.ts), re-exported here
 * for the callers that already import it from the claim rules.
 */
export { statusAfterRecompute };

export function sameNumbers(a: Claim, b: Claim): boolean {
  return (
    a.downtimeMinutes === b.downtimeMinutes &&
    a.creditPercent === b.creditPercent &&
    a.creditCents === b.creditCents &&
    a.chargesCents === b.chargesCents &&
    a.provisional === b.provisional &&
    a.claimable === b.claimable &&
    stableStringify(a.evidence) === stableStringify(b.evidence) &&
    stableStringify(a.fleet ?? null) === stableStringify(b.fleet ?? null) &&
    sameBasis(a, b) &&
    // A catalog update (a version added, a term confirmed) must reach stored claims.
    stableStringify(a.terms ?? null) === stableStringify(b.terms ?? null)
  );
}

/** Same basis and series (a claim stored before `basis` existed reads as health-window; the note is not compared). */
function sameBasis(a: Claim, b: Claim): boolean {
  const key = (c: Claim) => {
    const basis = c.basis ?? windowBasis('');
    return stableStringify([basis.kind, basis.metrics, basis.resourceCount, basis.intervalCount, c.measuredSeries ?? null]);
  };
  return key(a) === key(b);
}

/**
 * Same windows for the claim's purposes: a closed window's lastUpdatedMs does not count (it only caps open ones),
 * so a later Health update that changes nothing does not bump the version (and invalidate Slack buttons).
 */
export function sameWindows(a: WindowMap, b: WindowMap): boolean {
  const norm = (m: WindowMap) =>
    // The history size alone changing is not a change: a claim whose window reads the same is not rewritten.
    stableStringify(Object.fromEntries(Object.entries(m).map(([k, { historyUpdates: _h, ...w }]) => [k, w.endMs === null ? w : { ...w, lastUpdatedMs: 0 }])));
  return norm(a) === norm(b);
}

/**
 * The claim to store after a recompute, or null when nothing changed. New claims start as `draft`, version 1;
 * existing ones keep status (see `statusAfterRecompute`), creation time, Slack reference and decision, version + 1.
 */
export function nextClaim(existing: Claim | null, computed: Claim): Claim {
  if (!existing) return { ...computed, status: 'draft', version: 1 };
  const status = statusAfterRecompute(existing, computed);
  return {
    ...computed,
    status,
    version: existing.version + 1,
    createdAt: existing.createdAt,
    ...(existing.slack ? { slack: existing.slack } : {}),
    // Records of what happened to the claim outside the computation (the case, the payment) stay with it.
    ...(existing.filing ? { filing: existing.filing } : {}),
    ...(existing.filingNote && status === existing.status ? { filingNote: existing.filingNote } : {}),
    ...(existing.decidedBy && status === existing.status ? { decidedBy: existing.decidedBy } : {}),
    ...(existing.decisionReason && status === existing.status ? { decisionReason: existing.decisionReason } : {}),
  };
}

/** The audit entry of a computed change (creation or recompute), stored atomically with it. */
export function recomputeAudit(existing: Claim | null, next: Claim): AuditEntry {
  if (!existing) return { claimId: next.claimId, at: next.updatedAt, actor: 'system', action: 'created', to: 'draft', version: 1 };
  return {
    claimId: next.claimId,
    at: next.updatedAt,
    actor: 'system',
    action: 'recomputed',
    from: existing.status,
    to: next.status,
    version: next.version,
    detail: {
      creditCents: String(next.creditCents),
      previousCreditCents: String(existing.creditCents),
      downtimeMinutes: String(next.downtimeMinutes),
      ...(next.basis ? { basis: next.basis.kind } : {}),
    },
  };
}
