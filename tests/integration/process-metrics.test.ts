/** `sla-claims process … --metrics FILE` end to end on DynamoDB Local: measured and estimated claims side by side. */
import { describe, expect, inject, it } from 'vitest';
import { processCommand } from '../../src/cli/process-command.ts';
import { freshDb } from '../helpers/db.ts';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const start = async () => {
    const db = await freshDb('process-metrics');
    return { db, endpoint: inject('dynamoEndpoint'), port: 0, stop: async () => db.client.destroy() };
  };
  const code = await processCommand(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, start);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sla-claims process --metrics', () => {
  it('computes the covered scope from its metrics and marks the rest as estimates', async () => {
    const args = ['events/demo', '--contract', 'config/contract.example.yml', '--spend', 'config/spend.example.csv', '--now', '2025-10-22T00:00:00Z'];
    const measured = await run([...args, '--metrics', 'events/demo/metrics-2025-10-20.csv']);
    expect(measured.code).toBe(0);
    expect(measured.out).toMatch(/123456789012 +dynamodb ⚠ +us-east-1 +2025-10 +70\.226 +99\.8427 +10 % +\$500\.00 +yes .* measured$/m);
    expect(measured.out).toMatch(/210987654321 +dynamodb ⚠ +us-east-1 +2025-10 +172 +99\.6147 +10 % +\$1,245\.08 +yes .* estimate$/m);
    expect(measured.out).toMatch(/123456789012 +lambda .* estimate$/m);
    expect(measured.out).toContain('123456789012 dynamodb us-east-1 2025-10: measured from your CloudWatch metrics: 58 5-minute intervals of 2 resources; 32 with errors, 70.23 min of downtime');
    expect(measured.out).toMatch(/^basis: measured = computed from your CloudWatch metrics/m);

    const plain = await run(args);
    expect(plain.out).toMatch(/123456789012 +dynamodb ⚠ +us-east-1 +2025-10 +172 +99\.6147 +10 % +\$500\.00 +yes .* estimate$/m);
    expect(plain.out).not.toMatch(/ measured$/m);
  });
});
