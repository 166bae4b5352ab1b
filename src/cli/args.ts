/** Small helpers shared by the CLI commands: usage errors, option parsing and instant parsing. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DateTime } from 'luxon';

/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** node:util's code when the error comes from parseArgs (ERR_PARSE_ARGS_UNKNOWN_OPTION, …). */
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs, strict, with its errors turned into one-line usage errors that list the valid options
 * (its own message only names the bad one and suggests `--`).
 */
export function parseOptions<const O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw error;
    const valid = Object.entries(options).map(([name, o]) => (o.type === 'string' ? `--${name} VALUE` : `--${name}`));
    const first = ((error as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
    throw new UsageError(`${first}; valid options: ${valid.join(', ')}`, code);
  }
}

/** A date, a time and an explicit zone: 2025-10-20T06:48Z, 2025-10-20T06:48:00.5+02:00, 2025-10-20 06:48:00+0530. */
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * An ISO-8601 instant with a time and an explicit zone (Z or ±hh:mm), as epoch ms. A date alone or a time without a
 * zone is refused: it would be read in the machine's time zone.
 */
export function parseInstant(text: string, field: string): number {
  if (!INSTANT.test(text.trim())) {
    throw new UsageError(`${field}: expected an ISO-8601 instant with a time zone, like 2025-10-20T06:48:00Z (got ${JSON.stringify(text)})`);
  }
  const parsed = DateTime.fromISO(text.trim().replace(' ', 'T'), { setZone: true });
  if (!parsed.isValid) {
    throw new UsageError(`${field}: not a valid ISO-8601 instant: ${parsed.invalidExplanation ?? parsed.invalidReason} (got ${JSON.stringify(text)})`);
  }
  return parsed.toMillis();
}

export interface OutageArg {
  startMs: number;
  endMs: number | null;
}

/** START/END, or START/ for an outage still open. */
export function parseOutage(text: string, index: number): OutageArg {
  const field = `--outage #${index + 1}`;
  const slash = text.indexOf('/');
  if (slash < 0) throw new UsageError(`${field}: expected START/END (ISO-8601 instants; END empty while open) (got ${JSON.stringify(text)})`);
  const startMs = parseInstant(text.slice(0, slash), `${field} start`);
  const endText = text.slice(slash + 1);
  const endMs = endText.trim() === '' ? null : parseInstant(endText, `${field} end`);
  if (endMs !== null && endMs < startMs) {
    throw new UsageError(`${field}: END ${endText} is before START ${text.slice(0, slash)}`);
  }
  return { startMs, endMs };
}

/**
 * `--charges -5` would make node:util parseArgs stop with "argument is ambiguous"; join such pairs into
 * `--charges=-5` so the option's own validation can name the field and the value.
 */
export function joinNegativeValues(argv: readonly string[], options: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (options.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
