/** An in-memory ResourceListStore for unit-test fakes of the claim store (the real one: src/store/resource-list-store.ts). */
import type { ResourceChunk } from '../../src/claims/fleet.ts';
import type { ResourceListStore } from '../../src/pipeline/ports.ts';

export function memoryResourceLists(): ResourceListStore & { lists: Map<string, string[]> } {
  const lists = new Map<string, string[]>();
  return {
    lists,
    async putResourceLists(chunks: readonly ResourceChunk[]) {
      for (const c of chunks) lists.set(c.id, [...c.resources]);
    },
    async getResourceLists(ids: readonly string[]) {
      return new Map(ids.filter((id) => lists.has(id)).map((id) => [id, lists.get(id)!]));
    },
  };
}
