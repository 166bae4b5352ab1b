/**
 * Whether a Region-level claim may be drafted at all under an SLA whose downtime is "Region Unavailable". Pure.
 *
 * The Amazon Compute SLA (https://aws.amazon.com/compute/sla/; catalog `ec2-region`, `ecs`, `fargate`) counts only
 * minutes in which the customer's running instances (ECS/Fargate: tasks) in two or more Availability Zones
 * concurrently have no external connectivity ("Region Unavailable"); failed launches, API errors and latency are not
 * Unavailability. AWS said of 20 October 2025 that running EC2 instances were not affected
 * (https://aws.amazon.com/message/101925/): a Health event about launch failures or API errors gives no EC2
 * Region-level credit, and drafting one costs the customer credibility with AWS.
 *
 * So a Region-level scope under those SLAs is claimable only when the evidence shows instances unreachable in at least
 * two distinct AZs:
 * - an affected entity whose status is IMPAIRED and whose AZ is known (its value is an AZ, or `entityAz` knows it);
 * - a description sentence about instances/tasks losing connectivity (or being unreachable/impaired) that names two
 *   or more AZs ("use1-az1 and use1-az2", "us-east-1a, us-east-1b") or says "multiple/two or more Availability
 *   Zones"; sentences about launches, or that say instances are not affected, do not count;
 * - AZs in which measured instance status checks failed (`statusCheckAzs`, from the measured-evidence work).
 * Otherwise the scope is not eligible: no claim is drafted, and the reason (with the SLA's sentence) is reported.
 * Resource-level claims (Instance-Level SLA for entities shown impaired) are not concerned.
 */
import type { AffectedEntity } from '../health/types.ts';

/**
 * The Region-level SLAs measured as "Region Unavailable": how a note names them, what must be unreachable, and the
 * SLA's definition quoted in every "not eligible" note (the catalog's `measurementText` of each entry).
 */
export const REGION_UNAVAILABLE_SLAS: Readonly<Record<string, { label: string; units: string; slaText: string }>> = {
  'ec2-region': {
    label: 'EC2 Region-level',
    units: 'instances',
    slaText: '"Region Unavailable": all of your running instances in two or more AZs concurrently have no external connectivity, https://aws.amazon.com/compute/sla/',
  },
  ecs: {
    label: 'ECS Region-level',
    units: 'tasks',
    slaText: 'Unavailable: all running tasks in two or more AZs concurrently have no external connectivity, https://aws.amazon.com/ecs/sla/',
  },
  fargate: {
    label: 'Fargate Region-level',
    units: 'tasks',
    slaText: 'Unavailable: all running tasks in two or more AZs concurrently have no external connectivity, https://aws.amazon.com/fargate/sla/',
  },
};

export interface RegionUnavailableEvidence {
  /** Every description of the incident's updates. */
  descriptions: readonly string[];
  /** Every affected entity of the incident's updates. */
  entities: readonly AffectedEntity[];
  eventTypeCodes: readonly string[];
  /** AZ of an entity (instance id/ARN → AZ), when an adapter knows it. */
  entityAz?: (entityValue: string) => string | undefined;
  /** AZs in which the customer's measured instance status checks failed during the incident. */
  statusCheckAzs?: readonly string[];
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

/** AZ names (us-east-1a, us-gov-west-1b) and AZ ids (use1-az4). */
const AZ_RE = /\b(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]|[a-z]{2,5}\d-az\d{1,2})\b/gi;
const CONNECTIVITY_RE = /\b(?:connectivity|unreachable|reachability|impaired|impairment|unavailable|loss of power|power loss|network (?:issues?|disruption))\b/i;
const UNITS_RE = /\b(?:instances?|tasks?|containers?|hosts?)\b/i;
const LAUNCH_RE = /\blaunch(?:es|ed|ing)?\b|\bprovision/i;
const NOT_AFFECTED_RE = /\b(?:not|no longer|never)\s+(?:\w+\s+){0,2}?(?:affected|impacted|impaired)\b|\bun(?:affected|impacted|impaired)\b|n't\s+(?:\w+\s+){0,2}?(?:affected|impacted)\b/i;
const SEVERAL_AZS_RE = /\b(?:multiple|several|two or more|more than one|all|many|(?:two|three|four|2|3|4))\s+(?:of\s+the\s+)?(?:availability zones|azs)\b/i;
/** Wording of an API/launch/latency event, for the reason given. */
const API_RE = /\bapi\b|\blaunch|\blatenc|\berror rates?\b|\bthrottl|\bprovision/i;

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
}

/**
 * The AZs the evidence shows instances unreachable in ("2+" stands for a sentence that says several AZs without
 * naming them). Lower-cased, de-duplicated.
 */
export function unreachableAzs(evidence: RegionUnavailableEvidence): string[] {
  const azs = new Set<string>();
  for (const az of evidence.statusCheckAzs ?? []) azs.add(az.toLowerCase());
  for (const e of evidence.entities) {
    if ((e.status ?? '').toUpperCase() !== 'IMPAIRED') continue;
    const az = evidence.entityAz?.(e.entityValue) ?? (new RegExp(`^${AZ_RE.source}$`, 'i').test(e.entityValue) ? e.entityValue : undefined);
    if (az) azs.add(az.toLowerCase());
  }
  for (const text of evidence.descriptions) {
    for (const s of sentences(text)) {
      if (!CONNECTIVITY_RE.test(s) || !UNITS_RE.test(s) || LAUNCH_RE.test(s) || NOT_AFFECTED_RE.test(s)) continue;
      const named = [...s.matchAll(AZ_RE)].map((m) => m[0].toLowerCase());
      for (const az of named) azs.add(az);
      if (named.length < 2 && SEVERAL_AZS_RE.test(s)) azs.add('2+');
    }
  }
  return [...azs];
}

/**
 * Whether a claim of `slaId` for a Region (resource null) may be drafted from this evidence. SLAs other than the
 * "Region Unavailable" ones, and resource-level scopes, are always eligible here.
 */
export function regionLevelEligibility(slaId: string, resource: string | null, evidence: RegionUnavailableEvidence): Eligibility {
  const rule = REGION_UNAVAILABLE_SLAS[slaId];
  if (!rule || resource !== null) return { eligible: true };
  const azs = unreachableAzs(evidence);
  if (azs.includes('2+') || azs.length >= 2) return { eligible: true };
  const apiWording = evidence.eventTypeCodes.some((c) => /_API_|LAUNCH|LATENCY/i.test(c)) || evidence.descriptions.some((d) => API_RE.test(d));
  const why =
    azs.length === 1
      ? `${rule.units} shown unreachable in one AZ only (${azs[0]}); Region Unavailable needs two or more`
      : apiWording
        ? `API/launch errors are not Region Unavailable; no evidence of ${rule.units} unreachable in two or more AZs`
        : `no evidence of ${rule.units} unreachable in two or more AZs`;
  return { eligible: false, reason: `${rule.label}: not claimable — ${why} (SLA: ${rule.slaText})` };
}

/** A scope the rule kept from becoming a claim, as reported by ingest and `process`. */
export interface NotEligible {
  account: string;
  slaId: string;
  region: string;
  eventArn: string;
  reason: string;
}
