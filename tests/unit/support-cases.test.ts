/**
 * The tracking adapter (src/tracking/support-cases.ts) reads each account's cases with that account's own Support
 * client: two accounts, two mocked clients (aws-sdk-client-mock per instance), no network.
 */
import { DescribeCasesCommand, SupportClient } from '@aws-sdk/client-support';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { CASES_PER_REQUEST, SupportCaseReader } from '../../src/tracking/support-cases.ts';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

function clientAnswering(account: string) {
  const client = new SupportClient({ region: 'us-east-1', credentials });
  const mock = mockClient(client);
  mock.on(DescribeCasesCommand).callsFake((input: { caseIdList: string[] }) => ({
    cases: input.caseIdList.map((caseId) => ({
      caseId,
      status: 'opened',
      recentCommunications: { communications: [{ caseId, submittedBy: 'Amazon Web Services', timeCreated: '2025-11-05T12:00:00Z', body: `answer in ${account}` }] },
    })),
  }));
  return { client, mock };
}

describe('SupportCaseReader', () => {
  it('reads the cases of each account with that account\'s client, 100 ids a request', async () => {
    const a = clientAnswering('123456789012');
    const b = clientAnswering('210987654321');
    const asked: string[] = [];
    const reader = new SupportCaseReader(async (account) => {
      asked.push(account);
      return account === '123456789012' ? a.client : b.client;
    });
    const idsA = Array.from({ length: CASES_PER_REQUEST + 1 }, (_, i) => `case-123456789012-2025-${String(i).padStart(16, '0')}`);
    const inA = await reader.readCases('123456789012', idsA);
    const inB = await reader.readCases('210987654321', ['case-210987654321-2025-0000000000000001']);
    expect(asked).toEqual(['123456789012', '210987654321']);
    expect(a.mock.commandCalls(DescribeCasesCommand).map((c) => c.args[0].input.caseIdList!.length)).toEqual([100, 1]);
    expect(b.mock.commandCalls(DescribeCasesCommand).map((c) => c.args[0].input.caseIdList)).toEqual([['case-210987654321-2025-0000000000000001']]);
    expect(inA).toHaveLength(101);
    expect(new Set(inA.map((c) => c.communications[0]!.body))).toEqual(new Set(['answer in 123456789012']));
    expect(inB.map((c) => [c.caseId, c.communications[0]!.body, c.communications[0]!.timeCreated])).toEqual([['case-210987654321-2025-0000000000000001', 'answer in 210987654321', '2025-11-05T12:00:00.000Z']]);
  });

  it('fails only the account whose client cannot be had (its role refused), with the error', async () => {
    const ok = clientAnswering('123456789012');
    const refused = Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
    const reader = new SupportCaseReader(async (account) => {
      if (account === '210987654321') throw refused;
      return ok.client;
    });
    await expect(reader.readCases('210987654321', ['case-x'])).rejects.toBe(refused);
    expect(await reader.readCases('123456789012', ['case-y'])).toHaveLength(1);
  });
});
