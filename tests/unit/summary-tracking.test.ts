/** The summary's filed, paid, denied, missed and still-to-file money (issue 9, items 4 and 5). */
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/types.ts';
import { buildSummaryModel, historyMonths } from '../../src/summary/model.ts';
import { renderSummaryEmail } from '../../src/summary/render.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { BIG_MONTH, bigMonthClaim } from '../helpers/big-month.ts';

const claim = (id: string, overrides: Partial<Claim> = {}): Claim => sampleClaim({ claimId: id, ...overrides });
/** 2 January 2026: October 2025's deadline (31 December) has passed. */
const AFTER_DEADLINE = Date.parse('2026-01-02T08:00:00Z');
const BEFORE_DEADLINE = Date.parse('2025-11-01T08:00:00Z');

describe('missed money (expired claims)', () => {
  // As build.ts stores a claim recomputed after its deadline: the credit is known, `claimable` is false.
  const late = claim('late', { creditCents: 50_000, claimable: false });
  const octoberAfterDeadline = [
    claim('a', { creditCents: 184_894 }), // still draft: the scheduled expiry has not run yet
    claim('b', { creditCents: 50_000, status: 'expired' }),
    late,
    claim('c', { creditCents: 50_000, status: 'submitted', filing: { via: 'support-api', caseId: 'case-1', displayId: '1234', filedAt: '2025-11-03T10:00:00Z', filedBy: 'system' } }),
  ];

  it('never counts a passed deadline as "still to file" nor as "below the $1 minimum" (failed before: $2,848.94 still to file)', () => {
    const m = buildSummaryModel({ month: '2025-10', claims: octoberAfterDeadline, nowMs: AFTER_DEADLINE });
    expect(m.toFileCents).toBe(0);
    expect(m.missedCents).toBe(184_894 + 50_000 + 50_000);
    expect(m.missedCount).toBe(3);
    expect(m.missedDeadlines).toEqual(['2025-12-31']);
    expect(m.belowMinimumCount).toBe(0);
    expect(m.owedCents).toBe(50_000); // only the submitted claim's credit is still to come
    expect(m.needsAction).toEqual([]);
    const email = renderSummaryEmail(m);
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Missed: $2,848.94, deadline passed on 2025-12-31');
      expect(part).not.toMatch(/at or below that minimum/);
    }
    expect(email.text).toContain('Still to file:  $0.00');
    expect(email.subject).toBe('AWS SLA credits for October 2025: $500.00 owed (1 claim), $2,848.94 missed');
    expect(email.text).toMatch(/Expired +1 +\$500\.00/);
  });

  it('the status total counts the claims of the money it shows (was every non-rejected claim: 4 for $500.00)', () => {
    const m = buildSummaryModel({ month: '2025-10', claims: octoberAfterDeadline, nowMs: AFTER_DEADLINE });
    const email = renderSummaryEmail(m);
    expect(email.text).toMatch(/Owed \(to file or awaiting AWS\) +1 +\$500\.00/);
    expect(email.html).toMatch(/Owed \(to file or awaiting AWS\)<\/strong><\/td><td[^>]*><strong>1<\/strong>/);
  });

  it('counts the same claims as still to file before the deadline', () => {
    const m = buildSummaryModel({ month: '2025-10', claims: octoberAfterDeadline.filter((c) => c.status !== 'expired' && c !== late), nowMs: BEFORE_DEADLINE });
    expect(m.toFileCents).toBe(184_894);
    expect(m.missedCents).toBe(0);
  });

  it('a month whose only money was missed is not "nothing is owed"', () => {
    const m = buildSummaryModel({ month: '2025-10', claims: [claim('x', { status: 'expired', claimable: false })], nowMs: AFTER_DEADLINE });
    expect(m.nothingOwed).toBe(false);
    expect(renderSummaryEmail(m).subject).toContain('$500.00 missed');
  });

  it("shows earlier months' missed claims (read as history) on their own line", () => {
    const july = claim('jul', { month: '2025-07', deadline: '2025-09-30', status: 'expired', claimable: false });
    const m = buildSummaryModel({ month: '2025-10', claims: [claim('oct')], history: [july], nowMs: Date.parse('2025-10-22T00:00:00Z') });
    expect(m.missedEarlier.map((l) => l.claimId)).toEqual(['jul']);
    expect(m.missedEarlierCents).toBe(50_000);
    expect(m.missedCents).toBe(0);
    const email = renderSummaryEmail(m);
    for (const part of [email.text, email.html]) expect(part).toContain('Missed: $500.00, deadline passed on 2025-09-30');
  });
});

