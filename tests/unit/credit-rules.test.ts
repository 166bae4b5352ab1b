/**
 * Issue 10: the Route 53 cap shown on the claim (rule 1 leftover) and the rules that must stay right (rule 8): the $1
 * minimum, the filing deadline and the caps. Sources: every AWS SLA page read says "A Service Credit will be
 * applicable and issued only if the credit amount for the applicable monthly billing cycle is greater than one dollar
 * ($1 USD)" and that the request "must be received by us by the end of the second billing cycle after which the
 * incident occurred" (e.g. https://aws.amazon.com/compute-optimizer/sla/, https://aws.amazon.com/cloud-directory/sla/).
 */
import { describe, expect, it } from 'vitest';
import { buildClaim } from '../../src/claims/build.ts';
import type { IncidentWindow } from '../../src/claims/types.ts';
import { computeCredit } from '../../src/credit/engine.ts';
import { claimDeadline } from '../../src/credit/month.ts';
import { getSla } from '../../src/sla/index.ts';
import { daySla, percentSla } from '../helpers/slas.ts';

const t = (iso: string) => Date.parse(iso);
const NOW = t('2026-03-01T00:00:00Z');
const hours = (iso: string, h: number) => ({ startMs: t(iso), endMs: t(iso) + h * 3_600_000 });

describe('Route 53: creditDays is the days actually credited, after the cap (rule 1)', () => {
  it('two 5-hour periods in February 2026 earn 30 + 30 days but credit 28, the month\'s days', () => {
    const r = computeCredit({
      sla: daySla(),
      month: '2026-02',
      outages: [hours('2026-02-03T00:00:00Z', 5), hours('2026-02-10T00:00:00Z', 5)],
      chargesCents: 28_000,
      nowMs: NOW,
    });
    expect(r).toMatchObject({ creditDays: 28, creditCents: 28_000, creditPercent: 100 });
    expect(r.tierText).toBe("2 periods: 300 min → 30 d, 300 min → 30 d = 60 days (credited at most 28 days, the month's charges)");
  });

  it('the claim shows the credited days, not the uncapped sum', () => {
    const sla = getSla('route53')!;
    const window = (startIso: string): IncidentWindow => ({
      eventArn: `arn:aws:health:global::event/ROUTE53/X/${startIso}`,
      service: 'ROUTE53',
      eventTypeCode: 'AWS_ROUTE53_OPERATIONAL_ISSUE',
      region: 'global',
      statusCode: 'closed',
      ...hours(startIso, 5),
      lastUpdatedMs: t(startIso) + 5 * 3_600_000,
      description: 'DNS resolution errors',
      affectedResources: [],
      affectedResourceCount: 0,
    });
    const claim = buildClaim({
      scope: { scopeKey: '111122223333#route53#global', account: '111122223333', slaId: 'route53', region: 'global', resource: null, service: 'ROUTE53' },
      sla,
      negotiated: false,
      month: '2025-11',
      windows: { a: window('2025-11-03T00:00:00Z'), b: window('2025-11-10T00:00:00Z') },
      chargesCents: 30_000,
      nowMs: t('2025-12-01T00:00:00Z'),
    });
    expect(claim).toMatchObject({ creditDays: 30, creditCents: 30_000 });
  });
});

describe('rule 8: the $1 minimum, the deadline and the caps stay right', () => {
  const outage = [hours('2025-11-03T00:00:00Z', 1)]; // 60 of 43 200 minutes: 99.86 % → the 10 % tier

  it('a credit of exactly $1.00 is not claimable; $1.01 is (percent SLAs)', () => {
    expect(computeCredit({ sla: percentSla(), month: '2025-11', outages: outage, chargesCents: 1_000, nowMs: NOW })).toMatchObject({ creditCents: 100, claimable: false });
    expect(computeCredit({ sla: percentSla(), month: '2025-11', outages: outage, chargesCents: 1_010, nowMs: NOW })).toMatchObject({ creditCents: 101, claimable: true });
  });

  it('a credit of exactly $1.00 is not claimable; $1.01 is (day SLAs: 1 day of $30.00 / 30 days)', () => {
    const twenty = [{ startMs: t('2025-11-03T00:00:00Z'), endMs: t('2025-11-03T00:20:00Z') }];
    expect(computeCredit({ sla: daySla(), month: '2025-11', outages: twenty, chargesCents: 3_000, nowMs: NOW })).toMatchObject({ creditDays: 1, creditCents: 100, claimable: false });
    expect(computeCredit({ sla: daySla(), month: '2025-11', outages: twenty, chargesCents: 3_030, nowMs: NOW })).toMatchObject({ creditCents: 101, claimable: true });
  });

  it.each([
    ['2025-10', '2025-12-31'],
    ['2025-12', '2026-02-28'],
    ['2027-12', '2028-02-29'],
  ])('the deadline of %s is the last day of the second billing cycle after it (%s)', (month, deadline) => {
    expect(claimDeadline(month)).toBe(deadline);
    expect(computeCredit({ sla: percentSla(), month, outages: [], nowMs: NOW }).deadline).toBe(deadline);
  });

  it('the credit never exceeds 100 % of the base, whatever the downtime', () => {
    const whole = [{ startMs: t('2025-11-01T00:00:00Z'), endMs: t('2025-12-01T00:00:00Z') }];
    expect(computeCredit({ sla: percentSla(), month: '2025-11', outages: whole, chargesCents: 12_345, nowMs: NOW })).toMatchObject({ creditPercent: 100, creditCents: 12_345 });
    const many = Array.from({ length: 29 }, (_, i) => hours(`2025-11-${String(i + 1).padStart(2, '0')}T00:00:00Z`, 5));
    const r = computeCredit({ sla: daySla(), month: '2025-11', outages: many, chargesCents: 12_345, nowMs: NOW });
    expect(r.creditCents).toBe(12_345);
    expect(r.creditDays).toBe(30);
    expect(r.creditPercent).toBe(100);
  });
});
