import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { formatUsd } from '../../src/credit/money.ts';
import { InvalidSummaryEventError, parseSummaryConfig, parseSummaryEvent, SummaryConfigError } from '../../src/summary/config.ts';
import { demoMonthClaims, demoUpcomingClaims, DEMO_MONTH, DEMO_NOW_MS } from '../helpers/summary-demo.ts';
import { daysUntil } from '../../src/credit/month.ts';
import { buildSummaryModel, daysLeftUtc, deadlineMonthsWithin, InvalidTimeZoneError, previousMonth, serviceLabel } from '../../src/summary/model.ts';
import { BIG_MONTH, bigMonthClaim } from '../helpers/big-month.ts';
import { escapeHtml, renderSummaryEmail, slackLink } from '../../src/summary/render.ts';
import { sampleClaim } from '../helpers/claims.ts';

const NOW = Date.parse('2025-11-01T08:00:00Z');

function claim(id: string, overrides: Partial<Claim> = {}): Claim {
  return sampleClaim({ claimId: id, ...overrides });
}

describe('previousMonth (business time zone)', () => {
  it('takes the month before the invocation in the configured zone, not in UTC', () => {
    // 1 Nov 2025 08:00 in Tokyo is still 31 Oct 23:00 UTC: the summary due is October's, not September's.
    const tokyo = Date.parse('2025-10-31T23:00:00Z');
    expect(previousMonth(tokyo, 'Asia/Tokyo')).toBe('2025-10');
    expect(previousMonth(tokyo, 'UTC')).toBe('2025-09');
    // 1 Jan 00:30 in New York is 05:30 UTC the same day: December of the previous year.
    expect(previousMonth(Date.parse('2026-01-01T05:30:00Z'), 'America/New_York')).toBe('2025-12');
    // 31 Mar 2026 22:30 UTC is already 1 Apr in Auckland.
    expect(previousMonth(Date.parse('2026-03-31T22:30:00Z'), 'Pacific/Auckland')).toBe('2026-03');
  });

  it('rejects an unknown time zone, naming it', () => {
    expect(() => previousMonth(NOW, 'Mars/Olympus')).toThrow(InvalidTimeZoneError);
    expect(() => previousMonth(NOW, 'Mars/Olympus')).toThrow(/"Mars\/Olympus"/);
  });
});

describe('deadlineMonthsWithin', () => {
  it('lists the incident months whose deadline (end of month + 2) can fall in the next 30 days', () => {
    expect(deadlineMonthsWithin(Date.parse('2025-11-01T08:00:00Z'), 30)).toEqual(['2025-09', '2025-10']);
    expect(deadlineMonthsWithin(Date.parse('2025-11-15T00:00:00Z'), 10)).toEqual(['2025-09']);
    expect(deadlineMonthsWithin(Date.parse('2026-01-05T00:00:00Z'), 30)).toEqual(['2025-11', '2025-12']);
  });
});

