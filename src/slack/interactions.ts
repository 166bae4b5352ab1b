/**
 * Slack interactions (use case): Approve / Reject clicks on claim messages and the rejection modal's submission.
 * The request is already verified (signature) when this runs. Here:
 *
 * 1. who may decide: our team, our channel, a user on the approver allow-list — a refused click changes nothing and
 *    leaves an audit entry (`refused`, with the reason); a click on an unknown claim is only logged;
 * 2. what is decided: the claim is re-read; the transition is conditional on `pending_approval` *and* the version the
 *    message showed, so double clicks, retries and 20 parallel approvals make exactly one transition, and a click on
 *    numbers that changed since they were shown does nothing;
 * 3. what people see: the message is updated in place (chat.update) to show the decision; a late clicker gets an
 *    ephemeral "already approved by …" through the `response_url`.
 *
 * Everything fits Slack's 3-second budget: one read, one transactional write, one chat.update, one small write.
 */
import { z } from 'zod';
import type { Claim } from '../claims/types.ts';
import type { ClaimStore, TransitionRequest, TransitionResult } from '../store/claim-store.ts';
import { isConditionFailure } from '../store/dynamo.ts';
import type { RespondFn, SlackApi } from './api.ts';
import { markFiled } from '../filing/mark-filed.ts';
import {
  ACTION_APPROVE,
  ACTION_MARK_FILED,
  ACTION_REJECT,
  ACTION_SHOW_CASE,
  CASE_ACTION_ID,
  CASE_BLOCK_ID,
  MARK_FILED_CALLBACK_ID,
  buildCaseTextModal,
  buildMarkFiledModal,
  REASON_ACTION_ID,
  REASON_BLOCK_ID,
  REASON_MAX_LENGTH,
  REJECT_CALLBACK_ID,
  alreadyDecidedText,
  buildNoticeModal,
  buildRejectModal,
  parseButtonValue,
  parseRejectMetadata,
} from './blocks.ts';
import type { SlackConfig } from './config.ts';
import type { SlackLogger } from './log.ts';
import { notifyClaim } from './notify.ts';

export interface InteractionDeps {
  store: ClaimStore;
  slack: SlackApi;
  respond: RespondFn;
  config: SlackConfig;
  now: () => Date;
  logger: SlackLogger;
}

/**
 * What to answer Slack: 200, with `body` as JSON for view submissions (close, errors or update the modal); or 400
 * with `badRequest` (the field and why) when a signed payload carries a claim reference we would never have sent.
 */
export interface InteractionResult {
  body?: Record<string, unknown>;
  badRequest?: string;
}

const id = z.object({ id: z.string() }).loose();

const blockActionsSchema = z
  .object({
    type: z.literal('block_actions'),
    team: id.nullish(),
    user: z.object({ id: z.string(), team_id: z.string().optional() }).loose(),
    channel: id.nullish(),
    container: z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).loose().optional(),
    trigger_id: z.string().optional(),
    response_url: z.string().optional(),
    actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() }).loose()),
  })
  .loose();

const viewSubmissionSchema = z
  .object({
    type: z.literal('view_submission'),
    team: id.nullish(),
    user: z.object({ id: z.string(), team_id: z.string().optional() }).loose(),
    view: z
      .object({
        callback_id: z.string().optional(),
        private_metadata: z.string().optional(),
        state: z
          .object({ values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }).loose())) })
          .loose()
          .optional(),
      })
      .loose(),
  })
  .loose();

type BlockActions = z.infer<typeof blockActionsSchema>;
type ViewSubmission = z.infer<typeof viewSubmissionSchema>;
type Decision = 'approve' | 'reject' | 'mark_filed';

export interface Clicker {
  teamId: string | undefined;
  channelId: string | undefined;
  userId: string;
}

export interface Refusal {
  code: 'other_team' | 'other_channel' | 'not_approver' | 'other_message';
  text: string;
}

/** Null when the clicker may decide; else why not. */
export function refusalFor(config: SlackConfig, who: Clicker): Refusal | null {
  if (who.teamId !== config.teamId) return { code: 'other_team', text: `workspace ${who.teamId ?? '(none)'} is not the configured workspace` };
  if (who.channelId !== config.channelId) return { code: 'other_channel', text: `channel ${who.channelId ?? '(none)'} is not the claims channel` };
  if (!config.approvers.has(who.userId)) return { code: 'not_approver', text: `user ${who.userId} is not an approver` };
  return null;
}

