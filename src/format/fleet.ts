/**
 * How a fleet claim (one claim covering many resources, in parts of resources hit by the same incidents) is shown to
 * people, pure and shared by Slack, the CLI and the summary: a count with its noun, the first parts with a few sample
 * resources each, and what is left out. Structural types, so this module imports nothing from the domain.
 */

/** Parts listed before "+ N more groups, M resources". */
export const SHOWN_PARTS = 5;
/** Sample resources listed per part before "+ N more". */
export const SHOWN_SAMPLES = 3;

/** "1 resource", "10,003 resources" (en-US grouping, as amounts are written). */
export function countText(count: number, singular = 'resource', plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}

export interface PartLike {
  resourceCount: number;
  /** The part's resources, or a sample of them (the first ones, sorted). */
  resources: readonly string[];
}

export interface ShownPart<P extends PartLike> {
  part: P;
  /** At most SHOWN_SAMPLES resources. */
  samples: string[];
  /** The part's resources not in `samples`. */
  moreResources: number;
}

export interface FleetOverview<P extends PartLike> {
  shown: ShownPart<P>[];
  /** Parts left out, and the resources they hold. */
  hiddenParts: number;
  hiddenResources: number;
}

/** The first `maxParts` parts (in their stored order: largest downtime first), each with its sample resources. */
export function fleetOverview<P extends PartLike>(parts: readonly P[], maxParts = SHOWN_PARTS, maxSamples = SHOWN_SAMPLES): FleetOverview<P> {
  const shown = parts.slice(0, maxParts).map((part) => {
    const samples = part.resources.slice(0, maxSamples);
    return { part, samples, moreResources: Math.max(0, part.resourceCount - samples.length) };
  });
  const hidden = parts.slice(maxParts);
  return { shown, hiddenParts: hidden.length, hiddenResources: hidden.reduce((n, p) => n + p.resourceCount, 0) };
}

/** "+ 3 more groups, 12 resources" (empty when nothing is hidden). */
export function hiddenPartsText(overview: { hiddenParts: number; hiddenResources: number }): string {
  if (overview.hiddenParts === 0) return '';
  return `+ ${countText(overview.hiddenParts, 'more group', 'more groups')}, ${countText(overview.hiddenResources)}`;
}

const ARN_RE = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/s;

/**
 * The resource part of an ARN ("instance/i-0abc" of arn:aws:ec2:us-east-1:123456789012:instance/i-0abc), other ids
 * unchanged: a fleet's resources share its account, Region and service, which the claim already shows.
 */
export function resourcePart(id: string): string {
  return ARN_RE.exec(id)?.[1] ?? id;
}

/** A short form of a fleet resource for a sample list: its resource part, cut from the front past `max`. */
export function sampleId(id: string, max = 64): string {
  return shortId(resourcePart(id), max);
}

/** A long id (an ARN) cut from the front, keeping its distinguishing end: "…instance/i-0abc". */
export function shortId(id: string, max = 64): string {
  if (id.length <= max) return id;
  const tail = id.slice(-(max - 1));
  // Do not start with the second half of a surrogate pair.
  return `…${/^[\uDC00-\uDFFF]/.test(tail) ? tail.slice(1) : tail}`;
}