describe('buildSummaryModel', () => {
  const model = buildSummaryModel({
    month: DEMO_MONTH,
    claims: demoMonthClaims(),
    upcoming: demoUpcomingClaims(),
    nowMs: DEMO_NOW_MS,
    timeZone: 'Europe/London',
  });

  it('totals credit by status in integer cents, counting claimable claims only', () => {
    const byStatus = Object.fromEntries(model.byStatus.map((s) => [s.status, [s.count, s.creditCents]]));
    expect(byStatus).toEqual({
      draft: [3, 38_752 + 79_400], // Lambda + Fargate; RDS has unknown charges
      pending_approval: [1, 423_106], // 10 % of $42,310.55 rounded to the cent
      approved: [1, 184_200],
      ready_to_file: [0, 0],
      submitted: [2, 93_108 + 6_124],
      credited: [0, 0],
      denied: [0, 0],
      rejected: [1, 12_040],
      expired: [0, 0],
    });
    expect(model.owedCents).toBe(38_752 + 79_400 + 423_106 + 184_200 + 93_108 + 6_124);
    expect(model.toFileCents).toBe(38_752 + 79_400 + 423_106 + 184_200);
    expect(model.submittedCents).toBe(93_108 + 6_124);
    expect(model.owedClaimCount).toBe(6);
    expect(model.nothingOwed).toBe(false);
  });

  it('groups by service and account, biggest first; the chart gives the biggest service 100 % and the others proportional', () => {
    expect(model.byService.map((g) => [g.label, g.creditCents])).toEqual([
      ['Amazon EC2', 423_106],
      ['Amazon DynamoDB', 184_200],
      ['Amazon S3', 93_108],
      ['AWS Fargate', 79_400],
      ['AWS Lambda', 38_752],
      ['Amazon SQS', 6_124],
      ['Amazon API Gateway', 0],
      ['Amazon RDS', 0],
    ]);
    expect(model.byAccount.map((g) => [g.key, g.count, g.creditCents, g.toFileCents])).toEqual([
      ['123456789012', 3, 423_106 + 184_200 + 6_124, 423_106 + 184_200],
      ['210987654321', 3, 38_752 + 79_400, 38_752 + 79_400],
      ['345678901234', 2, 93_108, 0],
    ]);
    expect(model.chart[0]).toEqual({ label: 'Amazon EC2', creditCents: 423_106, widthPercent: 100 });
    for (const bar of model.chart) {
      expect(Math.abs(bar.widthPercent - (bar.creditCents / 423_106) * 100)).toBeLessThanOrEqual(0.05);
    }
    expect(model.chart.map((b) => b.label)).not.toContain('Amazon RDS');
  });

  it('lists the claims needing action: open, claimable or waiting for charges, deadline not passed; other months only when due within 30 days', () => {
    expect(model.needsAction.map((a) => [a.service, a.month, a.deadline, a.daysLeft, a.dueSoon])).toEqual([
      ['Amazon EBS', '2025-09', '2025-11-30', 29, true],
      ['Amazon EC2', '2025-10', '2025-12-31', 60, false],
      ['Amazon DynamoDB', '2025-10', '2025-12-31', 60, false],
      ['AWS Fargate', '2025-10', '2025-12-31', 60, false],
      ['AWS Lambda', '2025-10', '2025-12-31', 60, false],
      ['Amazon RDS', '2025-10', '2025-12-31', 60, false],
    ]);
    expect(model.provisional.map((l) => l.service)).toEqual(['AWS Fargate']);
    expect(model.chargesUnknown.map((l) => l.service)).toEqual(['Amazon RDS']);
  });

  it('leaves out passed deadlines, submitted/rejected claims and claims at or below the $1.00 minimum', () => {
    const m = buildSummaryModel({
      month: '2025-10',
      claims: [
        claim('tiny', { creditCents: 100, claimable: false }),
        claim('done', { status: 'submitted' }),
        claim('no', { status: 'rejected' }),
      ],
      upcoming: [claim('late', { month: '2025-08', deadline: '2025-10-31' }), claim('far', { month: '2025-09', deadline: '2025-12-15' })],
      nowMs: NOW,
    });
    expect(m.needsAction).toEqual([]);
    expect(m.belowMinimumCount).toBe(1);
    expect(m.owedCents).toBe(50_000);
  });

  it('says nothing is owed for an empty month', () => {
    const empty = buildSummaryModel({ month: '2025-09', claims: [], nowMs: NOW });
    expect(empty.nothingOwed).toBe(true);
    expect(empty.owedCents).toBe(0);
    const email = renderSummaryEmail(empty);
    expect(email.subject).toBe('AWS SLA credits for September 2025: nothing is owed');
    expect(email.text).toContain('No SLA credit claims for September 2025: nothing is owed.');
    expect(email.html).toContain('No SLA credit claims for September 2025: nothing is owed.');
  });

  it('refuses a non-integer amount instead of summing floats', () => {
    expect(() => buildSummaryModel({ month: '2025-10', claims: [claim('f', { creditCents: 10.5 })], nowMs: NOW })).toThrow(
      /creditCents must be a non-negative integer number of cents \(got 10.5\)/,
    );
  });

  it('sums 1 000 odd amounts exactly to the cent', () => {
    const claims = Array.from({ length: 1000 }, (_, i) => claim(`c${i}`, { creditCents: 101 + ((i * 7919) % 100_003) }));
    const expected = claims.reduce((sum, c) => sum + (c.creditCents ?? 0), 0);
    const m = buildSummaryModel({ month: '2025-10', claims, nowMs: NOW });
    expect(m.owedCents).toBe(expected);
    expect(m.needsAction).toHaveLength(1000);
    const email = renderSummaryEmail(m);
    expect(email.text).toContain(formatUsd(expected));
    // The list of claims to act on is capped (Gmail clips big messages); the totals still cover all 1 000.
    for (const part of [email.text, email.html]) expect(part).toContain('…and 950 more claims with later deadlines');
    expect(email.html.length).toBeLessThan(102_000);
  });
});

