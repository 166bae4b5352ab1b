/** handlers/wiring.ts: deps built once per instance, a failed build retried (and logged), clients replaceable. */
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
const { clients, lambda, logger, once } = await import('../../handlers/wiring.ts');

describe('the wiring', () => {
  it('builds a value once, forgets a failed build, and lets tests replace it', async () => {
    let builds = 0;
    const value = once(() => ++builds);
    expect([value(), value()]).toEqual([1, 1]);
    value.set(41);
    expect(value()).toBe(41);
    value.set(undefined);
    expect(value()).toBe(2);

    let attempts = 0;
    const flaky = once(async () => {
      if (++attempts === 1) throw new Error('SSM down');
      return 'contract';
    });
    await expect(flaky()).rejects.toThrow('SSM down');
    expect(await flaky()).toBe('contract');
    expect(await flaky()).toBe('contract');
    expect(attempts).toBe(2);
  });

  it('wraps a use case: deps resolved on the first invocation and reused; a misconfiguration is logged and retried', async () => {
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    let builds = 0;
    const handler = lambda('demo', () => {
      if (++builds === 1) throw new Error('TABLE_NAME environment variable is not set');
      return { greeting: 'hello' };
    }, async (event: { name: string }, deps) => `${deps.greeting} ${event.name}`);
    await expect(handler({ name: 'a' })).rejects.toThrow('TABLE_NAME');
    expect(error).toHaveBeenCalledWith('demo is misconfigured', { error: 'TABLE_NAME environment variable is not set' });
    expect(await handler({ name: 'b' })).toBe('hello b');
    expect(await handler({ name: 'c' })).toBe('hello c');
    expect(builds).toBe(2);
    error.mockRestore();
  });

  it('builds no AWS client before it is used', async () => {
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    // The table client is built on first use: without TABLE_NAME, only then does it fail, naming the variable.
    expect(() => clients.db()).toThrow('TABLE_NAME environment variable is not set');
    process.env.TABLE_NAME = 'wiring-test';
    expect(clients.db().tableName).toBe('wiring-test');
    clients.db().client.destroy();
    clients.db.set(undefined);
    if (saved === undefined) delete process.env.TABLE_NAME;
    else process.env.TABLE_NAME = saved;
  });
});
