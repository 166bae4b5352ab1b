import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runUnder(tz: string, args: string[]): string {
  return execFileSync(process.execPath, args, { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
}

describe('time zone independence', () => {
  it('gives identical credit results under UTC, America/New_York and Asia/Kolkata', () => {
    const outputs = ['UTC', 'America/New_York', 'Asia/Kolkata'].map((tz) => runUnder(tz, ['bin/run-ts.js', 'tests/fixtures/tz-probe.ts']));
    const parsed = JSON.parse(outputs[0]!) as { results: unknown[] };
    expect(parsed.results).toHaveLength(300);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });
});