describe('a 10 000-claim month', () => {
  it('keeps the HTML under 100 KB (Gmail clips at ~102 KB) with capped, counted lists, totals over every claim', () => {
    const claims = Array.from({ length: 10_000 }, (_, i) => bigMonthClaim(i, 10_000));
    // 15 December: every open claim is due within 30 days, so every action row carries a DUE SOON badge too.
    for (const nowMs of [NOW, Date.parse('2025-12-15T08:00:00Z')]) {
      const m = buildSummaryModel({ month: BIG_MONTH, claims, nowMs });
      expect(m.claimCount).toBe(10_000);
      expect(m.provisional).toHaveLength(9_000);
      const email = renderSummaryEmail(m);
      expect(Buffer.byteLength(email.html)).toBeLessThan(100 * 1024);
      expect(Buffer.byteLength(email.text)).toBeLessThan(100 * 1024);
      expect(email.html).toContain(formatUsd(m.owedCents));
      const flagged = m.provisional.length + m.chargesUnknown.length;
      for (const part of [email.html, email.text]) {
        expect(part).toMatch(/…and \d+ more claims with later deadlines/);
        expect(part).toMatch(new RegExp(`…and \\d+ more flagged claims \\(9000 provisional and ${m.chargesUnknown.length} with charges unknown in all`));
        expect(part).toMatch(/\d+ more accounts/);
      }
      const shownFlags = (email.html.match(/<li /g) ?? []).length;
      expect(email.html).toContain(`…and ${flagged - shownFlags} more flagged claims`);
    }
  });

  it('counts days left in UTC integer arithmetic, like daysUntil, under any TZ', () => {
    const now = Date.parse('2025-11-01T23:59:59Z');
    const today = Math.floor(now / 86_400_000);
    for (const d of ['2025-11-01', '2025-11-30', '2025-12-31', '2026-02-28', '2024-02-29', '2025-10-31']) {
      expect(daysLeftUtc(d, today), d).toBe(daysUntil(d, now));
    }
  });
});

describe('serviceLabel', () => {
  it('shortens SLA names to the service', () => {
    const label = (name: string) => serviceLabel({ slaId: 'x', slaClause: { ...sampleClaim().slaClause, name } });
    expect(label('Amazon EC2 — Region-Level SLA')).toBe('Amazon EC2');
    expect(label('Amazon SQS (Amazon Messaging SLA)')).toBe('Amazon SQS');
    expect(label('AWS Lambda')).toBe('AWS Lambda');
  });
});

describe('rendering', () => {
  const model = buildSummaryModel({ month: DEMO_MONTH, claims: demoMonthClaims(), upcoming: demoUpcomingClaims(), nowMs: DEMO_NOW_MS });
  const email = renderSummaryEmail(model, { slackTeamId: 'T0ACME' });

  it('puts the same facts in the HTML and the text part', () => {
    for (const fact of ['$8,246.90', '$7,254.58', '$992.32', '$4,231.06', '$120.40', '2025-11-30', '29 days left', 'PROVISIONAL', 'CHARGES UNKNOWN', '123456789012', 'Amazon DynamoDB']) {
      expect(email.html, fact).toContain(fact);
      expect(email.text, fact).toContain(fact);
    }
    expect(email.subject).toBe('AWS SLA credits for October 2025: $8,246.90 owed (6 claims), $7,254.58 still to file');
  });

  it('has no script, no SVG, no <style> block and no external images (mail clients)', () => {
    expect(email.html).not.toMatch(/<script|<svg|<style|<img|<link/i);
    expect(email.html).toMatch(/data-bar="Amazon EC2" data-width="100"/);
  });

  it('links Slack messages: stored permalink, else the documented app_redirect channel link', () => {
    expect(email.html).toContain('href="https://acme.slack.com/archives/C07SLACLAIMS/p1761000000000100"');
    expect(email.html).toContain('href="https://slack.com/app_redirect?channel=C07SLACLAIMS&amp;team=T0ACME"');
    expect(email.text).toContain('Slack channel: https://slack.com/app_redirect?channel=C07SLACLAIMS&team=T0ACME');
    expect(slackLink({ channel: 'C1', ts: '1761000000.000200' }, { slackWorkspaceUrl: 'https://acme.slack.com/' })).toEqual({
      url: 'https://acme.slack.com/archives/C1/p1761000000000200',
      label: 'Slack message',
    });
    expect(slackLink({ channel: 'C1', ts: '1.2', permalink: 'javascript:alert(1)' })?.url).toBe('https://slack.com/app_redirect?channel=C1');
    expect(slackLink(undefined)).toBeNull();
  });

  it('HTML-escapes every value', () => {
    const evil = '<img src=x onerror="alert(1)">&\'';
    const m = buildSummaryModel({
      month: '2025-10',
      claims: [
        claim('x', {
          account: evil,
          region: `us-east-1${evil}`,
          resource: evil,
          slaClause: { ...sampleClaim().slaClause, name: `Amazon ${evil}` },
          slack: { channel: `C1"><b>`, ts: '1.2' },
        }),
      ],
      nowMs: NOW,
    });
    const html = renderSummaryEmail(m).html;
    expect(html).not.toContain('<img');
    expect(html).not.toContain('"><b>');
    expect(html).toContain(escapeHtml(evil));
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });
});

