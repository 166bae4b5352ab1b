/**
 * Slack configuration from the environment, validated once per cold start with errors that name the variable.
 * Only non-secret values live in the environment; the signing secret and bot token are read from SSM
 * Parameter Store (see `secrets.ts`), by the parameter names given here.
 */
import { z } from 'zod';

export interface SlackConfig {
  /** The Slack workspace (team) whose clicks are accepted. */
  teamId: string;
  /** The channel claims are posted to, and the only channel whose clicks are accepted. */
  channelId: string;
  /** Slack user ids allowed to approve or reject. */
  approvers: ReadonlySet<string>;
  /** Base URL of the Slack Web API (`https://slack.com/api/` unless pointed at a fake server in tests/demos). */
  apiUrl?: string;
}

export class SlackConfigError extends Error {
  override readonly name = 'SlackConfigError';
}

const teamId = z.string().regex(/^[TE][A-Z0-9]{2,}$/, 'expected a Slack team id like T0123ABCD');
const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id like C0123ABCD (not a #name)');
const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected Slack user ids like U0123ABCD');
const paramName = z
  .string()
  .regex(/^[a-zA-Z0-9_.\-/]{1,2048}$/, 'expected an SSM parameter name like /sla-claims/slack/signing-secret');

const envSchema = z.object({
  SLACK_TEAM_ID: teamId,
  SLACK_CHANNEL_ID: channelId,
  SLACK_APPROVERS: z
    .string()
    .transform((text) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
    .pipe(z.array(userId).min(1, 'expected at least one Slack user id (comma-separated)')),
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
});

type Env = Record<string, string | undefined>;

function describe(error: z.ZodError, env: Env): string {
  return error.issues
    .map((issue) => {
      const variable = String(issue.path[0] ?? '?');
      const value = env[variable];
      if (value === undefined) return `${variable} is required but not set`;
      return `${variable}: ${issue.message} (got ${JSON.stringify(value)})`;
    })
    .join('; ');
}

function blankToUndefined(env: Env, names: string[]): Env {
  const picked: Env = {};
  for (const name of names) {
    const value = env[name]?.trim();
    picked[name] = value === '' ? undefined : value;
  }
  return picked;
}

/** Reads SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS and SLACK_API_URL (optional). */
export function loadSlackConfig(env: Env = process.env): SlackConfig {
  const picked = blankToUndefined(env, ['SLACK_TEAM_ID', 'SLACK_CHANNEL_ID', 'SLACK_APPROVERS', 'SLACK_API_URL']);
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) throw new SlackConfigError(`Slack configuration is invalid: ${describe(parsed.error, picked)}`);
  const { SLACK_TEAM_ID, SLACK_CHANNEL_ID, SLACK_APPROVERS, SLACK_API_URL } = parsed.data;
  return {
    teamId: SLACK_TEAM_ID,
    channelId: SLACK_CHANNEL_ID,
    approvers: new Set(SLACK_APPROVERS),
    ...(SLACK_API_URL ? { apiUrl: SLACK_API_URL } : {}),
  };
}

export type SecretParamVariable = 'SLACK_SIGNING_SECRET_PARAM' | 'SLACK_BOT_TOKEN_PARAM';

/** Reads the *name* of an SSM parameter (SLACK_SIGNING_SECRET_PARAM or SLACK_BOT_TOKEN_PARAM), never a secret itself. */
export function loadSecretParamName(variable: SecretParamVariable, env: Env = process.env): string {
  const picked = blankToUndefined(env, [variable]);
  const parsed = z.object({ [variable]: paramName }).safeParse(picked);
  if (!parsed.success) throw new SlackConfigError(`Slack configuration is invalid: ${describe(parsed.error, picked)}`);
  return parsed.data[variable] as string;
}
