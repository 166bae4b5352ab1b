/** The README's promises that code can check: the generated SLA table and the quick start. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replaceTable } from '../../scripts/sla-table.ts';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('shows the SLA catalog table generated from the data (run scripts/sla-table.ts --write after changing it)', () => {
    expect(replaceTable(readme)).toBe(readme);
  });

  it('gives the two-line quick start, and .ci/run calls the same test command', () => {
    const quickStart = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n');
    expect(quickStart).toEqual(['npm install && npm start', 'npm test']);
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test\b/m);
  });
});