export async function handleInteraction(payload: unknown, deps: InteractionDeps): Promise<InteractionResult> {
  const type = (payload as { type?: unknown } | null)?.type;
  if (type === 'block_actions') {
    const parsed = blockActionsSchema.safeParse(payload);
    if (!parsed.success) {
      deps.logger.warn('unreadable block_actions payload', { issues: parsed.error.issues.length });
      return {};
    }
    return await handleBlockActions(parsed.data, deps);
  }
  if (type === 'view_submission') {
    const parsed = viewSubmissionSchema.safeParse(payload);
    if (!parsed.success) {
      deps.logger.warn('unreadable view_submission payload', { issues: parsed.error.issues.length });
      return {};
    }
    return await handleViewSubmission(parsed.data, deps);
  }
  deps.logger.info('ignored interaction', { type: typeof type === 'string' ? type : 'unknown' });
  return {};
}

async function tell(deps: InteractionDeps, responseUrl: string | undefined, text: string): Promise<void> {
  if (!responseUrl) return;
  try {
    await deps.respond(responseUrl, { response_type: 'ephemeral', replace_original: false, text });
  } catch (error) {
    deps.logger.warn('could not answer through response_url', { error: (error as Error).message });
  }
}

/** Brings the claim's message up to date; a failure here is logged (the stream notifier retries it). */
async function refreshMessage(claim: Claim, deps: InteractionDeps): Promise<void> {
  try {
    await notifyClaim(claim, deps);
  } catch (error) {
    deps.logger.warn('could not update the claim message', { claimId: claim.claimId, error: (error as Error).message });
  }
}

/** The store's conditional transition; a transaction conflict that decided nothing is retried. */
async function decide(store: ClaimStore, request: TransitionRequest): Promise<TransitionResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await store.transition(request);
      if (result.ok || !result.current || attempt >= 3) return result;
      const { current } = result;
      // Another writer's transaction collided with ours without changing the claim: try again.
      if (current.status === request.from && current.version === request.expectedVersion) continue;
      return result;
    } catch (error) {
      // A store may surface a cancelled transaction (conflict) instead of answering: re-read and decide again.
      if (!isConditionFailure(error) || attempt >= 3) throw error;
      const current = await store.getClaim(request.claimId);
      if (!current || current.status !== request.from || current.version !== request.expectedVersion) return { ok: false, current };
    }
  }
}

async function refuse(deps: InteractionDeps, claim: Claim, who: Clicker, decision: Decision, refusal: Refusal, version: number): Promise<void> {
  deps.logger.warn('refused a Slack decision', { claimId: claim.claimId, user: who.userId, reason: refusal.code });
  await deps.store.appendAudit({
    claimId: claim.claimId,
    at: deps.now().toISOString(),
    actor: who.userId,
    action: 'refused',
    reason: refusal.text,
    detail: {
      code: refusal.code,
      decision,
      team: who.teamId ?? '',
      channel: who.channelId ?? '',
      shownVersion: String(version),
    },
  });
}

async function noteLateClick(deps: InteractionDeps, claim: Claim, who: Clicker, decision: Decision, version: number): Promise<void> {
  await deps.store.appendAudit({
    claimId: claim.claimId,
    at: deps.now().toISOString(),
    actor: who.userId,
    action: 'late_click',
    reason: alreadyDecidedText(claim).replace(/<@([A-Z0-9]+)>/g, '$1'),
    detail: { decision, shownVersion: String(version), status: claim.status, version: String(claim.version) },
  });
}

/** Who clicked (team, channel, user), from a block-actions payload. */
function clickerOf(payload: BlockActions): Clicker {
  return {
    teamId: payload.team?.id ?? payload.user.team_id,
    channelId: payload.channel?.id ?? payload.container?.channel_id,
    userId: payload.user.id,
  };
}

const FILING_ACTIONS = new Set([ACTION_SHOW_CASE, ACTION_MARK_FILED]);

/**
 * "Show case text" and "Mark as filed…" on a ready-to-file claim: each opens a modal (the text to paste; the form
 * asking for the case ID). Who may: as for approvals (team, channel, approver). The claim must still be ready to file
 * at the version the message showed.
 */
