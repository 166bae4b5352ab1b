/**
 * The one logging port of the application: use cases and adapters log through it; handlers/wiring.ts passes the
 * Lambda's Powertools Logger (which fits it), the CLI and tests pass their own. Never log secrets, bodies or headers.
 */
export interface Log {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLog: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** For local tools without a Lambda logger: warnings and errors to stderr, the rest dropped. */
export const stderrLog: Log = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, extra) => console.warn(message, extra ?? {}),
  error: (message, extra) => console.error(message, extra ?? {}),
};
