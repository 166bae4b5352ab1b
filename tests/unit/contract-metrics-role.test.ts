import { describe, expect, it } from 'vitest';
import { ContractError, parseContract } from '../../src/contract/contract.ts';

const base = { accounts: ['123456789012'], coverage: [{ service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb' }] };

describe('contract metricsRoleName', () => {
  it('is optional, and kept when it is an IAM role name', () => {
    expect(parseContract(base).metricsRoleName).toBeUndefined();
    expect(parseContract({ ...base, metricsRoleName: 'sla-claims-metrics-reader' }).metricsRoleName).toBe('sla-claims-metrics-reader');
    expect(parseContract({ ...base, metricsRoleName: 'Reader_1+=,.@-' }).metricsRoleName).toBe('Reader_1+=,.@-');
  });

  it.each([['role/with-path'], ['arn:aws:iam::123456789012:role/r'], ['a'.repeat(65)], [''], ['has space']])('refuses %j, naming the field and the value', (name) => {
    expect(() => parseContract({ ...base, metricsRoleName: name })).toThrow(ContractError);
    expect(() => parseContract({ ...base, metricsRoleName: name })).toThrow(`contract: metricsRoleName: an IAM role name (1-64 letters, digits and +=,.@_-, no path), e.g. "sla-claims-metrics-reader" (got ${JSON.stringify(name)})`);
  });
});
