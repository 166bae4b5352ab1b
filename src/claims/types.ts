/**
 * The claim model shared by ingest, Slack approval and the monthly summary.
 * Money is integer cents; every time is a UTC ISO-8601 string.
 */
import type { StoredSeries } from '../metrics/stored-series.ts';

export const CLAIM_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'ready_to_file',
  'submitted',
  'credited',
  'denied',
  'rejected',
  'expired',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * Allowed transitions: draft → pending_approval → approved → (ready_to_file) → submitted → credited | denied;
 * pending_approval → rejected; anything not yet submitted → expired once its deadline passed. An approved (or
 * ready-to-file) claim whose numbers change returns to pending_approval.
 */
export const TRANSITIONS: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  draft: ['pending_approval', 'expired'],
  pending_approval: ['approved', 'rejected', 'expired'],
  approved: ['ready_to_file', 'submitted', 'pending_approval', 'expired'],
  ready_to_file: ['submitted', 'pending_approval', 'expired'],
  submitted: ['credited', 'denied'],
  credited: [],
  denied: [],
  rejected: [],
  expired: [],
};

export function canTransition(from: ClaimStatus, to: ClaimStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * What a claim's downtime rests on. `measured`: the customer's own CloudWatch metrics, per interval, as the SLA
 * defines it. `health-window`: the AWS Health window taken as 100 % errors/unavailable, an upper bound (an estimate).
 * Absent on claims stored before this field existed: read as `health-window`.
 */
export interface ClaimBasis {
  kind: 'measured' | 'health-window';
  /** The metrics used, e.g. "AWS/DynamoDB SystemErrors (Sum)". Empty for health-window. */
  metrics: string[];
  /** Resources whose metrics were read. */
  resourceCount: number;
  /** Measured intervals in the claim's month (0 for health-window). */
  intervalCount: number;
  /** Why this basis, in words (e.g. "no CloudWatch metric matches the SLA's definition", "role denied in 1111…"). */
  note?: string;
}

/** The SLA terms a claim was computed on: which version, and whether its figures were confirmed on the AWS page. */
export interface ClaimTerms {
  /** Effective date (YYYY-MM-DD) of the SLA version in force at the incident; null when not known. */
  versionDate: string | null;
  /** True only when the commitment, tiers and credit base used were confirmed on the AWS page. */
  confirmed: boolean;
  /** What is unconfirmed, in words (empty when confirmed). */
  unconfirmed: string[];
  /** Set when a newer SLA version took effect during the claim's month (its YYYY-MM-DD). */
  newVersionInMonth?: string;
}

/** The AWS Support case of a filed claim (or the manual filing a person recorded). */
export interface FilingRecord {
  via: 'support-api' | 'manual';
  caseId: string;
  /** The number AWS shows in Support Center. */
  displayId?: string;
  /** UTC ISO-8601. */
  filedAt: string;
  /** `system` or the Slack/CLI user who marked it filed. */
  filedBy: string;
  /** The account the case was opened in. */
  filedInAccount?: string;
}

/** What AWS paid for a claim, matched from the bill (Cost Explorer record type `Credit`). */
export interface PaymentRecord {
  paidCents: number;
  /** YYYY-MM of the bill the credit appeared on. */
  billMonth: string;
  /** UTC ISO-8601. */
  matchedAt: string;
  /** Set when 60 days after filing the credit is missing or smaller than claimed. */
  flag?: 'partial' | 'missing';
}

/** One message AWS wrote on a filed claim's support case (bounded: see src/tracking/track-cases.ts). */
export interface CaseAnswer {
  /** UTC ISO-8601 (the communication's timeCreated). */
  at: string;
  /** Who wrote it, as AWS Support reports it (e.g. "Amazon Web Services"). */
  from: string;
  body: string;
}

/** What the tracking of a filed claim's case read from AWS Support (src/tracking). */
export interface CaseTracking {
  /** UTC ISO-8601: the last DescribeCases that saw this case. */
  checkedAt: string;
  /** The case status AWS reports (opened, pending-customer-action, resolved, …). */
  caseStatus?: string;
  /** AWS's newest messages on the case, oldest first (at most a few, bodies bounded). */
  answers: CaseAnswer[];
  /** What AWS's words say: credited, denied, or unclear (a person decides). */
  outcome?: 'credited' | 'denied' | 'unclear';
  /** `at` of the newest answer posted to Slack as "AWS replied" (so it is posted once). */
  notifiedAt?: string;
}

/** One piece of evidence: a Health event (or one of its updates) that contributed downtime. */
export interface Evidence {
  eventArn: string;
  service: string;
  eventTypeCode: string;
  region: string;
  /** UTC ISO-8601. */
  startTime: string;
  /** UTC ISO-8601, or null while the event is open. */
  endTime: string | null;
  /** The service's periods in this incident when there are two or more (UTC ISO-8601; end null while open). */
  periods?: { startTime: string; endTime: string | null }[];
  statusCode: string;
  description: string;
  /** Affected resource ids/ARNs that matched this claim (bounded; see `affectedResourceCount`). */
  affectedResources: string[];
  affectedResourceCount: number;
}

/** The SLA clause applied, copied into the claim so the claim stays self-describing. */
export interface SlaClause {
  slaId: string;
  name: string;
  commitmentPercent: string;
  measurement: string;
  tierText: string;
  creditBaseText: string;
  sourceUrl: string;
  sourceLastUpdated: string | null;
  /** True when negotiated contract terms replaced the AWS standard terms. */
  negotiated: boolean;
}

export interface SlackRef {
  channel: string;
  ts: string;
  permalink?: string;
  /** The claim version the message currently shows (its buttons carry it). */
  shownVersion?: number;
}

/**
 * A Slack post in progress (written before chat.postMessage): the post carries `id` in its message metadata, so a
 * notifier that died after posting but before recording the message can be followed by one that finds it instead of
 * posting again. Completed when the stored `slack.postId` equals `id`.
 */
export interface SlackPostIntent {
  id: string;
  /** UTC ISO-8601: when the post was started. */
  at: string;
  /** UTC ISO-8601: until then, another notifier waits for this one rather than posting. */
  leaseUntil: string;
}

/**
 * A filing in progress (written before CreateCase, by compare-and-set): `token` is the claim's own filing token
 * (src/claims/lifecycle.ts `filingToken`), written into the case body, so a filer that died after CreateCase is
 * followed by one that finds the case (DescribeCases) instead of opening a second. While `leaseUntil` runs, other
 * filers leave the claim alone.
 */
export interface FilingIntent {
  id: string;
  token: string;
  /** UTC ISO-8601. */
  at: string;
  /** UTC ISO-8601. */
  leaseUntil: string;
}

export interface Claim {
  /** Deterministic id: `<account>#<slaId>#<Region or resource>#<YYYY-MM>`, parts bounded in bytes (src/claims/ids.ts). */
  claimId: string;
  account: string;
  slaId: string;
  /** Impacted Region (`global` for non-regional services). */
  region: string;
  /**
   * Resource id/ARN of a per-resource claim stored before fleet claims existed; null otherwise. A resource-level SLA's
   * claim now covers all the account's affected resources in the Region: see `fleet`.
   */
  resource: string | null;
  /**
   * Set on the claim of a resource-level SLA (EC2 instances, RDS instances, load balancers…): one claim per account,
   * SLA, Region and month, covering every affected resource, each credited on its own downtime (see `FleetPart`).
   * The claim's own figures are totals (credit, charges) or the worst part (downtime, credit percentage).
   */
  fleet?: Fleet;
  /** `fleet.resourceCount`, top-level so the narrow month index can project it (the summary's line) without `fleet`. */
  resourceCount?: number;
  /** YYYY-MM (UTC calendar month). */
  month: string;
  minutesInMonth: number;
  downtimeMinutes: number;
  /** Rounded for display (4 decimals); tier decisions use exact arithmetic. */
  uptimePercent: number;
  creditPercent: number;
  /** Route 53 style credits: number of days of average daily charges; else null. */
  creditDays: number | null;
  /** Null when the month's charges are unknown. */
  chargesCents: number | null;
  creditCents: number | null;
  chargesKnown: boolean;
  /** Credit greater than $1.00 (AWS pays no credit of $1 or less). */
  claimable: boolean;
  /** True while an event that contributes downtime is still open (downtime counted up to `computedAt`). */
  provisional: boolean;
  /** Last day to file, YYYY-MM-DD. */
  deadline: string;
  status: ClaimStatus;
  /** Optimistic-locking version, incremented by every write. */
  version: number;
  evidence: Evidence[];
  slaClause: SlaClause;
  /** What the downtime rests on (absent = health-window, claims stored before the field existed). */
  basis?: ClaimBasis;
  /**
   * The measured series the claim was computed from, compact and bounded (src/metrics/stored-series.ts): kept on the
   * claim so every recompute uses it after CloudWatch has expired the data. Absent when the claim is an estimate.
   */
  measuredSeries?: StoredSeries;
  /** The SLA version and whether its terms are confirmed (absent = unknown, treated as unconfirmed). */
  terms?: ClaimTerms;
  /** Set once the claim is filed (status submitted and after). */
  filing?: FilingRecord;
  /** The latest filing started for this claim (see `FilingIntent`). */
  filingIntent?: FilingIntent;
  /** Why a claim is `ready_to_file` (to be filed by a person), in words. */
  filingNote?: string;
  /** Set when the credit was found on the bill. */
  payment?: PaymentRecord;
  /** Set once the filed claim's case was read (src/tracking/track-cases.ts). */
  tracking?: CaseTracking;
  slack?: SlackRef;
  /** The latest Slack post started for this claim (see `SlackPostIntent`). */
  slackPost?: SlackPostIntent;
  decidedBy?: string;
  decisionReason?: string;
  createdAt: string;
  updatedAt: string;
  computedAt: string;
}

/**
 * Resources of a fleet claim touched by the same incidents, so with the same downtime and credit percentage. Their
 * credit is the sum of each resource's own (the SLA credits each resource on its own charges).
 */
export interface FleetPart {
  /** Incident keys (src/claims/ids.ts `incidentKeyOf`) of the windows that cover these resources, sorted. */
  incidents: string[];
  resourceCount: number;
  /**
   * The resources, all of them when `chunks` is absent, else the first 20 (sorted), or none on a claim with too many
   * parts to show them all (src/claims/build.ts `boundParts`).
   */
  resources: string[];
  /** Content-addressed resource-list items holding all of them (src/claims/fleet.ts), when `resources` is a sample. */
  chunks?: string[];
  downtimeMinutes: number;
  uptimePercent: number;
  creditPercent: number;
  /** The tier applied, in the SLA's words, or null when the commitment was met. */
  tierText: string | null;
  /** Null when any of these resources' charges is unknown. */
  chargesCents: number | null;
  creditCents: number | null;
}

export interface Fleet {
  resourceCount: number;
  /** Largest downtime first. */
  parts: FleetPart[];
}

/**
 * One incident's contribution to a claim, embedded in the claim item (keyed by incident key) so a recompute needs
 * nothing but the claim: its window in the scope's service, and what the evidence shows.
 */
export interface IncidentWindow {
  eventArn: string;
  service: string;
  eventTypeCode: string;
  region: string;
  statusCode: string;
  startMs: number;
  /** Null while open. */
  endMs: number | null;
  /** The incident's newest lastUpdatedTime (epoch ms): an open incident not updated for a week stops counting. */
  lastUpdatedMs: number;
  /**
   * Set when the service has two or more periods in this incident (its updates list it as impacted, recovered, then
   * impacted again; src/pipeline/windows.ts): the downtime is their union, and startMs/endMs are their span.
   * Absent: the one period is [startMs, endMs).
   */
  periods?: { startMs: number; endMs: number | null }[];
  /** Bounded (see src/claims/build.ts). */
  description: string;
  affectedResources: string[];
  affectedResourceCount: number;
  /**
   * A fleet claim's window: content-addressed resource-list items (src/claims/fleet.ts) holding all the fleet's
   * resources this incident touched, when there are more than `affectedResources` shows. Absent: `affectedResources`
   * is the full list.
   */
  resourceChunks?: string[];
  /**
   * How many update entries the incident's history held when this window was computed. Histories only grow, so a
   * window from a longer history is newer: a retry computed from an older snapshot never replaces it
   * (src/pipeline/recompute.ts). Absent on windows stored before it existed (any snapshot replaces those).
   */
  historyUpdates?: number;
}

export type WindowMap = Record<string, IncidentWindow>;

export interface AuditEntry {
  claimId: string;
  /** UTC ISO-8601. */
  at: string;
  /** Slack user id, `system`, or a CLI user. */
  actor: string;
  action: string;
  from?: ClaimStatus;
  to?: ClaimStatus;
  version?: number;
  reason?: string;
  /** Free-form details (e.g. why a Slack click was refused). */
  detail?: Record<string, string>;
}
