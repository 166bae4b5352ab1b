/**
 * Reads what the monthly summary needs from the claim store — the month's claims and the claims of the (at most two)
 * months whose deadline can fall in the next 30 days — always through the month index (Query, never a Scan), and
 * builds the model. Months are read with concurrent Queries over key ranges, only the fields the summary shows
 * (a 10 000-claim month is ~15 pages; one sequential chain of pages alone took longer than the 2 s goal).
 */
import type { ClaimStore } from '../store/claim-store.ts';
import { buildSummaryModel, deadlineMonthsWithin, SUMMARY_FIELDS, UPCOMING_DAYS, type SummaryModel } from './model.ts';

/** Queries in flight per month read. */
export const READ_CONCURRENCY = 8;

/**
 * How the summary reads one month: the narrow month index, only its fields, concurrent range Queries of the store's
 * page size (PAGE_LIMIT: a 10 000-claim month took 3.4 s sequential without a Limit, 0.86 s with 500; bench:summary).
 */
export function readMonthOptions() {
  return { fields: SUMMARY_FIELDS, concurrency: READ_CONCURRENCY } as const;
}

export interface LoadSummaryOptions {
  nowMs: number;
  timeZone?: string;
  upcomingDays?: number;
}

export async function loadSummaryModel(store: ClaimStore, month: string, options: LoadSummaryOptions): Promise<SummaryModel> {
  const upcomingDays = options.upcomingDays ?? UPCOMING_DAYS;
  const read = (m: string) => store.listClaimsByMonthConcurrently(m, readMonthOptions());
  const otherMonths = deadlineMonthsWithin(options.nowMs, upcomingDays).filter((m) => m !== month);
  const [claims, ...others] = await Promise.all([read(month), ...otherMonths.map(read)]);
  const upcoming = others.flat();
  return buildSummaryModel({
    month,
    claims,
    upcoming,
    nowMs: options.nowMs,
    upcomingDays,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
}
