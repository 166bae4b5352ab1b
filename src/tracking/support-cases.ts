/**
 * The AWS Support adapter of `CaseReader`: DescribeCases by case id (at most 100 per request), with communications
 * (the five most recent per case) and resolved cases included (AWS resolves a case when it answers a credit
 * request), following nextToken. The Support API needs a Business, Enterprise On-Ramp or Enterprise plan; its
 * endpoint is us-east-1. The client is the account's own: a case is only visible in the account it was filed in
 * (src/filing/support-api.ts `supportClientForAccount`, the filer role assumed there).
 */
import { DescribeCasesCommand, type SupportClient } from '@aws-sdk/client-support';
import type { CaseReader, SupportCase } from './ports.ts';

/** DescribeCases takes at most 100 case ids. */
export const CASES_PER_REQUEST = 100;

/** "2025-11-03T10:00:00.123Z" or "2025-11-03T10:00:00Z" (what the API returns) → UTC ISO-8601; unparseable kept as is. */
function isoTime(value: string | undefined): string {
  const ms = Date.parse(value ?? '');
  return Number.isFinite(ms) ? new Date(ms).toISOString() : (value ?? '');
}

export class SupportCaseReader implements CaseReader {
  constructor(
    /**
     * The Support client of the account a case was filed in (the claim's account, through its filer role), one per
     * account; a rejection (AssumeRole denied) fails that account's read alone.
     */
    private readonly clientFor: (account: string) => SupportClient | Promise<SupportClient>,
  ) {}

  async readCases(account: string, caseIds: readonly string[]): Promise<SupportCase[]> {
    const client = await this.clientFor(account);
    const out: SupportCase[] = [];
    for (let i = 0; i < caseIds.length; i += CASES_PER_REQUEST) {
      let nextToken: string | undefined;
      do {
        const result = await client.send(
          new DescribeCasesCommand({
            caseIdList: caseIds.slice(i, i + CASES_PER_REQUEST),
            includeCommunications: true,
            includeResolvedCases: true,
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        for (const c of result.cases ?? []) {
          if (!c.caseId) continue;
          out.push({
            caseId: c.caseId,
            ...(c.displayId ? { displayId: c.displayId } : {}),
            ...(c.status ? { status: c.status } : {}),
            communications: (c.recentCommunications?.communications ?? []).map((m) => ({
              body: m.body ?? '',
              submittedBy: m.submittedBy ?? '',
              timeCreated: isoTime(m.timeCreated),
            })),
          });
        }
        nextToken = result.nextToken;
      } while (nextToken);
    }
    return out;
  }
}
