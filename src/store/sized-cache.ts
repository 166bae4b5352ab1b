/**
 * A process-memory cache bounded in entries and bytes (JSON size), least recently used out first; a value larger
 * than `entryBytes` is not kept. Shared by the claim and incident caches (claim-cache.ts, incident-cache.ts).
 */
export interface SizedCacheLimits {
  entries: number;
  bytes: number;
  entryBytes: number;
}

export class SizedCache<V> {
  /** A Map keeps insertion order: the least recently used entry comes first. */
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(private readonly limits: SizedCacheLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, e);
    return e.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keeps `value` under `key` (replacing what was there); null only forgets the key. */
  set(key: string, value: V | null): void {
    this.forget(key);
    if (value === null) return;
    const bytes = JSON.stringify(value).length;
    if (bytes > this.limits.entryBytes) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [old, e] of this.entries) {
      if (this.entries.size <= this.limits.entries && this.bytes <= this.limits.bytes) break;
      this.entries.delete(old);
      this.bytes -= e.bytes;
    }
  }

  forget(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }
}
