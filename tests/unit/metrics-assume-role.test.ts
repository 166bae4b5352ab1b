import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AssumedRoleMetricsAccess, REFRESH_BEFORE_MS } from '../../src/metrics/assume-role.ts';
import type { CloudWatchApi } from '../../src/metrics/ports.ts';
import type { Log } from '../../src/util/log.ts';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

function recordingLog() {
  const lines: string[] = [];
  const log: Log = { debug: () => {}, info: () => {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  return { log, lines };
}

const creds = (expiresMs: number, key = 'AKIA1') => ({ Credentials: { AccessKeyId: key, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(expiresMs) } });
const fakeCloudWatch = (): CloudWatchApi => ({ getMetricData: async () => ({}), listMetrics: async () => ({}) });

describe('member-account metrics role (sts:AssumeRole)', () => {
  it('assumes arn:aws:iam::<account>:role/<name> once and caches the credentials until 5 minutes before they expire', async () => {
    let now = Date.parse('2025-10-20T08:00:00Z');
    sts.on(AssumeRoleCommand).resolvesOnce(creds(now + 3600_000, 'AKIA1')).resolvesOnce(creds(now + 7200_000, 'AKIA2'));
    const built: Array<() => Promise<unknown>> = [];
    const access = new AssumedRoleMetricsAccess(new STSClient({ region: 'us-east-1' }), {
      roleName: 'sla-claims-metrics-reader',
      log: recordingLog().log,
      now: () => now,
      cloudWatchFor: (_region, provider) => {
        built.push(provider);
        return fakeCloudWatch();
      },
    });
    expect((await access.forAccount('111111111111', 'us-east-1')).ok).toBe(true);
    expect((await access.forAccount('111111111111', 'us-east-1')).ok).toBe(true);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({ RoleArn: 'arn:aws:iam::111111111111:role/sla-claims-metrics-reader', DurationSeconds: 3600 });
    expect(built).toHaveLength(1); // one client per account and Region
    expect(await built[0]!()).toMatchObject({ accessKeyId: 'AKIA1', sessionToken: 't' });
    now += 3600_000 - REFRESH_BEFORE_MS + 1; // under 5 minutes left
    expect(await built[0]!()).toMatchObject({ accessKeyId: 'AKIA2' });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('a missing or denied role (AccessDenied) gives one log line, ok: false for every claim, and no throw', async () => {
    const denied = Object.assign(new Error('User: arn:aws:sts::999999999999:assumed-role/sla-claims-prod-metrics-collect/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/sla-claims-metrics-reader'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    sts.on(AssumeRoleCommand).rejects(denied);
    const { log, lines } = recordingLog();
    const access = new AssumedRoleMetricsAccess(new STSClient({ region: 'us-east-1' }), { roleName: 'sla-claims-metrics-reader', log, cloudWatchFor: fakeCloudWatch });
    const first = await access.forAccount('222222222222', 'us-east-1');
    const second = await access.forAccount('222222222222', 'eu-west-1');
    expect(first).toEqual({ ok: false, reason: expect.stringContaining('role arn:aws:iam::222222222222:role/sla-claims-metrics-reader cannot be assumed (AccessDenied: User:') });
    expect(second.ok).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^measured evidence: account 222222222222: role .* cannot be assumed .*; its claims stay health-window/);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('a transient STS failure is not a refusal: it throws (the claim is tried again next run) and is not cached', async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })).resolves(creds(Date.now() + 3600_000));
    const access = new AssumedRoleMetricsAccess(new STSClient({ region: 'us-east-1' }), { roleName: 'r', log: recordingLog().log, cloudWatchFor: fakeCloudWatch });
    await expect(access.forAccount('333333333333', 'us-east-1')).rejects.toThrow('socket hang up');
    expect((await access.forAccount('333333333333', 'us-east-1')).ok).toBe(true);
  });

  it('uses the partition in the role ARN', () => {
    const access = new AssumedRoleMetricsAccess(new STSClient({ region: 'cn-north-1' }), { roleName: 'r', partition: 'aws-cn', log: recordingLog().log });
    expect(access.roleArn('444444444444')).toBe('arn:aws-cn:iam::444444444444:role/r');
  });
});
