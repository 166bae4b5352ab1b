/** The claim lifecycle (src/claims/lifecycle.ts) and the contract's filing settings. */
import { describe, expect, it } from 'vitest';
import { assertTransition, manualFilingReason, statusAfterRecompute } from '../../src/claims/lifecycle.ts';
import { CLAIM_STATUSES, TRANSITIONS } from '../../src/claims/types.ts';
import { filingModeFor, parseContract } from '../../src/contract/contract.ts';
import { fileableMonths } from '../../src/filing/file-approved.ts';
import { caseRefProblem } from '../../src/filing/mark-filed.ts';
import { pickCaseCodes } from '../../src/filing/case-codes.ts';
import { sampleClaim } from '../helpers/claims.ts';

const confirmed = { versionDate: '2023-06-01', confirmed: true, unconfirmed: [] };

describe('lifecycle', () => {
  it('refuses every pair TRANSITIONS does not list, naming both', () => {
    for (const from of CLAIM_STATUSES) {
      for (const to of CLAIM_STATUSES) {
        if (TRANSITIONS[from].includes(to)) expect(() => assertTransition(from, to)).not.toThrow();
        else expect(() => assertTransition(from, to)).toThrow(`transition: ${from} → ${to} is not allowed`);
      }
    }
  });

  it('an approved or ready-to-file claim whose credit changes returns to pending approval; submitted and later keep their status', () => {
    const next = { creditCents: 1, creditPercent: 10 };
    expect(statusAfterRecompute(sampleClaim({ status: 'approved' }), next)).toBe('pending_approval');
    expect(statusAfterRecompute(sampleClaim({ status: 'ready_to_file' }), next)).toBe('pending_approval');
    expect(statusAfterRecompute(sampleClaim({ status: 'ready_to_file' }), { creditCents: 50000, creditPercent: 10 })).toBe('ready_to_file');
    for (const status of ['submitted', 'credited', 'denied', 'rejected', 'expired', 'pending_approval', 'draft'] as const) {
      expect(statusAfterRecompute(sampleClaim({ status }), next)).toBe(status);
    }
  });

  it('files automatically only confirmed terms with known charges, outside manual accounts', () => {
    expect(manualFilingReason(sampleClaim({ terms: confirmed }), 'support-api')).toBeNull();
    expect(manualFilingReason(sampleClaim({ terms: confirmed }), 'manual')).toMatch(/filing: manual/);
    expect(manualFilingReason(sampleClaim(), 'support-api')).toBe('terms unconfirmed: not filed automatically');
    expect(manualFilingReason(sampleClaim({ terms: { versionDate: null, confirmed: false, unconfirmed: ['the 25 % tier'] } }), 'support-api')).toBe(
      'terms unconfirmed: not filed automatically (the 25 % tier)',
    );
    expect(manualFilingReason(sampleClaim({ terms: confirmed, creditCents: null, chargesCents: null }), 'support-api')).toMatch(/charges unknown/);
  });

  it('sweeps the months still open for filing', () => {
    expect(fileableMonths(new Date('2026-01-05T00:00:00Z'))).toEqual(['2026-01', '2025-12', '2025-11']);
  });

  it('takes a Support Center case ID or a case-… id, and names anything else', () => {
    expect(caseRefProblem('172834561234')).toBeNull();
    expect(caseRefProblem('case-123456789012-muen-2025-1a2b3c4d5e6f7a8b')).toBeNull();
    expect(caseRefProblem('12')).toMatch(/\(got "12"\)/);
    expect(caseRefProblem('x'.repeat(200))).toMatch(/x…"\)$/);
  });

  it('picks the billing service and its SLA-credit category from DescribeServices, else null', () => {
    expect(pickCaseCodes([{ code: 'billing', name: 'Billing', categories: [{ code: 'charge-inquiry', name: 'Charge inquiry' }, { code: 'other-billing', name: 'Other' }] }])).toEqual({ serviceCode: 'billing', categoryCode: 'other-billing' });
    expect(pickCaseCodes([{ code: 'amazon-ec2', name: 'EC2', categories: [{ code: 'x', name: 'x' }] }])).toBeNull();
  });
});

describe('contract: filing', () => {
  const base = { accounts: ['123456789012'], coverage: [{ service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb' }] };

  it('defaults to the Support API; takes "manual", or per-account modes and codes', () => {
    expect(parseContract(base).filing).toEqual({ mode: 'support-api', accounts: {} });
    expect(parseContract({ ...base, filing: 'manual' }).filing.mode).toBe('manual');
    const contract = parseContract({ ...base, filing: { accounts: { '210987654321': 'manual' }, serviceCode: 'billing', categoryCode: 'other-billing' } });
    expect(filingModeFor(contract.filing, '210987654321')).toBe('manual');
    expect(filingModeFor(contract.filing, '123456789012')).toBe('support-api');
    expect(contract.filing).toMatchObject({ serviceCode: 'billing', categoryCode: 'other-billing' });
  });

  it.each([
    [{ filing: 'email' }, 'contract: filing.mode: filing is "support-api" or "manual" (got "email")'],
    [{ filing: { mode: 'fax' } }, 'contract: filing.mode: filing is "support-api" or "manual" (got "fax")'],
    [{ filing: { accounts: { '1234': 'manual' } } }, 'contract: filing.accounts.1234: the key "1234" is not a 12-digit AWS account id'],
    [{ filing: { roleName: 'x' } }, 'contract: filing'],
  ])('refuses %j naming the field and the value', (extra, message) => {
    expect(() => parseContract({ ...base, ...extra })).toThrow(message);
  });
});
