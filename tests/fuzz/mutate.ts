/**
 * A small deterministic mutator for Health events (fixed seed, no dependencies): drops, duplicates and retypes
 * fields, and plants huge strings, unicode, deep nesting, long entity arrays, bad and far-future dates, numbers as
 * strings and nulls. Same seed, same corpus.
 */

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** A 5 000-deep array (or object): JSON.parse takes it, JSON.stringify / String() overflow the stack. */
export function deepArray(depth: number, leaf: Json = 'x'): Json {
  let v: Json = [leaf];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}
export function deepObject(depth: number): Json {
  let v: Json = { leaf: true };
  for (let i = 1; i < depth; i++) v = { n: v };
  return v;
}

/** Every path in a value, containers included (not into very large arrays: their first elements only). */
function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length > 12) return out;
  if (Array.isArray(value)) {
    value.slice(0, 4).forEach((v, i) => {
      out.push([...prefix, i]);
      paths(v, [...prefix, i], out);
    });
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push([...prefix, key]);
      paths(value[key] as Json, [...prefix, key], out);
    }
  }
  return out;
}

function parentOf(root: Json, path: Path): { parent: Json[] | Record<string, Json>; key: string | number } | undefined {
  let node: Json = root;
  for (const step of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, Json>)[step as string] as Json;
  }
  if (node === null || typeof node !== 'object') return undefined;
  return { parent: node as Record<string, Json>, key: path[path.length - 1]! };
}

function set(root: Json, path: Path, value: Json): void {
  const at = parentOf(root, path);
  if (at) (at.parent as Record<string, Json>)[at.key as string] = value;
}

function remove(root: Json, path: Path): void {
  const at = parentOf(root, path);
  if (!at) return;
  if (Array.isArray(at.parent)) at.parent.splice(at.key as number, 1);
  else delete at.parent[at.key as string];
}

function get(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, Json>)[step as string];
  }
  return node;
}

const UNICODE = ['€'.repeat(700), '😀'.repeat(300), 'a\u0000b', '\ud800', '\u202eevil', 'e\u0301'.repeat(200), '日本語のイベント', '\uFEFF', 'ＡＷＳ', '\n\t\r'];
const BAD_DATES = ['yesterday', 'Mon, 32 Oct 2025 06:48:00 GMT', 'Tue, 20 Oct 2025 06:48:00 GMT', '2025-13-01T00:00:00Z', '', '   ', '0', '2025-10-20', 'Mon, 20 Oct 2025 25:61:00 GMT', 'Thu 15 Dec 2022 23: 25: 00 GMT', '1e400'];
const FAR_FUTURE = ['Mon, 20 Oct 2096 10:48:00 GMT', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', 'Fri, 31 Dec 2100 00:00:00 GMT'];
const DATE_FIELDS = ['startTime', 'endTime', 'lastUpdatedTime'];

export interface Mutation {
  name: string;
  apply(event: Json, r: () => number): void;
}

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;
const detailOf = (e: Json): Record<string, Json> | undefined => {
  const d = (e as Record<string, Json> | null)?.detail;
  return d && typeof d === 'object' && !Array.isArray(d) ? d : undefined;
};

export const MUTATIONS: Mutation[] = [
  { name: 'drop', apply: (e, r) => { const ps = paths(e); if (ps.length) remove(e, pick(ps, r)); } },
  {
    name: 'duplicate',
    apply: (e, r) => {
      const ps = paths(e);
      if (ps.length < 2) return;
      const from = pick(ps, r);
      const to = pick(ps, r);
      if (to.length > from.length && from.every((s, i) => to[i] === s)) return; // no value inside itself
      const value = get(e, from) ?? null;
      // Shared, not cloned: a deep value would overflow structuredClone (the handler never mutates its input).
      set(e, to, value);
    },
  },
  { name: 'retype', apply: (e, r) => { const ps = paths(e); if (ps.length) set(e, pick(ps, r), pick<Json>([42, -1, 1e308, true, false, [], {}, 'string', [1, 2, 3], { a: 1 }], r)); } },
  { name: 'huge-string', apply: (e, r) => { const ps = paths(e); if (ps.length) set(e, pick(ps, r), pick(['A', '€', 'é', '😀'], r).repeat(20_000 + Math.floor(r() * 80_000))); } },
  { name: 'unicode', apply: (e, r) => { const ps = paths(e); if (ps.length) set(e, pick(ps, r), pick(UNICODE, r)); } },
  { name: 'deep-nesting', apply: (e, r) => { const ps = paths(e); if (ps.length) set(e, pick(ps, r), r() < 0.5 ? deepArray(5000) : deepObject(5000)); } },
  { name: 'bad-date', apply: (e, r) => { const d = detailOf(e); if (d) d[pick(DATE_FIELDS, r)] = pick(BAD_DATES, r); } },
  { name: 'far-future-date', apply: (e, r) => { const d = detailOf(e); if (d) d[pick(DATE_FIELDS, r)] = pick(FAR_FUTURE, r); } },
  {
    name: 'numbers-as-strings',
    apply: (e, r) => {
      const d = detailOf(e);
      const root = e as Record<string, Json>;
      const choice = Math.floor(r() * 5);
      if (choice === 0 && root) root.account = Number(root.account) || 123456789012;
      else if (choice === 1 && d) d.page = pick<Json>([1, '01', ' 1 ', '1.0', 0, '-1', 1e9], r);
      else if (choice === 2 && d) d.startTime = pick<Json>([1760942880, '1760942880', 1760942880000], r);
      else if (choice === 3 && d) d.backupEvent = pick<Json>([1, 0, 'yes', 'TRUE'], r);
      else if (d) d.affectedAccount = pick<Json>([123456789012, '0123456789012', '12345678901', 1.5], r);
    },
  },
  {
    name: 'null-everywhere',
    apply: (e, r) => {
      const share = r() < 0.3 ? 1 : 0.3;
      for (const p of paths(e)) if (r() < share && typeof get(e, p) !== 'object') set(e, p, null);
    },
  },
];

/** Many entities (uncovered EC2 instances, so the cost stays in parsing and storage, not in thousands of claims). */
export const LONG_ENTITIES: Mutation = {
  name: 'long-entities',
  apply: (e, r) => {
    const d = detailOf(e);
    if (!d) return;
    const n = 1000 + Math.floor(r() * 5000);
    const updated = pick<Json>(['Tue, 20 Oct 2025 06:48:00 GMT', '', null, 'garbage'], r);
    d.service = 'EC2';
    d.affectedEntities = Array.from({ length: n }, (_, i) => ({ entityValue: `i-${i.toString(16).padStart(17, '0')}`, lastUpdatedTime: updated, status: 'IMPAIRED' }));
  },
};

export interface FuzzCase {
  name: string;
  event: Json;
}

/** `count` mutants of the bases, 1–3 mutations each; one in 25 also gets a long entity array. */
export function corpus(bases: readonly { name: string; text: string }[], count: number, seed: number): FuzzCase[] {
  const r = rng(seed);
  const out: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const base = pick(bases, r);
    const event = JSON.parse(base.text) as Json;
    const applied: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      const m = pick(MUTATIONS, r);
      m.apply(event, r);
      applied.push(m.name);
    }
    if (r() < 0.04) {
      LONG_ENTITIES.apply(event, r);
      applied.push(LONG_ENTITIES.name);
    }
    out.push({ name: `#${i} ${base.name}: ${applied.join(' + ')}`, event });
  }
  return out;
}
