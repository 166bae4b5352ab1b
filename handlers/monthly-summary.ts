/**
 * Monthly credit summary email (EventBridge Scheduler, 1st of the month in SUMMARY_TIME_ZONE).
 *
 * - Scheduled payload (`{}` or anything without `month`): the month before the invocation time, in the business time
 *   zone (SUMMARY_TIME_ZONE) — 1 November 08:00 in Tokyo is still 31 October in UTC, and the summary is October's.
 * - `{ "month": "YYYY-MM" }`: that month (validated; a bad value fails with the field and the value).
 * Exactly one email per month, even when the schedule fires twice or the invocation is retried (see src/summary/send.ts).
 *
 * Environment: TABLE_NAME, SUMMARY_FROM, SUMMARY_TO (comma-separated), SUMMARY_CONFIGURATION_SET (optional),
 * SUMMARY_TIME_ZONE (default UTC), SLACK_WORKSPACE_URL / SLACK_TEAM_ID (optional, for Slack links).
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { ClaimStore } from '../src/store/claim-store.ts';
import { parseSummaryConfig, parseSummaryEvent } from '../src/summary/config.ts';
import { previousMonth } from '../src/summary/model.ts';
import { runMonthlySummary } from '../src/summary/run.ts';
import { SesSummaryMailer, type DeliveryResult, type SummaryMailer, type SummaryMarkerStore } from '../src/summary/send.ts';
import { lambda, log, logger, monthlySummaryDeps } from './wiring.ts';

export { logger };

export interface MonthlySummaryDeps {
  /** Environment to read the configuration from (default process.env). */
  env?: Record<string, string | undefined>;
  store?: ClaimStore;
  markers?: SummaryMarkerStore;
  mailer?: SummaryMailer;
  /** The SES client of the default mailer. */
  ses?: SESv2Client;
  now?: () => number;
}

export interface MonthlySummaryResult {
  month: string;
  status: DeliveryResult['status'];
  messageId?: string;
  reason?: string;
  claimCount: number;
  owedCents: number;
}

/** The handler's logic, without middy; every dependency injectable. */
export async function monthlySummary(event: unknown, deps: MonthlySummaryDeps = {}): Promise<MonthlySummaryResult> {
  const now = deps.now ?? Date.now;
  const nowMs = now();
  const config = parseSummaryConfig(deps.env ?? process.env);
  const month = parseSummaryEvent(event) ?? previousMonth(nowMs, config.timeZone);
  logger.appendKeys({ month });

  const wired = deps.store && deps.markers && (deps.mailer || deps.ses) ? undefined : await monthlySummaryDeps();
  const store = deps.store ?? wired!.store;
  const markers = deps.markers ?? wired!.markers;
  const mailer =
    deps.mailer ??
    new SesSummaryMailer(
      { from: config.from, to: config.to, ...(config.configurationSetName ? { configurationSetName: config.configurationSetName } : {}) },
      deps.ses ?? wired!.ses,
    );

  const { delivery, model } = await runMonthlySummary({
    month,
    store,
    markers,
    mailer,
    nowMs,
    timeZone: config.timeZone,
    render: {
      ...(config.slackWorkspaceUrl ? { slackWorkspaceUrl: config.slackWorkspaceUrl } : {}),
      ...(config.slackTeamId ? { slackTeamId: config.slackTeamId } : {}),
    },
    now,
    log,
  });
  return {
    month,
    status: delivery.status,
    ...(delivery.status === 'sent' ? { messageId: delivery.messageId } : { reason: delivery.reason }),
    claimCount: model.claimCount,
    owedCents: model.owedCents,
  };
}

export const handler = lambda('monthly-summary', {}, (event: unknown, deps: MonthlySummaryDeps) => monthlySummary(event, deps));
