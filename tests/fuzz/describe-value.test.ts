/** src/util/describe-value.ts: safe on any input, exact where it must be. */
import { describe, expect, it } from 'vitest';
import { boundUtf8, describeValue, jsonStringifyIterative, NotSerialisableError } from '../../src/util/describe-value.ts';
import { rawText } from '../../src/pipeline/quarantine.ts';
import { deepArray, deepObject } from './mutate.ts';

describe('describeValue', () => {
  it('renders deep values without overflowing the stack, bounded in length', () => {
    for (const v of [deepArray(100_000), deepObject(100_000), Array.from({ length: 1e6 }, () => 'x'), 'y'.repeat(1e6)]) {
      const text = describeValue(v);
      expect(text.length).toBeLessThanOrEqual(120);
      expect(text).toContain('…');
    }
    expect(describeValue(deepArray(3))).toBe('[[["x"]]]');
  });
  it('names small values exactly', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue('Mon, 20 Oct')).toBe('"Mon, 20 Oct"');
    expect(describeValue({ a: [1, null, true] })).toBe('{"a":[1,null,true]}');
  });
});

describe('jsonStringifyIterative', () => {
  it('gives JSON.stringify’s text for what JSON.parse produces, at any depth', () => {
    const samples = [{ a: 1, b: [1, 'é€😀', null, { c: false }], d: '\u2028\ud800' }, [], {}, 'x', 1.5e-7, [undefined, () => 1], { u: undefined, t: new Date(0) }];
    for (const s of samples) expect(jsonStringifyIterative(s)).toBe(JSON.stringify(s));
    const deep = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;
    expect(jsonStringifyIterative(JSON.parse(deep))).toBe(deep);
  });
  it('refuses a cycle or a BigInt by name (and the quarantine stores a labelled stand-in)', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => jsonStringifyIterative(cyclic)).toThrow(NotSerialisableError);
    expect(() => jsonStringifyIterative({ n: 1n })).toThrow(/BigInt/);
    const stored = rawText(cyclic);
    expect(stored.text).toMatch(/^\[sla-claims: raw payload not serialisable as JSON \(a cycle/);
    expect(stored.note).toMatch(/bounded description/);
  });
});

describe('boundUtf8', () => {
  it('cuts between characters, within the byte budget, and says so', () => {
    const cut = boundUtf8('€'.repeat(5000), 1024);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1024);
    expect(cut).toMatch(/^€+ … \(truncated from 15000 bytes\)$/);
    expect(boundUtf8('short', 1024)).toBe('short');
  });
});
