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

export async function loadSummaryModel(store: ClaimStore, month: string, options: LoadSummaryOptions): Promise<SummaryModel> {
  const upcomingDays = options.upcomingDays ?? UPCOMING_DAYS;
  const claims = await store.listClaimsByMonth(month);
  const otherMonths = deadlineMonthsWithin(options.nowMs, upcomingDays).filter((m) => m !== month);
  const upcoming: Claim[] = [];
  for (const other of otherMonths) upcoming.push(...(await store.listClaimsByMonth(other)));
  return buildSummaryModel({
    month,
    claims,
    upcoming,
    nowMs: options.nowMs,
    upcomingDays,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
}