describe('configuration and event validation', () => {
  const env = { SUMMARY_FROM: 'SLA Claims <claims@example.com>', SUMMARY_TO: 'finops@example.com, cto@example.com' };

  it('reads the recipients, sender, configuration set and time zone', () => {
    expect(parseSummaryConfig({ ...env, SUMMARY_CONFIGURATION_SET: 'summary', SUMMARY_TIME_ZONE: 'Europe/London' })).toEqual({
      from: 'SLA Claims <claims@example.com>',
      to: ['finops@example.com', 'cto@example.com'],
      configurationSetName: 'summary',
      timeZone: 'Europe/London',
    });
    expect(parseSummaryConfig(env).timeZone).toBe('UTC');
  });

  it('names the variable and the value that is wrong', () => {
    expect(() => parseSummaryConfig({ ...env, SUMMARY_TO: 'finops@example.com,bob@' })).toThrow(SummaryConfigError);
    expect(() => parseSummaryConfig({ ...env, SUMMARY_TO: 'finops@example.com,bob@' })).toThrow(/SUMMARY_TO: "bob@" is not an email address/);
    expect(() => parseSummaryConfig({ ...env, SUMMARY_TO: ' , ' })).toThrow(/SUMMARY_TO: needs at least one recipient/);
    expect(() => parseSummaryConfig({ SUMMARY_TO: env.SUMMARY_TO })).toThrow(/SUMMARY_FROM: is not set/);
    expect(() => parseSummaryConfig({ ...env, SUMMARY_TIME_ZONE: 'Europe/Londres' })).toThrow(/SUMMARY_TIME_ZONE: .*\(got "Europe\/Londres"\)/);
    const many = Array.from({ length: 51 }, (_, i) => `u${i}@example.com`).join(',');
    expect(() => parseSummaryConfig({ ...env, SUMMARY_TO: many })).toThrow(/51 recipients; SES allows 50/);
  });

  it('accepts {"month": "YYYY-MM"} and treats a scheduler payload as "previous month"', () => {
    expect(parseSummaryEvent({ month: '2025-10' })).toBe('2025-10');
    expect(parseSummaryEvent({})).toBeNull();
    expect(parseSummaryEvent(undefined)).toBeNull();
    expect(parseSummaryEvent({ 'detail-type': 'Scheduled Event', source: 'aws.scheduler' })).toBeNull();
  });

  it('rejects a bad month with the field and the value', () => {
    expect(() => parseSummaryEvent({ month: '2025-13' })).toThrow(InvalidSummaryEventError);
    expect(() => parseSummaryEvent({ month: '2025-13' })).toThrow('event.month: expected YYYY-MM, like 2025-10 (got "2025-13")');
    expect(() => parseSummaryEvent({ month: 202510 })).toThrow(/event\.month: .*\(got 202510\)/);
    expect(() => parseSummaryEvent({ month: '1969-12' })).toThrow(/event\.month: expected a month from 1970-01 on \(got "1969-12"\)/);
    expect(() => parseSummaryEvent('2025-10')).toThrow(/event: expected an object .*\(got "2025-10"\)/);
  });
});
