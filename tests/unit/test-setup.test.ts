/** The test run itself: a passing `npm test` prints the report, not the handlers' JSON logs. */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => vi.restoreAllMocks());

describe('test setup', () => {
  it('silences the Powertools loggers (a test that reads them sets its own level)', () => {
    expect(process.env.POWERTOOLS_LOG_LEVEL).toBe('SILENT');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const logger = new Logger({ serviceName: 'sla-claims' });
    logger.info('info');
    logger.error('error', new Error('with a stack trace'));
    expect(written).toEqual([]);
  });
});
