/**
 * SLA versions by date (issue 10, rule 6). AWS revises its SLAs and keeps the text it replaced on "prior versions"
 * pages (`…/sla/historical/`). The catalog entry is the current version; this file holds the prior versions that
 * could be read on an AWS page, each as the terms that differ from the next newer version, with its source.
 *
 * A version takes effect on its "Last Updated" date, at 00:00 UTC (the pages print a date, no time or zone). The
 * version in force at an instant is the newest one that took effect at or before it. A current version whose date
 * could not be read (`source.lastUpdated: null`) counts as in force after every prior version: it is the page AWS
 * shows now, so for recent incidents it is the right one; the gap is listed as an unconfirmed version date.
 * Before the oldest known version, the oldest is used and the claim is marked unconfirmed (no known version in force).
 *
 * Pure: no clock, no I/O.
 */
import { SLA_CATALOG } from './catalog.ts';
import type { SlaDefinition, SlaTermPart, UnconfirmedPart } from './types.ts';

/** The parts that decide the credit: a claim is confirmed only when none of them is unconfirmed. */
export const MONEY_PARTS: readonly SlaTermPart[] = ['commitment', 'tiers', 'creditBase'];

/** The terms a prior version may differ in from the next newer one. */
export type VersionChanges = Partial<
  Pick<SlaDefinition, 'name' | 'commitmentPercent' | 'measurementText' | 'tiers' | 'dayTiers' | 'creditBase' | 'creditBaseText'>
>;

export interface SlaPriorVersion {
  /** YYYY-MM-DD: the "Last Updated" date printed on the prior version's page. */
  effectiveFrom: string;
  /** What differs from the next newer version (the rest is as in that version, as far as could be read). */
  changes: VersionChanges;
  source: {
    url: string;
    /** What was read on the page, quoted. */
    notes: string;
    /** Parts of this version that could not be read (including those assumed equal to the newer version). */
    unconfirmed: UnconfirmedPart[];
  };
}

const COMPUTE_2022 = 'https://aws.amazon.com/compute/sla/historical/';
const EC2_2018 = 'https://aws.amazon.com/ec2/sla/historical';
const S3_2019 = 'https://aws.amazon.com/s3/sla/historical/';
const ELB_2019 = 'https://aws.amazon.com/elasticloadbalancing/sla/historical/';

const COMPUTE_2022_NOTES =
  'Read on AWS\'s page "Prior Version(s) of Amazon Compute Service Level Agreement – Not Currently In Effect", "Last Updated: May 5, 2022": Included Services "Amazon EC2, Amazon EBS, Amazon ECS, AWS Fargate for Amazon ECS and Amazon EKS"; "AWS will use commercially reasonable efforts to make each Included Service available for each AWS region with a Monthly Uptime Percentage of at least 99.99%" for Included Services with all running instances or tasks deployed concurrently across two or more AZs. The readable copy stops at the first row of the credit table.';
const EC2_2018_NOTES =
  'Read on AWS\'s page "Prior Version(s) of Amazon EC2 Service Level Agreement - Not Currently In Effect", "Last Updated: February 12, 2018": Included Products EC2, EBS, ECS and "Amazon Fargate for Amazon ECS"; "AWS will use commercially reasonable efforts to make the Included Products and Services each available with a Monthly Uptime Percentage (defined below) of at least 99.99%"; Monthly Uptime Percentage subtracts "the percentage of minutes during the month in which any of the Included Products and Services, as applicable, was in the state of \u201cRegion Unavailable.\u201d" The copy stops before the credit table.';
const REGION_UNAVAILABLE_2018 =
  'Monthly Uptime Percentage = 100 % minus the percentage of minutes during the month in which the service was in the state of "Region Unavailable" (Compute SLA of February 12, 2018; its definition of Region Unavailable was not in the readable part).';

const tiersAfterFirstRow = (d: string): UnconfirmedPart => ({
  part: 'tiers',
  detail: `Only the first row (<99.99 % ≥99.0 % → 10 %) is in the readable copy of the ${d} version; the lower rows are assumed equal to the next version's.`,
});
const creditTableNotRead = (d: string): UnconfirmedPart => ({
  part: 'tiers',
  detail: `The credit table of the ${d} version is not in the readable copy; assumed equal to the next version's.`,
});
const creditBaseNotRead = (d: string): UnconfirmedPart => ({
  part: 'creditBase',
  detail: `The Service Credits sentence of the ${d} version is not in the readable copy; assumed equal to the next version's.`,
});

