/**
 * The summary with its history: the model `load.ts` builds (the month and the months whose deadline is near), plus
 * the claims of the four incident months before the report month (`historyMonths`), read the same way (month index,
 * concurrent range Queries, only the summary's fields), for "recovered this month", "paid vs claimed", partial or
 * missing credits and earlier months' missed deadlines. The two reads run at the same time.
 */
import type { ClaimStore } from '../store/claim-store.ts';
import { loadSummaryModel, readMonthOptions, type LoadSummaryOptions } from './load.ts';
import { historyMonths, withHistory, type SummaryModel } from './model.ts';

export async function loadSummaryWithHistory(store: ClaimStore, month: string, options: LoadSummaryOptions): Promise<SummaryModel> {
  const read = (m: string) => store.listClaimsByMonthConcurrently(m, readMonthOptions());
  const [model, ...history] = await Promise.all([loadSummaryModel(store, month, options), ...historyMonths(month).map(read)]);
  return withHistory(model, history.flat(), options.nowMs);
}
