/**
 * Safe text for untrusted values (parse errors, quarantine reasons, logs). Nothing here recurses on the input:
 * a payload nested 100 000 levels deep (JSON.parse accepts it; JSON.stringify and String() overflow the stack at a
 * few thousand levels) is walked with an explicit stack.
 */

/** Nesting shown by {@link describeValue} before `…` stands for the rest. */
export const DESCRIBE_MAX_DEPTH = 8;
/** Characters of {@link describeValue} output (a reason names the value; it does not carry it). */
export const DESCRIBE_MAX_CHARS = 120;

/**
 * A short JSON-like rendering of any value: depth-limited, length-bounded (at most `maxChars` characters), never
 * throws, never recurses. `undefined` is "nothing"; strings are JSON-quoted.
 */
export function describeValue(value: unknown, maxChars = DESCRIBE_MAX_CHARS, maxDepth = DESCRIBE_MAX_DEPTH): string {
  if (value === undefined) return 'nothing';
  let out = '';
  // Work list of text pieces and values still to render, consumed from the end.
  const work: Array<{ text: string } | { value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (work.length > 0 && out.length <= maxChars) {
    const item = work.pop()!;
    if ('text' in item) {
      out += item.text;
      continue;
    }
    const { value: v, depth } = item;
    if (v === null || typeof v === 'number' || typeof v === 'boolean') out += String(v);
    else if (typeof v === 'string') out += JSON.stringify(v.length > maxChars ? v.slice(0, maxChars) : v);
    else if (typeof v === 'bigint') out += `${v}n`;
    else if (v === undefined) out += 'undefined';
    else if (typeof v === 'function' || typeof v === 'symbol') out += `[${typeof v}]`;
    else if (v instanceof Date) out += Number.isNaN(v.getTime()) ? 'Invalid Date' : JSON.stringify(v.toISOString());
    else if (Array.isArray(v)) {
      if (depth >= maxDepth) {
        out += v.length ? '[…]' : '[]';
        continue;
      }
      // Only as many elements as could still fit (each takes at least one character).
      const shown = Math.min(v.length, maxChars - out.length + 1);
      const parts: typeof work = [{ text: '[' }];
      for (let i = 0; i < shown; i++) {
        if (i > 0) parts.push({ text: ',' });
        parts.push({ value: v[i], depth: depth + 1 });
      }
      parts.push({ text: shown < v.length ? ',…]' : ']' });
      work.push(...parts.reverse());
    } else {
      const entries: string[] = [];
      try {
        for (const key in v as object) {
          if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
          entries.push(key);
          if (entries.length > maxChars - out.length) break;
        }
      } catch {
        out += '[object]';
        continue;
      }
      if (depth >= maxDepth) {
        out += entries.length ? '{…}' : '{}';
        continue;
      }
      const parts: typeof work = [{ text: '{' }];
      entries.forEach((key, i) => {
        if (i > 0) parts.push({ text: ',' });
        parts.push({ text: `${JSON.stringify(key.length > maxChars ? key.slice(0, maxChars) : key)}:` });
        let child: unknown;
        try {
          child = (v as Record<string, unknown>)[key];
        } catch {
          child = '[unreadable]';
        }
        parts.push({ value: child, depth: depth + 1 });
      });
      parts.push({ text: '}' });
      work.push(...parts.reverse());
    }
  }
  if (work.length > 0 || out.length > maxChars) return `${out.slice(0, maxChars - 1)}…`;
  return out;
}

/** Thrown by {@link jsonStringifyIterative} for what JSON cannot hold exactly (a cycle, a BigInt). */
export class NotSerialisableError extends Error {
  override readonly name = 'NotSerialisableError';
}

/**
 * `JSON.stringify(value)` without recursion: the same text for anything JSON.parse can produce (and for Dates and
 * other `toJSON` values), at any nesting depth. Returns undefined where JSON.stringify does (undefined, functions,
 * symbols at the top). Throws {@link NotSerialisableError} on a cycle or a BigInt.
 */
export function jsonStringifyIterative(value: unknown): string | undefined {
  const top = prepare(value, '');
  if (top === undefined) return undefined;
  const pieces: string[] = [];
  const onPath = new Set<object>();
  type Frame = { text: string } | { value: unknown } | { leave: object };
  const work: Frame[] = [{ value: top }];
  while (work.length > 0) {
    const frame = work.pop()!;
    if ('text' in frame) {
      pieces.push(frame.text);
      continue;
    }
    if ('leave' in frame) {
      onPath.delete(frame.leave);
      continue;
    }
    const v = frame.value;
    if (v === null || typeof v !== 'object') {
      pieces.push(primitive(v));
      continue;
    }
    if (onPath.has(v)) throw new NotSerialisableError('a cycle: the value refers to itself');
    onPath.add(v);
    const parts: Frame[] = [];
    if (Array.isArray(v)) {
      parts.push({ text: '[' });
      for (let i = 0; i < v.length; i++) {
        if (i > 0) parts.push({ text: ',' });
        const child = prepare(v[i], String(i));
        parts.push(child === undefined ? { text: 'null' } : { value: child });
      }
      parts.push({ text: ']' });
    } else {
      parts.push({ text: '{' });
      let first = true;
      for (const key of Object.keys(v)) {
        const child = prepare((v as Record<string, unknown>)[key], key);
        if (child === undefined) continue;
        parts.push({ text: `${first ? '' : ','}${JSON.stringify(key)}:` });
        parts.push({ value: child });
        first = false;
      }
      parts.push({ text: '}' });
    }
    parts.push({ leave: v });
    work.push(...parts.reverse());
  }
  return pieces.join('');
}

/** What JSON.stringify would serialise for one value: toJSON applied, boxed primitives unboxed, undefined = skip. */
function prepare(value: unknown, key: string): unknown {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: (k: string) => unknown }).toJSON(key);
  }
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (typeof v === 'bigint') throw new NotSerialisableError('a BigInt');
  return v;
}

function primitive(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return JSON.stringify(v);
}

/** Truncates to at most `maxBytes` of UTF-8 without splitting a character; marks the cut. */
export function boundUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const suffix = ` … (truncated from ${Buffer.byteLength(text, 'utf8')} bytes)`;
  const budget = Math.max(0, maxBytes - Buffer.byteLength(suffix, 'utf8'));
  const buf = Buffer.from(text, 'utf8');
  let end = Math.min(budget, buf.length);
  // Step back over UTF-8 continuation bytes (10xxxxxx) so the cut falls between characters.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8') + suffix;
}