/** Compute SLA prior versions shared by the Region-level EC2, EBS, ECS and Fargate entries. */
function computeRegionVersions(service: string): SlaPriorVersion[] {
  return [
    {
      effectiveFrom: '2022-05-05',
      changes: { name: `Amazon Compute SLA — Region-Level SLA (${service})` },
      source: { url: COMPUTE_2022, notes: COMPUTE_2022_NOTES, unconfirmed: [tiersAfterFirstRow('May 5, 2022'), creditBaseNotRead('May 5, 2022')] },
    },
    {
      effectiveFrom: '2018-02-12',
      changes: { name: `Amazon Compute SLA (${service})`, measurementText: REGION_UNAVAILABLE_2018 },
      source: { url: EC2_2018, notes: EC2_2018_NOTES, unconfirmed: [creditTableNotRead('February 12, 2018'), creditBaseNotRead('February 12, 2018')] },
    },
  ];
}

const S3_2019_NOTES =
  'Read on AWS\'s page "Prior Version(s) of Amazon S3 Service Level Agreement – Not Currently In Effect", "Last Updated: July 31, 2019": "Service Credits are calculated as a percentage of the total charges paid by you for the applicable Amazon S3 Service in the AWS region affected" (an "Amazon S3 Service" is Amazon S3 or Amazon S3 Glacier, not a storage class); "For all requests not otherwise specified below": less than 99.9% but ≥ 99.0% → 10%, less than 99.0% but ≥ 95.0% → 25%, less than 95.0% → 100%; "For requests to S3 Intelligent-Tiering, S3 Standard-Infrequent Access, and S3 One Zone-Infrequent Access": less than 99.0% but ≥ 98.0% → 10%, less than 98.0% but ≥ 95.0% → 25%, less than 95.0% → 100%.';
const S3_2019_BASE =
  'Total charges paid for the applicable Amazon S3 Service (Amazon S3 or Amazon S3 Glacier) in the affected AWS Region for the billing cycle in which the Monthly Uptime Percentage fell within the tier (2019 wording: the service, not the storage class).';
const S3_2019_MEASUREMENT: UnconfirmedPart = { part: 'measurement', detail: 'The Error Rate definition of the July 31, 2019 version is not in the readable copy.' };

/**
 * Prior versions by SLA id, newest first. Only versions read on an AWS page; their unreadable parts are listed.
 * Deeply frozen.
 */
export const SLA_PRIOR_VERSIONS: Readonly<Record<string, readonly SlaPriorVersion[]>> = deepFreeze({
  'ec2-region': computeRegionVersions('Amazon EC2'),
  // The May 5, 2022 Compute SLA names an Instance-Level SLA but its figure is not in the readable copy.
  'ec2-instance': [
    {
      effectiveFrom: '2022-05-05',
      changes: { name: 'Amazon Compute SLA — Instance-Level SLA (Amazon EC2)' },
      source: {
        url: COMPUTE_2022,
        notes: `${COMPUTE_2022_NOTES} It names "(2) an Instance-Level SLA that governs Amazon EC2 instances individually"; its figures are not in the readable copy.`,
        unconfirmed: [
          { part: 'commitment', detail: 'The Instance-Level commitment of the May 5, 2022 version is not in the readable copy; assumed equal to the next version\'s.' },
          creditTableNotRead('May 5, 2022'),
          creditBaseNotRead('May 5, 2022'),
        ],
      },
    },
  ],
  'ebs-region': computeRegionVersions('Amazon EBS'),
  ecs: computeRegionVersions('Amazon ECS'),
  fargate: computeRegionVersions('AWS Fargate'),
  's3-standard': [
    {
      effectiveFrom: '2019-07-31',
      changes: { name: 'Amazon S3 — all requests not otherwise specified (Amazon S3 and Amazon S3 Glacier)', creditBaseText: S3_2019_BASE },
      source: { url: S3_2019, notes: S3_2019_NOTES, unconfirmed: [S3_2019_MEASUREMENT] },
    },
  ],
  's3-infrequent-access': [
    {
      effectiveFrom: '2019-07-31',
      changes: { name: 'Amazon S3 — S3 Intelligent-Tiering, Standard-IA and One Zone-IA', creditBaseText: S3_2019_BASE },
      source: { url: S3_2019, notes: S3_2019_NOTES, unconfirmed: [S3_2019_MEASUREMENT] },
    },
  ],
  'elb-multi-az': [
    {
      effectiveFrom: '2019-01-02',
      changes: {
        name: 'Elastic Load Balancing SLA (Application, Network and Classic Load Balancer)',
        measurementText:
          'Monthly Uptime Percentage = 100 % minus the percentage of minutes during the month in which the Included Product (Application, Network or Classic Load Balancer) was in the state of Unavailability (Elastic Load Balancing SLA of January 2, 2019).',
      },
      source: {
        url: ELB_2019,
        notes:
          'Read on AWS\'s page "Prior Version(s) of Amazon Elastic Load Balancing Service Level Agreement - Not Currently In Effect", "Last Updated: January 2, 2019": Included Products Application, Network and Classic Load Balancer; "AWS will use commercially reasonable efforts to make the Included Products each available with a Monthly Uptime Percentage (defined below) of at least 99.99%". There was no separate Single Load Balancer SLA. The copy stops before the credit table.',
        unconfirmed: [creditTableNotRead('January 2, 2019'), creditBaseNotRead('January 2, 2019')],
      },
    },
  ],
});

