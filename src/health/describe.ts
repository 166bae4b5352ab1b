/**
 * A short, safe rendering of an arbitrary raw value for error messages and parse notes.
 *
 * JSON-like (the same text as `JSON.stringify` for small values), but bounded: at most `maxChars` characters,
 * containers deeper than {@link MAX_DEPTH} shown as `[…]`/`{…}`, and never more work than the budget needs, so a
 * 5 000-deep array or a 1 MB string cannot overflow the stack or bloat a stored item.
 * (Local form: swap for the shared `src/util` helper once it exists.)
 */
const MAX_DEPTH = 8;

export function describeValue(value: unknown, maxChars = 120): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = render(value, 0, maxChars + 1) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > maxChars ? `${text.slice(0, maxChars - 3)}…` : text;
}

/** JSON text of `v` (undefined where JSON.stringify would omit it), cut once longer than `budget`. */
function render(v: unknown, depth: number, budget: number): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v.length > budget ? v.slice(0, budget) : v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  const obj = v as { toJSON?: unknown };
  if (typeof obj.toJSON === 'function') {
    const json: unknown = (obj.toJSON as () => unknown)();
    return typeof json === 'object' && json !== null ? render(json, depth + 1, budget) : render(json, depth, budget);
  }
  const isArray = Array.isArray(v);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (depth >= MAX_DEPTH) return `${open}…${close}`;
  let out = open;
  let first = true;
  const keys = isArray ? undefined : Object.keys(v);
  const length = isArray ? (v as unknown[]).length : keys!.length;
  for (let i = 0; i < length; i++) {
    if (out.length > budget) return `${out}…`;
    const key = keys?.[i];
    const item = isArray ? (v as unknown[])[i] : (v as Record<string, unknown>)[key!];
    const text = render(item, depth + 1, budget - out.length);
    if (text === undefined && !isArray) continue;
    out += `${first ? '' : ','}${isArray ? '' : `${JSON.stringify(key)}:`}${text ?? 'null'}`;
    first = false;
  }
  return out + close;
}
