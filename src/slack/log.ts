import type { Log } from '../util/log.ts';
/** The logging the Slack use cases need (Powertools' Logger fits it). Never pass secrets, bodies or headers. */
export type SlackLogger = Pick<Log, 'info' | 'warn' | 'error'>;

export const silentLogger: SlackLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
