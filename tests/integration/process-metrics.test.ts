/** `sla-claims process … --metrics FILE` end to end on DynamoDB Local: measured and estimated claims side by side. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it("measures a fleet claim (3 instances, one incident) from its instances' rows: a minute counts when all three were down", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-fleet-metrics-'));
    const event = JSON.parse(readFileSync('events/account-specific-instance-issue-backup-delivery.json', 'utf8'));
    const ids = ['i-0a', 'i-0b', 'i-0c'];
    event.region = 'us-east-1';
    event.resources = ids;
    delete event.detail.backupEvent;
    Object.assign(event.detail, { eventRegion: 'us-east-1', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', eventArn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/FLEET1', statusCode: 'closed', affectedEntities: ids.map((entityValue) => ({ entityValue, tags: { stage: 'prod' } })) });
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
    // Window 05:01:10–05:30:57; i-0a and i-0b down 05:02–05:22, i-0c 05:02–05:12.
    const down: Record<string, number> = { 'i-0a': 20, 'i-0b': 20, 'i-0c': 10 };
    const rows = ids.flatMap((id) =>
      Array.from({ length: 80 }, (_, k) => {
        const t = Date.parse('2022-06-03T04:30:00Z') + k * 60_000;
        const from = Date.parse('2022-06-03T05:02:00Z');
        return `123456789012,us-east-1,AWS/EC2,StatusCheckFailed_System,InstanceId=${id},${new Date(t).toISOString().replace('.000Z', 'Z')},${t >= from && t < from + down[id]! * 60_000 ? 1 : 0}`;
      }),
    );
    writeFileSync(join(dir, 'm.csv'), ['account,region,namespace,metric,dimensions,timestamp,value', ...rows].join('\n'));
    const args = [join(dir, 'event.json'), '--contract', 'config/contract.example.yml', '--now', '2022-06-10T00:00:00Z'];
    const measured = await run([...args, '--metrics', join(dir, 'm.csv')]);
    expect(measured.code).toBe(0);
    expect(measured.out).toMatch(/123456789012 +ec2-instance ⚠ +us-east-1 · 3 resources +2022-06 +10 +99\.9769 .* measured$/m);
    expect(measured.out).toContain('123456789012 ec2-instance us-east-1 · 3 resources 2022-06: measured from your CloudWatch metrics: 80 1-minute periods of 3 resources; 10 with the resources Unavailable, 10 min of downtime');
    expect((await run(args)).out).toMatch(/123456789012 +ec2-instance ⚠ +us-east-1 · 3 resources +2022-06 +30 .* estimate$/m);
  });
});
