/**
 * The scheduled sweep (use case): every approved claim of the months still open for filing goes through `fileClaim`,
 * so a filing interrupted after CreateCase (its lease ended) is completed, and an approval whose stream record was
 * lost is still filed. Claims are read through the month index (never a Scan), one month at a time.
 */
import { fileClaim, type FileClaimDeps, type FileResult } from './file-claim.ts';

/** The months whose claims can still be filed on `now`: this one and the two before it (deadline: end of month + 2). */
export function fileableMonths(now: Date): string[] {
  const months: string[] = [];
  for (let back = 0; back < 3; back++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

export interface SweepResult {
  months: string[];
  results: { claimId: string; result: FileResult | { action: 'failed'; error: string } }[];
}

export async function fileApprovedClaims(deps: FileClaimDeps, months: readonly string[] = fileableMonths(deps.now())): Promise<SweepResult> {
  const results: SweepResult['results'] = [];
  for (const month of months) {
    const claims = await deps.store.listClaimsByMonth(month);
    for (const claim of claims) {
      if (claim.status !== 'approved') continue;
      try {
        results.push({ claimId: claim.claimId, result: await fileClaim(claim.claimId, deps) });
      } catch (error) {
        // One claim's failure (AWS throttling, a role missing in one account) does not stop the others.
        deps.log?.error('filing failed', { claimId: claim.claimId, error: (error as Error).message });
        results.push({ claimId: claim.claimId, result: { action: 'failed', error: (error as Error).message } });
      }
    }
  }
  return { months: [...months], results };
}