async function handleFilingAction(payload: BlockActions, deps: InteractionDeps): Promise<InteractionResult> {
  const actionIndex = payload.actions.findIndex((a) => FILING_ACTIONS.has(a.action_id));
  const action = payload.actions[actionIndex]!;
  const who = clickerOf(payload);
  const parsedValue = parseButtonValue(action.value);
  if (!parsedValue.ok) {
    deps.logger.warn('button value is not a claim reference', { user: who.userId, error: parsedValue.error });
    return { badRequest: `actions[${actionIndex}].value: ${parsedValue.error}` };
  }
  const shown = parsedValue.value;
  const claim = await deps.store.getClaim(shown.claimId);
  if (!claim) {
    await tell(deps, payload.response_url, 'This claim no longer exists.');
    return {};
  }
  const refusal = refusalFor(deps.config, who);
  if (refusal) {
    await refuse(deps, claim, who, 'mark_filed', refusal, shown.version);
    await tell(deps, payload.response_url, `You cannot file this claim: ${refusal.text}.`);
    return {};
  }
  if (claim.status !== 'ready_to_file' || claim.version !== shown.version) {
    await tell(deps, payload.response_url, alreadyDecidedText(claim));
    if (claim.status === 'ready_to_file') await refreshMessage(claim, deps);
    return {};
  }
  if (!payload.trigger_id) {
    await tell(deps, payload.response_url, 'Slack did not send a trigger to open the form; please try again.');
    return {};
  }
  if (action.action_id === ACTION_SHOW_CASE) {
    await deps.slack.openView(payload.trigger_id, buildCaseTextModal(claim));
    return {};
  }
  const channel = who.channelId ?? deps.config.channelId;
  const messageTs = claim.slack?.ts ?? payload.container?.message_ts ?? '';
  await deps.slack.openView(payload.trigger_id, buildMarkFiledModal(claim, { claimId: claim.claimId, version: shown.version, channel, messageTs }));
  return {};
}

async function handleBlockActions(payload: BlockActions, deps: InteractionDeps): Promise<InteractionResult> {
  if (payload.actions.some((a) => FILING_ACTIONS.has(a.action_id))) return await handleFilingAction(payload, deps);
  const actionIndex = payload.actions.findIndex((a) => a.action_id === ACTION_APPROVE || a.action_id === ACTION_REJECT);
  const action = payload.actions[actionIndex];
  if (!action) return {};
  const decision: Decision = action.action_id === ACTION_APPROVE ? 'approve' : 'reject';
  const who = clickerOf(payload);
  const parsedValue = parseButtonValue(action.value);
  if (!parsedValue.ok) {
    // Checked before any read: an oversized id would otherwise fail the DynamoDB key (HTTP 500).
    deps.logger.warn('button value is not a claim reference', { user: who.userId, error: parsedValue.error });
    return { badRequest: `actions[${actionIndex}].value: ${parsedValue.error}` };
  }
  const shown = parsedValue.value;
  const claim = await deps.store.getClaim(shown.claimId);
  if (!claim) {
    deps.logger.warn('click on an unknown claim', { claimId: shown.claimId, user: who.userId, decision });
    await tell(deps, payload.response_url, 'This claim no longer exists.');
    return {};
  }
  const refusal =
    refusalFor(deps.config, who) ??
    (claim.slack && payload.container?.message_ts && payload.container.message_ts !== claim.slack.ts
      ? ({ code: 'other_message', text: 'the click came from a message that is not the claim message' } as const)
      : null);
  if (refusal) {
    await refuse(deps, claim, who, decision, refusal, shown.version);
    await tell(deps, payload.response_url, `You cannot ${decision} this claim: ${refusal.text}.`);
    return {};
  }
  if (claim.status !== 'pending_approval' || claim.version !== shown.version) {
    await noteLateClick(deps, claim, who, decision, shown.version);
    await tell(deps, payload.response_url, alreadyDecidedText(claim));
    if (claim.status === 'pending_approval') await refreshMessage(claim, deps);
    return {};
  }

  if (decision === 'reject') {
    if (!payload.trigger_id) {
      await tell(deps, payload.response_url, 'Slack did not send a trigger to open the rejection form; please try again.');
      return {};
    }
    const channel = who.channelId ?? deps.config.channelId;
    const messageTs = claim.slack?.ts ?? payload.container?.message_ts ?? '';
    await deps.slack.openView(payload.trigger_id, buildRejectModal(claim, { claimId: claim.claimId, version: shown.version, channel, messageTs }));
    return {};
  }

  const result = await decide(deps.store, {
    claimId: claim.claimId,
    from: 'pending_approval',
    to: 'approved',
    expectedVersion: shown.version,
    actor: who.userId,
    at: deps.now().toISOString(),
    patch: { decidedBy: who.userId },
    detail: { via: 'slack', decision: 'approve', channel: who.channelId ?? '', messageTs: payload.container?.message_ts ?? '' },
  });
  if (result.ok) {
    deps.logger.info('claim approved in Slack', { claimId: claim.claimId, user: who.userId, version: result.claim.version });
    await refreshMessage(result.claim, deps);
    return {};
  }
  if (!result.current) {
    await tell(deps, payload.response_url, 'This claim no longer exists.');
    return {};
  }
  await noteLateClick(deps, result.current, who, decision, shown.version);
  await tell(deps, payload.response_url, alreadyDecidedText(result.current));
  return {};
}

