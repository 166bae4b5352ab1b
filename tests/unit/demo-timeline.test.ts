/**
 * Issue 10, rule 5: the demo replay (events/demo/2025-10-20-us-east-1.json, written by scripts/make-demo-events.ts)
 * follows AWS's post-event summary of 20 October 2025 (https://aws.amazon.com/message/101925/), in UTC:
 * EC2 API/launch errors 06:48–20:50, Lambda 06:51–21:15, STS 06:51–08:19 and 15:31–16:59, NLB 12:30–21:09,
 * DynamoDB 06:48–09:40. The windows are derived from the replay's updates exactly as ingest derives them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceStatusLists } from '../../src/health/service-status.ts';
import { parseEventBridgeHealthEvent } from '../../src/health/parse.ts';
import { newestState, toEntry, type IncidentRecord } from '../../src/pipeline/incidents.ts';
import { serviceWindow } from '../../src/pipeline/windows.ts';

const raw = JSON.parse(readFileSync('events/demo/2025-10-20-us-east-1.json', 'utf8')) as unknown[];
const events = raw.map((r) => parseEventBridgeHealthEvent(r));
const multi = events.filter((e) => e.rawService === 'MULTIPLE_SERVICES' && e.account === '123456789012');

function periods(service: string): string[] {
  const record: IncidentRecord = {
    account: multi[0]!.account,
    eventArn: multi[0]!.eventArn,
    months: [],
    updates: multi.map((e) => {
      const lists = serviceStatusLists(e.description);
      return toEntry(e, lists.recovered, lists.impacted);
    }),
  };
  const w = serviceWindow(newestState(record)!, record.updates, service);
  const hhmm = (ms: number | null) => (ms === null ? 'open' : new Date(ms).toISOString().slice(11, 16));
  return (w.periods ?? [w]).map((p) => `${hhmm(p.startMs)}–${hhmm(p.endMs)}`);
}

describe('the 20 October 2025 demo replay follows the published timeline', () => {
  it('is one MULTIPLE_SERVICES event updated many times, out of order, to two accounts and the backup Region', () => {
    expect(new Set(multi.map((e) => e.eventArn)).size).toBe(1);
    expect(new Set(events.map((e) => e.account))).toEqual(new Set(['123456789012', '210987654321']));
    expect(multi.some((e) => e.backupEvent)).toBe(true);
    const times = multi.filter((e) => !e.backupEvent).map((e) => e.lastUpdatedTime);
    expect(times).not.toEqual([...times].sort());
  });

  it.each([
    ['DYNAMODB', ['06:48–09:40']],
    ['EC2', ['06:48–20:50']],
    ['LAMBDA', ['06:51–21:15']],
    ['STS', ['06:51–08:19', '15:31–16:59']],
    ['ELASTICLOADBALANCING', ['12:30–21:09']],
    ['FARGATE', ['09:40–21:20']],
  ])('%s: %j', (service, expected) => {
    expect(periods(service)).toEqual(expected);
  });

  it('the account-specific Network Load Balancer event runs 12:30–21:09', () => {
    const nlb = events.filter((e) => e.rawService === 'ELASTICLOADBALANCING' && e.statusCode === 'closed');
    expect(nlb.map((e) => [e.startTime, e.endTime])[0]).toEqual(['2025-10-20T12:30:00.000Z', '2025-10-20T21:09:00.000Z']);
  });

  it('EC2 is described as launch and API errors with running instances unaffected (no Region Unavailable evidence)', () => {
    const text = multi.map((e) => e.description).join('\n');
    expect(text).toMatch(/launches are still failing/);
    expect(text).toMatch(/running EC2 instances are not affected/);
  });
});
