/** The monthly summary end to end: read the claims (month index), build the model, render, send once. */
import type { ClaimStore } from '../store/claim-store.ts';
import { loadSummaryWithHistory } from './history.ts';
import type { SummaryModel } from './model.ts';
import { renderSummaryEmail, type RenderOptions, type SummaryEmail } from './render.ts';
import { deliverSummaryOnce, type DeliveryResult, type SummaryLog, type SummaryMailer, type SummaryMarkerStore } from './send.ts';

export interface RunSummaryOptions {
  month: string;
  store: ClaimStore;
  markers: SummaryMarkerStore;
  mailer: SummaryMailer;
  nowMs: number;
  timeZone?: string;
  render?: RenderOptions;
  now?: () => number;
  log?: SummaryLog;
}

export interface RunSummaryResult {
  delivery: DeliveryResult;
  model: SummaryModel;
  email: SummaryEmail;
}

export async function runMonthlySummary(options: RunSummaryOptions): Promise<RunSummaryResult> {
  const model = await loadSummaryWithHistory(options.store, options.month, {
    nowMs: options.nowMs,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  const email = renderSummaryEmail(model, options.render);
  const delivery = await deliverSummaryOnce({
    month: options.month,
    email,
    mailer: options.mailer,
    markers: options.markers,
    ...(options.now ? { now: options.now } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { delivery, model, email };
}