/** The "Mark as filed" form: ready_to_file → submitted with the case ID, conditional on the version shown. */
async function handleMarkFiled(payload: ViewSubmission, deps: InteractionDeps): Promise<InteractionResult> {
  const { view } = payload;
  const notice = (heading: string, text: string): InteractionResult => ({ body: { response_action: 'update', view: buildNoticeModal(heading, text) } });
  const parsedMetadata = parseRejectMetadata(view.private_metadata);
  if (!parsedMetadata.ok) {
    deps.logger.warn('mark-as-filed form without claim metadata', { user: payload.user.id, error: parsedMetadata.error });
    return { badRequest: `view.private_metadata: ${parsedMetadata.error}` };
  }
  const metadata = parsedMetadata.value;
  const caseRef = (view.state?.values[CASE_BLOCK_ID]?.[CASE_ACTION_ID]?.value ?? '').trim();
  const who: Clicker = { teamId: payload.team?.id ?? payload.user.team_id, channelId: metadata.channel, userId: payload.user.id };
  const claim = await deps.store.getClaim(metadata.claimId);
  if (!claim) return notice('Not marked', 'This claim no longer exists.');
  const refusal = refusalFor(deps.config, who);
  if (refusal) {
    await refuse(deps, claim, who, 'mark_filed', refusal, metadata.version);
    return notice('Not marked', `You cannot file this claim: ${refusal.text}.`);
  }
  const result = await markFiled(deps.store, {
    claimId: claim.claimId,
    caseRef,
    expectedVersion: metadata.version,
    actor: who.userId,
    at: deps.now().toISOString(),
    via: 'slack',
  });
  if (result.ok) {
    deps.logger.info('claim marked as filed in Slack', { claimId: claim.claimId, user: who.userId, caseId: caseRef });
    await refreshMessage(result.claim, deps);
    return {};
  }
  if (result.problem === 'bad_case_ref') return { body: { response_action: 'errors', errors: { [CASE_BLOCK_ID]: result.text } } };
  if (!result.current) return notice('Not marked', 'This claim no longer exists.');
  await noteLateClick(deps, result.current, who, 'mark_filed', metadata.version);
  return notice('Not marked', alreadyDecidedText(result.current));
}

async function handleViewSubmission(payload: ViewSubmission, deps: InteractionDeps): Promise<InteractionResult> {
  const { view } = payload;
  if (view.callback_id === MARK_FILED_CALLBACK_ID) return await handleMarkFiled(payload, deps);
  if (view.callback_id !== REJECT_CALLBACK_ID) return {};
  const notice = (heading: string, text: string): InteractionResult => ({
    body: { response_action: 'update', view: buildNoticeModal(heading, text) },
  });
  const parsedMetadata = parseRejectMetadata(view.private_metadata);
  if (!parsedMetadata.ok) {
    deps.logger.warn('rejection form without claim metadata', { user: payload.user.id, error: parsedMetadata.error });
    return { badRequest: `view.private_metadata: ${parsedMetadata.error}` };
  }
  const metadata = parsedMetadata.value;
  const reason = (view.state?.values[REASON_BLOCK_ID]?.[REASON_ACTION_ID]?.value ?? '').trim();
  if (reason.length < 3) {
    return { body: { response_action: 'errors', errors: { [REASON_BLOCK_ID]: 'Please give a reason (at least 3 characters).' } } };
  }
  const who: Clicker = { teamId: payload.team?.id ?? payload.user.team_id, channelId: metadata.channel, userId: payload.user.id };
  const claim = await deps.store.getClaim(metadata.claimId);
  if (!claim) {
    deps.logger.warn('rejection of an unknown claim', { claimId: metadata.claimId, user: who.userId });
    return notice('Not rejected', 'This claim no longer exists.');
  }
  const refusal = refusalFor(deps.config, who);
  if (refusal) {
    await refuse(deps, claim, who, 'reject', refusal, metadata.version);
    return notice('Not rejected', `You cannot reject this claim: ${refusal.text}.`);
  }
  const result = await decide(deps.store, {
    claimId: claim.claimId,
    from: 'pending_approval',
    to: 'rejected',
    expectedVersion: metadata.version,
    actor: who.userId,
    at: deps.now().toISOString(),
    reason: reason.slice(0, REASON_MAX_LENGTH),
    patch: { decidedBy: who.userId, decisionReason: reason.slice(0, REASON_MAX_LENGTH) },
    detail: { via: 'slack', decision: 'reject', channel: metadata.channel, messageTs: metadata.messageTs },
  });
  if (result.ok) {
    deps.logger.info('claim rejected in Slack', { claimId: claim.claimId, user: who.userId, version: result.claim.version });
    await refreshMessage(result.claim, deps);
    return {}; // An empty 200 closes the modal.
  }
  if (!result.current) return notice('Not rejected', 'This claim no longer exists.');
  await noteLateClick(deps, result.current, who, 'reject', metadata.version);
  if (result.current.status === 'pending_approval') await refreshMessage(result.current, deps);
  return notice('Not rejected', alreadyDecidedText(result.current));
}