describe('filed, paid, denied, recovered, paid vs claimed', () => {
  const filing = (caseId: string) => ({ via: 'support-api' as const, caseId, displayId: caseId.slice(-4), filedAt: '2025-11-03T10:00:00Z', filedBy: 'system' });
  const claims = [
    claim('draft', { creditCents: 10_000 }),
    claim('sub', { creditCents: 20_000, status: 'submitted', filing: filing('case-0001') }),
    claim('paid', { creditCents: 30_000, status: 'credited', filing: filing('case-0002'), payment: { paidCents: 30_000, billMonth: '2025-12', matchedAt: '2026-01-02T00:00:00Z' } }),
    claim('part', { creditCents: 40_000, status: 'credited', filing: filing('case-0003'), payment: { paidCents: 25_000, billMonth: '2025-12', matchedAt: '2026-01-02T00:00:00Z', flag: 'partial' } }),
    claim('no', { creditCents: 50_000, status: 'denied', filing: filing('case-0004') }),
    claim('rej', { creditCents: 60_000, status: 'rejected' }),
  ];

  it('splits the month into still to file, filed (awaiting, credited, denied), paid and rejected, each from the store', () => {
    const m = buildSummaryModel({ month: '2025-10', claims, nowMs: BEFORE_DEADLINE });
    expect(m).toMatchObject({
      toFileCents: 10_000,
      submittedCents: 20_000,
      filedCents: 20_000 + 30_000 + 40_000 + 50_000,
      filedCount: 4,
      creditedCents: 30_000 + 40_000,
      deniedCents: 50_000,
      deniedCount: 1,
      paidCents: 30_000 + 25_000,
      owedCents: 10_000 + 20_000,
      missedCents: 0,
    });
    expect(m.filed.map((l) => [l.claimId, l.caseRef, l.paidCents])).toEqual([
      ['no', '0004', undefined],
      ['part', '0003', 25_000],
      ['paid', '0002', 30_000],
      ['sub', '0001', undefined],
    ]);
    expect(m.paidVsClaimed).toEqual({ paidCents: 55_000, claimedCents: 140_000, percent: 39.3 });
    expect(m.paymentFlags.map((l) => [l.claimId, l.paymentFlag])).toEqual([['part', 'partial']]);
  });

  it('recovered this month: the credits on the report month\'s bill, claims of earlier months included', () => {
    const september = claim('sep', {
      month: '2025-09',
      deadline: '2025-11-30',
      creditCents: 12_345,
      status: 'credited',
      filing: filing('case-0009'),
      payment: { paidCents: 12_345, billMonth: '2025-12', matchedAt: '2026-01-02T00:00:00Z' },
    });
    const m = buildSummaryModel({ month: '2025-12', claims: [], history: [...claims.map((c) => ({ ...c, month: '2025-10' })), september], nowMs: Date.parse('2026-01-02T08:00:00Z') });
    expect(m.recovered.map((l) => l.claimId)).toEqual(['part', 'paid', 'sep']);
    expect(m.recoveredCents).toBe(30_000 + 25_000 + 12_345);
    const email = renderSummaryEmail(m);
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Recovered this month');
      expect(part).toContain('$673.45');
    }
  });

  it('prints each figure in both parts, and the basis and unconfirmed terms of each claim line', () => {
    const measured = claim('m', {
      creditCents: 7_777,
      basis: { kind: 'measured', metrics: ['AWS/DynamoDB SystemErrors (Sum)'], resourceCount: 3, intervalCount: 12 },
      terms: { versionDate: '2023-05-01', confirmed: true, unconfirmed: [] },
    });
    const m = buildSummaryModel({ month: '2025-10', claims: [...claims, measured], nowMs: BEFORE_DEADLINE });
    expect([m.measuredCount, m.estimateCount, m.unconfirmedTermsCount]).toEqual([1, 6, 6]);
    const email = renderSummaryEmail(m);
    expect(email.text).toContain('Filed:          $1,400.00 (4 claims; paid $550.00, denied $500.00)');
    expect(email.text).toContain('Paid vs claimed: $550.00 paid of $1,400.00 claimed (39.3 %)');
    expect(email.text).toMatch(/\* Amazon DynamoDB, us-east-1, account 123456789012\n {2}Draft \| credit \$77\.77 \| deadline 2025-12-31, 60 days left \| MEASURED\n/);
    expect(email.text).toMatch(/Draft \| credit \$100\.00 \| deadline 2025-12-31, 60 days left \| ESTIMATE, TERMS UNCONFIRMED/);
    expect(email.html).toContain('estimate · terms unconfirmed');
    expect(email.html).toContain('>measured</small>');
    for (const part of [email.html, email.text]) {
      for (const fact of ['Filed with AWS', 'case 0003', '$250.00 paid of $400.00', 'Credits partial or missing', 'PARTIAL']) expect(part, fact).toContain(fact);
    }
  });
});

describe('historyMonths', () => {
  it('lists the four incident months before the report month', () => {
    expect(historyMonths('2026-02')).toEqual(['2026-01', '2025-12', '2025-11', '2025-10']);
  });
});

describe('a 10 000-claim month with every status', () => {
  it('stays under 100 KB with the filed, missed, recovered and flag lists capped', () => {
    const statuses = ['draft', 'submitted', 'credited', 'denied', 'expired'] as const;
    const claims = Array.from({ length: 10_000 }, (_, i) => {
      const c = bigMonthClaim(i, 10_000);
      const status = statuses[i % statuses.length]!;
      const filed = status === 'submitted' || status === 'credited' || status === 'denied';
      return {
        ...c,
        status,
        ...(filed ? { filing: { via: 'support-api' as const, caseId: `case-123456789012-muen-2025-${String(i).padStart(16, '0')}`, displayId: String(10_000_000 + i), filedAt: '2025-11-03T10:00:00Z', filedBy: 'system' } } : {}),
        ...(status === 'credited' ? { payment: { paidCents: Math.floor((c.creditCents ?? 0) / 2), billMonth: '2025-10', matchedAt: '2025-12-02T00:00:00Z', flag: 'partial' as const } } : {}),
      };
    });
    const m = buildSummaryModel({ month: BIG_MONTH, claims, nowMs: Date.parse('2025-12-15T08:00:00Z') });
    const email = renderSummaryEmail(m);
    expect(Buffer.byteLength(email.html)).toBeLessThan(100 * 1024);
    expect(Buffer.byteLength(email.text)).toBeLessThan(100 * 1024);
    expect(m.filedCount).toBe(6_000);
    for (const part of [email.html, email.text]) expect(part).toMatch(/…and \d+ more \(in the totals above/);
  });
});
