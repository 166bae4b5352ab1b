/** Configuration (environment) and invocation event of the monthly summary, validated with zod. */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { monthWindow } from '../credit/month.ts';

export class SummaryConfigError extends Error {
  override readonly name = 'SummaryConfigError';
}

export class InvalidSummaryEventError extends Error {
  override readonly name = 'InvalidSummaryEventError';
}

/** SES accepts at most 50 recipients per message (To + Cc + Bcc). */
export const MAX_RECIPIENTS = 50;

const emailSchema = z.email();

/** `alice@example.com` or `SLA Claims <alice@example.com>`; returns the error text or null. */
function addressProblem(text: string): string | null {
  const angle = /^[^<>]*<([^<>]+)>$/.exec(text);
  const address = (angle ? angle[1] : text)?.trim() ?? '';
  return emailSchema.safeParse(address).success ? null : `${JSON.stringify(text)} is not an email address`;
}

export interface SummaryConfig {
  from: string;
  to: string[];
  configurationSetName?: string;
  timeZone: string;
  slackWorkspaceUrl?: string;
  slackTeamId?: string;
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const ConfigSchema = z.object({
  SUMMARY_FROM: z
    .string({ error: 'is not set' })
    .trim()
    .min(1, 'is not set')
    .superRefine((value, ctx) => {
      const problem = addressProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  SUMMARY_TO: z
    .string({ error: 'is not set' })
    .transform((value) => value.split(',').map((a) => a.trim()).filter((a) => a !== ''))
    .superRefine((list, ctx) => {
      if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one recipient' });
      if (list.length > MAX_RECIPIENTS) ctx.addIssue({ code: 'custom', message: `has ${list.length} recipients; SES allows ${MAX_RECIPIENTS}` });
      for (const address of list) {
        const problem = addressProblem(address);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }
    }),
  SUMMARY_CONFIGURATION_SET: optionalText,
  SUMMARY_TIME_ZONE: z
    .string()
    .trim()
    .default('UTC')
    .transform((v) => v || 'UTC')
    .refine((zone) => IANAZone.isValidZone(zone), { message: 'is not an IANA time zone, like Europe/London' }),
  SLACK_WORKSPACE_URL: optionalText.refine((v) => v === undefined || /^https:\/\/[^/\s]+\/?$/.test(v), {
    message: 'must be a workspace URL like https://acme.slack.com',
  }),
  SLACK_TEAM_ID: optionalText,
});

function describeIssues(error: z.ZodError, input: Record<string, unknown>): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.') || 'value';
      const got = input[field];
      return `${field}: ${issue.message} (got ${got === undefined ? 'nothing' : JSON.stringify(got)})`;
    })
    .join('; ');
}

/** Reads SUMMARY_FROM, SUMMARY_TO (comma-separated), SUMMARY_CONFIGURATION_SET, SUMMARY_TIME_ZONE, SLACK_WORKSPACE_URL, SLACK_TEAM_ID. */
export function parseSummaryConfig(env: Record<string, string | undefined> = process.env): SummaryConfig {
  const input = {
    SUMMARY_FROM: env.SUMMARY_FROM,
    SUMMARY_TO: env.SUMMARY_TO,
    SUMMARY_CONFIGURATION_SET: env.SUMMARY_CONFIGURATION_SET,
    SUMMARY_TIME_ZONE: env.SUMMARY_TIME_ZONE,
    SLACK_WORKSPACE_URL: env.SLACK_WORKSPACE_URL,
    SLACK_TEAM_ID: env.SLACK_TEAM_ID,
  };
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) throw new SummaryConfigError(`monthly summary configuration: ${describeIssues(parsed.error, input)}`);
  const v = parsed.data;
  return {
    from: v.SUMMARY_FROM,
    to: v.SUMMARY_TO,
    timeZone: v.SUMMARY_TIME_ZONE,
    ...(v.SUMMARY_CONFIGURATION_SET ? { configurationSetName: v.SUMMARY_CONFIGURATION_SET } : {}),
    ...(v.SLACK_WORKSPACE_URL ? { slackWorkspaceUrl: v.SLACK_WORKSPACE_URL } : {}),
    ...(v.SLACK_TEAM_ID ? { slackTeamId: v.SLACK_TEAM_ID } : {}),
  };
}

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

const EventSchema = z.looseObject({
  month: z
    .string({ error: 'expected a string YYYY-MM, like 2025-10' })
    .regex(MONTH_RE, 'expected YYYY-MM, like 2025-10')
    .refine((m) => {
      try {
        monthWindow(m);
        return true;
      } catch {
        return false;
      }
    }, 'expected a month from 1970-01 on')
    .optional(),
});

/**
 * The invocation event: `{ "month": "YYYY-MM" }` for a given month; anything else that is an object without `month`
 * (the scheduler's payload, `{}`) means "the previous month". Returns the requested month or null.
 */
export function parseSummaryEvent(event: unknown): string | null {
  if (event === undefined || event === null) return null;
  if (typeof event !== 'object' || Array.isArray(event)) {
    throw new InvalidSummaryEventError(`event: expected an object like {"month": "2025-10"} (got ${JSON.stringify(event)})`);
  }
  const parsed = EventSchema.safeParse(event);
  if (!parsed.success) throw new InvalidSummaryEventError(`event.${describeIssues(parsed.error, event as Record<string, unknown>)}`);
  return parsed.data.month ?? null;
}
