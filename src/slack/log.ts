/** The logging the Slack use cases need (Powertools' Logger fits it). Never pass secrets, bodies or headers. */
export interface SlackLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export const silentLogger: SlackLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
