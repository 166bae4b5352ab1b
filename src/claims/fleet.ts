/**
 * Fleet claims, pure: a resource-level SLA's claim covers every affected resource of one account, SLA, Region and
 * month (one Slack message, one AWS Support case), and credits each resource on its own downtime. Resources touched
 * by the same incidents share one downtime, so the claim is computed once per such part, not once per resource.
 *
 * Full resource lists live in content-addressed items (the id is a hash of the list): writing one twice writes the
 * same thing, so they need no condition and no version, and a claim or window only names them.
 */
import { createHash } from 'node:crypto';
import type { WindowMap } from './types.ts';

/** Resources a claim, window or part shows inline; past this the full list is in resource-list items. */
export const INLINE_RESOURCES = 20;
/** Bytes of resource ids per resource-list item (an item stops at 400 KB; ids are bounded at 1 600 characters). */
export const RESOURCE_CHUNK_BYTES = 200 * 1024;

export interface ResourceChunk {
  /** `sha256` of the list, hex (64 characters). */
  id: string;
  resources: string[];
}

/** The resource-list items of a sorted, deduplicated list, in order (the same list always gives the same ids). */
export function resourceChunksOf(sorted: readonly string[]): ResourceChunk[] {
  const chunks: ResourceChunk[] = [];
  let current: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length === 0) return;
    chunks.push({ id: createHash('sha256').update(JSON.stringify(current)).digest('hex'), resources: current });
    current = [];
    bytes = 0;
  };
  for (const r of sorted) {
    const size = Buffer.byteLength(r, 'utf8') + 3;
    if (bytes + size > RESOURCE_CHUNK_BYTES) flush();
    current.push(r);
    bytes += size;
  }
  flush();
  return chunks;
}

/** Sorted and deduplicated (code-unit order, the same in every locale). */
export function sortedResources(resources: Iterable<string>): string[] {
  return [...new Set(resources)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** What a window or part stores of a resource list: a sample and, when the sample is not all of it, the chunks. */
export function listRef(sorted: readonly string[]): { resources: string[]; resourceCount: number; chunks?: ResourceChunk[] } {
  if (sorted.length <= INLINE_RESOURCES) return { resources: [...sorted], resourceCount: sorted.length };
  return { resources: sorted.slice(0, INLINE_RESOURCES), resourceCount: sorted.length, chunks: resourceChunksOf(sorted) };
}

export interface PartitionPart {
  /** Sorted incident keys. */
  incidents: string[];
  /** Sorted resources. */
  resources: string[];
}

export class MissingResourceListError extends Error {
  override readonly name = 'MissingResourceListError';
}

/**
 * The fleet's resources grouped by the set of incidents that touched them. `windows`: those counting in the month;
 * `lists`: the full list of every window that names chunks (by incident key). Parts come sorted by their first
 * resource, so the same windows always give the same parts.
 */
export function partitionFleet(windows: WindowMap, lists: ReadonlyMap<string, readonly string[]>): PartitionPart[] {
  const keys = Object.keys(windows).sort();
  const listOf = (key: string): readonly string[] => {
    const w = windows[key]!;
    if (!w.resourceChunks?.length) return w.affectedResources;
    const full = lists.get(key);
    if (!full) throw new MissingResourceListError(`window ${key}: its resource list (${w.resourceChunks.length} chunks) was not read`);
    return full;
  };
  if (keys.length === 1) return [{ incidents: keys, resources: sortedResources(listOf(keys[0]!)) }];
  const incidentsOf = new Map<string, string[]>();
  for (const key of keys) {
    for (const r of listOf(key)) {
      const list = incidentsOf.get(r);
      if (!list) incidentsOf.set(r, [key]);
      else if (list[list.length - 1] !== key) list.push(key);
    }
  }
  const bySet = new Map<string, PartitionPart>();
  for (const r of sortedResources(incidentsOf.keys())) {
    const incidents = incidentsOf.get(r)!;
    const setKey = incidents.join('\n');
    const part = bySet.get(setKey);
    if (part) part.resources.push(r);
    else bySet.set(setKey, { incidents, resources: [r] });
  }
  return [...bySet.values()];
}
