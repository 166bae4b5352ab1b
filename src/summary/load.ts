/**
 * Reads what the monthly summary needs from the claim store — the month's claims and the claims of the (at most two)
 * months whose deadline can fall in the next 30 days — always through the month index (paginated Query, never a Scan),
 * and builds the model.
 */
import type { Claim } from '../claims/types.ts';
import type { ClaimStore } from '../store/claim-store.ts';
import { buildSummaryModel, deadlineMonthsWithin, UPCOMING_DAYS, type SummaryModel } from './model.ts';

export interface LoadSummaryOptions {
  nowMs: number;
  timeZone?: string;
  upcomingDays?: number;
}

/** All claims of one month, following every page of the month index. */
export async function readMonthClaims(store: ClaimStore, month: string): Promise<Claim[]> {
  const claims: Claim[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listClaimsByMonthPage(month, cursor ? { cursor } : {});
    claims.push(...page.claims);
    cursor = page.next;
  } while (cursor);
  return claims;
}

export async function loadSummaryModel(store: ClaimStore, month: string, options: LoadSummaryOptions): Promise<SummaryModel> {
  const upcomingDays = options.upcomingDays ?? UPCOMING_DAYS;
  const claims = await readMonthClaims(store, month);
  const otherMonths = deadlineMonthsWithin(options.nowMs, upcomingDays).filter((m) => m !== month);
  const upcoming: Claim[] = [];
  for (const other of otherMonths) upcoming.push(...(await readMonthClaims(store, other)));
  return buildSummaryModel({
    month,
    claims,
    upcoming,
    nowMs: options.nowMs,
    upcomingDays,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
}