/** One version of an SLA: its definition (source.lastUpdated = its effective date) and whether it was known then. */
export interface VersionInForce {
  sla: SlaDefinition;
  /** YYYY-MM-DD, or null when the version's date could not be read. */
  versionDate: string | null;
  /** False when the instant is before the oldest known version: the oldest is used, unconfirmed for that instant. */
  known: boolean;
}

const dayStartMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Every known version of `current`, oldest first; prior versions are built by applying their changes downward. */
export function slaVersions(current: SlaDefinition, prior: readonly SlaPriorVersion[] = SLA_PRIOR_VERSIONS[current.id] ?? []): SlaDefinition[] {
  const versions: SlaDefinition[] = [current];
  let newer = current;
  for (const version of prior) {
    const unconfirmed = version.source.unconfirmed;
    const built: SlaDefinition = {
      ...newer,
      ...version.changes,
      source: {
        url: version.source.url,
        lastUpdated: version.effectiveFrom,
        verified: !unconfirmed.some((u) => MONEY_PARTS.includes(u.part)),
        notes: version.source.notes,
        unconfirmed,
      },
    };
    versions.unshift(built);
    newer = built;
  }
  return versions;
}

/** The version of `current` in force at `atMs` (see the file comment for undated and too-early instants). */
export function versionInForce(current: SlaDefinition, atMs: number, prior?: readonly SlaPriorVersion[]): VersionInForce {
  const versions = slaVersions(current, prior);
  for (let i = versions.length - 1; i >= 0; i--) {
    const version = versions[i]!;
    const date = version.source.lastUpdated;
    // An undated version can only be the current one (prior versions always carry their date): it counts from the
    // newest prior version's date on (it replaced that one at some unread date), or always when there is none.
    const previous = versions[i - 1]?.source.lastUpdated;
    const fromMs = date !== null ? dayStartMs(date) : previous ? dayStartMs(previous) : -Infinity;
    if (fromMs <= atMs) return { sla: version, versionDate: date, known: true };
  }
  const oldest = versions[0]!;
  return { sla: oldest, versionDate: oldest.source.lastUpdated, known: false };
}

/**
 * The SLA definition in force at `atMs` for a catalog id, or undefined for an unknown id. `catalog` and `prior` are
 * parameters so that tests can pass their own versions.
 */
export function slaInForce(
  slaId: string,
  atMs: number,
  catalog: readonly SlaDefinition[] = SLA_CATALOG,
  prior: Readonly<Record<string, readonly SlaPriorVersion[]>> = SLA_PRIOR_VERSIONS,
): SlaDefinition | undefined {
  const current = catalog.find((s) => s.id === slaId);
  return current ? versionInForce(current, atMs, prior[slaId] ?? []).sla : undefined;
}

/**
 * The date (YYYY-MM-DD) of the first version newer than `versionDate` that took effect inside [fromMs, toMs) (the
 * claim's month), or undefined.
 */
export function newVersionBetween(
  current: SlaDefinition,
  versionDate: string | null,
  fromMs: number,
  toMs: number,
  prior?: readonly SlaPriorVersion[],
): string | undefined {
  for (const version of slaVersions(current, prior)) {
    const date = version.source.lastUpdated;
    if (date === null || (versionDate !== null && date <= versionDate)) continue;
    const at = dayStartMs(date);
    if (at >= fromMs && at < toMs) return date;
  }
  return undefined;
}

/**
 * The terms a computation at `atMs` rests on: the version's date, and whether its commitment, tiers and credit base
 * were confirmed (in words when not). An instant before the oldest known version is never confirmed.
 */
export function termsOfVersion(inForce: VersionInForce, atMs: number): { versionDate: string | null; confirmed: boolean; unconfirmed: string[] } {
  const unconfirmed = unconfirmedMoneyParts(inForce.sla);
  if (!inForce.known) {
    unconfirmed.unshift(
      `version: no version of this SLA is known to be in force on ${new Date(atMs).toISOString().slice(0, 10)}; the oldest known (${inForce.versionDate ?? 'undated'}) was used`,
    );
  }
  return { versionDate: inForce.versionDate, confirmed: unconfirmed.length === 0, unconfirmed };
}

/** The unconfirmed parts of a definition that decide the credit, in words ("tiers: …"). */
export function unconfirmedMoneyParts(sla: SlaDefinition): string[] {
  const listed = sla.source.unconfirmed;
  if (listed === undefined) {
    // A definition without the list (an older override shape): only `verified` says anything.
    return sla.source.verified ? [] : [`terms: not confirmed on the AWS page (${sla.source.notes ?? 'no notes'})`];
  }
  return listed.filter((u) => MONEY_PARTS.includes(u.part)).map((u) => `${u.part}: ${u.detail}`);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
