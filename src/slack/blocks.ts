/**
 * Block Kit for claims (pure): the approval message, its decided forms, the rejection modal, and the small texts
 * sent to clickers. Respects Slack's limits: ≤ 50 blocks per message, section text ≤ 3000 characters, section
 * fields ≤ 10 × 2000, header ≤ 150, button text ≤ 75 and value ≤ 2000, modal title/submit/close ≤ 24,
 * private_metadata ≤ 3000. Everything user- or AWS-provided is escaped for mrkdwn.
 *
 * A fleet claim (`claim.fleet`: one claim for all the account's affected resources of an SLA in a Region) shows how
 * many resources it covers and its groups of resources (same incidents, same downtime), a few of each; the approval
 * stays one decision on the whole claim.
 */
import type { ActionsBlock, Button, KnownBlock, ModalView, SectionBlock } from '@slack/web-api';
import { z } from 'zod';
import type { Claim, Evidence, Fleet, FleetPart, SlackRef } from '../claims/types.ts';
import { caseTextForClaim } from '../filing/case-text.ts';
import { formatUsd } from '../credit/money.ts';
import { daysUntil } from '../credit/month.ts';
import { countText, fleetOverview, hiddenPartsText, sampleId } from '../format/fleet.ts';

export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  modalTitle: 24,
  privateMetadata: 3000,
  /** Evidence lines shown before "+N more", whatever their length. */
  evidenceLines: 10,
} as const;

export const ACTION_APPROVE = 'claim_approve';
export const ACTION_REJECT = 'claim_reject';
export const REJECT_CALLBACK_ID = 'claim_reject_reason';
export const REASON_BLOCK_ID = 'reject_reason';
export const REASON_ACTION_ID = 'reason';
export const REASON_MAX_LENGTH = 500;
/** Ready-to-file claims: show the case text (a modal), and record the case a person opened. */
export const ACTION_SHOW_CASE = 'claim_case_text';
export const ACTION_MARK_FILED = 'claim_mark_filed';
export const MARK_FILED_CALLBACK_ID = 'claim_mark_filed_case';
export const CASE_BLOCK_ID = 'case_ref';
export const CASE_ACTION_ID = 'case_id';
/** Support Center's page of a case, by the id it shows. */
export const SUPPORT_CENTER_CASE_URL = 'https://support.console.aws.amazon.com/support/home#/case/?displayId=';

export interface ClaimMessage {
  /** Notification / fallback text. */
  text: string;
  blocks: KnownBlock[];
}

// ---------------------------------------------------------------------------------------------------------------
// Values carried through Slack (button values, modal metadata). Never trusted beyond naming a claim and a version:
// the claim is always re-read and every write is conditional.

/** What an Approve/Reject button names: the claim and the version its message showed. */
export interface ButtonValue {
  claimId: string;
  version: number;
}

/**
 * Upper bound of a claim id, in UTF-8 bytes. The id becomes the partition key `CLAIM#<id>` (DynamoDB: at most 2,048
 * bytes), so an unbounded id from a (signed) payload would fail the read with a ValidationException. Real ids are a
 * scope key (itself a LINK# sort key component, at most 1,024 bytes) plus `#YYYY-MM`, so 1,536 bytes leaves room for
 * every id the pipeline can produce and 500 bytes of margin below the key limit.
 */
export const MAX_CLAIM_ID_BYTES = 1536;

const claimIdSchema = z
  .string()
  .min(1, 'claimId is empty')
  .refine((id) => Buffer.byteLength(id, 'utf8') <= MAX_CLAIM_ID_BYTES, {
    error: (issue) => `claimId is ${Buffer.byteLength(String(issue.input), 'utf8')} bytes (UTF-8), over the ${MAX_CLAIM_ID_BYTES}-byte limit`,
  });

const buttonValueSchema = z.object({ claimId: claimIdSchema, version: z.number().int().positive() });

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseJsonWith<T>(schema: z.ZodType<T>, text: string | undefined): Parsed<T> {
  if (!text) return { ok: false, error: 'is missing' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'is not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ') };
}

/** A button value, or why it is not one (naming the field). */
export function parseButtonValue(text: string | undefined): Parsed<ButtonValue> {
  return parseJsonWith(buttonValueSchema, text);
}

export function encodeButtonValue(value: ButtonValue): string {
  const text = JSON.stringify({ claimId: value.claimId, version: value.version });
  if (text.length > LIMITS.buttonValue) throw new Error(`button value for claim ${value.claimId} exceeds ${LIMITS.buttonValue} characters`);
  return text;
}

export function decodeButtonValue(text: string | undefined): ButtonValue | null {
  const parsed = parseButtonValue(text);
  return parsed.ok ? parsed.value : null;
}

/** What the rejection modal carries in `private_metadata` (set by us; Slack returns it unchanged on submission). */
export interface RejectMetadata extends ButtonValue {
  channel: string;
  messageTs: string;
}

const rejectMetadataSchema = buttonValueSchema.extend({ channel: z.string().min(1).max(64), messageTs: z.string().min(1).max(64) });

export function encodeRejectMetadata(metadata: RejectMetadata): string {
  const text = JSON.stringify({ claimId: metadata.claimId, version: metadata.version, channel: metadata.channel, messageTs: metadata.messageTs });
  if (text.length > LIMITS.privateMetadata) throw new Error(`modal metadata for claim ${metadata.claimId} exceeds ${LIMITS.privateMetadata} characters`);
  return text;
}

/** The rejection modal's metadata, or why it is not (naming the field). */
export function parseRejectMetadata(text: string | undefined): Parsed<RejectMetadata> {
  return parseJsonWith(rejectMetadataSchema, text);
}

export function decodeRejectMetadata(text: string | undefined): RejectMetadata | null {
  const parsed = parseRejectMetadata(text);
  return parsed.ok ? parsed.value : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to at most `max` characters (code points are not split), ending with "…" when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Do not leave half a surrogate pair or half an escape entity behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]{0,3}$/, '');
  return `${cut}…`;
}

export function mention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${minutes} min (${h} h ${m} min)` : `${minutes} min`;
}

function shortTime(iso: string | null): string {
  if (!iso) return 'ongoing';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : escapeMrkdwn(iso);
}

export function scopeText(claim: Claim): { label: string; value: string } {
  if (claim.fleet) return { label: 'Resources', value: `${countText(claim.fleet.resourceCount)} in ${claim.region}` };
  return claim.resource ? { label: 'Resource', value: claim.resource } : { label: 'Region', value: claim.region };
}

/** A fleet claim's parts differ in credit percentage: the claim's own (the worst part's) is an upper bound. */
function percentText(claim: Claim): string {
  const varies = claim.fleet?.parts.some((p) => p.creditPercent !== claim.creditPercent) === true;
  return `${varies ? 'up to ' : ''}${claim.creditPercent} %`;
}

/**
 * A credit is owed but its amount is not known (the month's charges are unknown) and it can still be filed: such a
 * claim is sent for approval like a claimable one, with a warning to confirm the charges before filing.
 * The deadline is the last day to file (YYYY-MM-DD, UTC): it has not passed while it is today or later.
 */
export function awaitsChargesConfirmation(claim: Claim, now: Date): boolean {
  return claim.creditCents === null && claim.creditPercent > 0 && daysUntil(claim.deadline, now.getTime()) >= 0;
}

const CONFIRM_CHARGES = "charges unknown: confirm the month's charges before filing";

export function creditText(claim: Claim): string {
  const unknown = claim.creditPercent > 0 ? ` — ${CONFIRM_CHARGES}` : ' (charges unknown)';
  // Several groups: the claim's percentage is the worst group's, its credit and charges the groups' sums.
  if (claim.fleet && claim.fleet.parts.length > 1 && claim.creditDays === null) {
    if (claim.creditCents === null) return `${percentText(claim)} of the resources' charges${unknown}`;
    const base = claim.chargesCents !== null ? ` (charges ${formatUsd(claim.chargesCents)})` : '';
    return `${formatUsd(claim.creditCents)}, the sum of the ${claim.fleet.parts.length} groups' credits${base}`;
  }
  if (claim.creditDays !== null) {
    const amount = claim.creditCents !== null ? ` = ${formatUsd(claim.creditCents)}` : unknown;
    return `${claim.creditDays} day(s) of average daily charges${amount}`;
  }
  if (claim.creditCents === null) return `${claim.creditPercent} % of the month's charges${unknown}`;
  const base = claim.chargesCents !== null ? ` of ${formatUsd(claim.chargesCents)}` : '';
  return `${claim.creditPercent} %${base} = ${formatUsd(claim.creditCents)}`;
}

export function deadlineText(deadline: string, now: Date): string {
  const days = daysUntil(deadline, now.getTime());
  if (days > 1) return `${deadline} (${days} days left)`;
  if (days === 1) return `${deadline} (1 day left)`;
  if (days === 0) return `${deadline} (due today)`;
  return `${deadline} (passed ${-days} day(s) ago)`;
}

function amountShort(claim: Claim): string {
  return claim.creditCents !== null ? formatUsd(claim.creditCents) : `${percentText(claim)} (charges unknown)`;
}

function title(claim: Claim): string {
  const scope = scopeText(claim).value;
  return `${claim.slaClause.name} · ${scope} · ${claim.month}`;
}

function evidenceLine(e: Evidence): string {
  const resources = e.affectedResourceCount > 0 ? ` · ${e.affectedResourceCount} resource(s)` : '';
  const line = `• \`${escapeMrkdwn(e.eventArn)}\`\n   ${shortTime(e.startTime)} → ${shortTime(e.endTime)} · ${escapeMrkdwn(e.statusCode)}${resources}`;
  return clip(line, 600);
}

/**
 * The evidence section text: one line per event, as many as fit in `maxChars` (and `LIMITS.evidenceLines`),
 * then "+N more".
 */
export function evidenceText(evidence: readonly Evidence[], maxChars: number = LIMITS.sectionText): string {
  const head = `*Evidence* (${evidence.length} event${evidence.length === 1 ? '' : 's'})`;
  if (evidence.length === 0) return `${head}\n_none recorded_`;
  const lines: string[] = [];
  let used = head.length;
  for (let i = 0; i < evidence.length; i++) {
    const line = evidenceLine(evidence[i] as Evidence);
    const remainingAfter = evidence.length - i - 1;
    const moreReserve = remainingAfter > 0 ? `\n+${evidence.length} more`.length : 0;
    if (lines.length >= LIMITS.evidenceLines || used + 1 + line.length + moreReserve > maxChars) break;
    lines.push(line);
    used += 1 + line.length;
  }
  const more = evidence.length - lines.length;
  return [head, ...lines, ...(more > 0 ? [`+${more} more`] : [])].join('\n');
}

/** A group's credit: its percentage, and the amount when its charges are known. */
function partCreditText(part: FleetPart): string {
  if (part.creditPercent === 0) return part.tierText === null ? 'no credit (commitment met)' : 'no credit';
  if (part.creditCents === null) return `credit ${part.creditPercent} % (charges unknown)`;
  const base = part.chargesCents !== null ? ` of ${formatUsd(part.chargesCents)}` : '';
  return `credit ${part.creditPercent} %${base} = ${formatUsd(part.creditCents)}`;
}

function partLine(shown: { part: FleetPart; samples: string[]; moreResources: number }): string {
  const { part } = shown;
  const ids = shown.samples.map((r) => `\`${escapeMrkdwn(sampleId(r))}\``).join(', ');
  const more = shown.moreResources > 0 ? ` + ${shown.moreResources.toLocaleString('en-US')} more` : '';
  const events = countText(part.incidents.length, 'event');
  const line = `• *${countText(part.resourceCount)}*: ${ids}${more}\n   ${minutesText(part.downtimeMinutes)} down · uptime ${part.uptimePercent} % · ${partCreditText(part)} · ${events}`;
  return clip(line, 600);
}

/**
 * A fleet claim's groups of resources (hit by the same events: same downtime, same credit %), largest downtime first:
 * the first SHOWN_PARTS that fit in `maxChars`, each with a few resource ids, then "+ N more groups, M resources".
 */
export function fleetPartsText(fleet: Fleet, maxChars: number = LIMITS.sectionText): string {
  const groups = countText(fleet.parts.length, 'group');
  const head = `*Resource groups* (${countText(fleet.resourceCount)} in ${groups}; a group's resources were hit by the same events)`;
  if (fleet.parts.length === 0) return `${head}\n_none recorded_`;
  const { shown } = fleetOverview(fleet.parts);
  // Resources in the parts after index i, to size the "+ N more" line that would follow it.
  const after: number[] = [];
  for (let i = fleet.parts.length - 1, sum = 0; i >= 0; i--) {
    after[i] = sum;
    sum += (fleet.parts[i] as FleetPart).resourceCount;
  }
  const lines: string[] = [];
  let used = head.length;
  for (let i = 0; i < shown.length; i++) {
    const line = partLine(shown[i]!);
    const hiddenAfter = fleet.parts.length - i - 1;
    const reserve = hiddenAfter > 0 ? 1 + hiddenPartsText({ hiddenParts: hiddenAfter, hiddenResources: after[i]! }).length : 0;
    if (used + 1 + line.length + reserve > maxChars) break;
    lines.push(line);
    used += 1 + line.length;
  }
  const hiddenParts = fleet.parts.length - lines.length;
  const more = hiddenPartsText({ hiddenParts, hiddenResources: fleet.parts.slice(lines.length).reduce((n, p) => n + p.resourceCount, 0) });
  return [head, ...lines, ...(more ? [more] : [])].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The claim message

export interface MessageOptions {
  now: Date;
  /** Allowed approvers, listed under the buttons. */
  approvers?: ReadonlySet<string>;
  /** Set on a post that lost the race to another one: shown without buttons, pointing at the tracked message. */
  duplicateOf?: SlackRef;
}

function statusText(claim: Claim, options: MessageOptions): string {
  if (options.duplicateOf) {
    return `:warning: *Duplicate post.* This claim is tracked in another message in this channel (ts ${escapeMrkdwn(options.duplicateOf.ts)}); use that one.`;
  }
  const by = claim.decidedBy ? mention(claim.decidedBy) : 'someone';
  switch (claim.status) {
    case 'pending_approval':
      if (claim.claimable) return `:hourglass_flowing_sand: *Awaiting approval* to claim *${amountShort(claim)}* from AWS.`;
      if (awaitsChargesConfirmation(claim, options.now)) {
        return `:hourglass_flowing_sand: *Awaiting approval*: :warning: *credit ${percentText(claim)} — ${CONFIRM_CHARGES}.*`;
      }
      return daysUntil(claim.deadline, options.now.getTime()) < 0
        ? ':warning: *No longer claimable*: the filing deadline has passed. Reject it to close it.'
        : ':warning: *No longer claimable*: the credit is $1.00 or less (AWS pays no such credit). Reject it to close it.';
    case 'approved':
      return `:white_check_mark: *Approved by ${by}* at ${shortTime(claim.updatedAt)}.`;
    case 'rejected': {
      const reason = claim.decisionReason ? `: ${escapeMrkdwn(clip(claim.decisionReason, REASON_MAX_LENGTH))}` : '.';
      return `:x: *Rejected by ${by}*${reason}`;
    }
    case 'ready_to_file': {
      const why = claim.filingNote ? ` (${escapeMrkdwn(clip(claim.filingNote, 500))})` : '';
      return `:clipboard: *Ready to file by hand*${why}: open a case in AWS Support Center (Account and billing) with the case text (*Show case text*), then *Mark as filed* with its case ID.`;
    }
    case 'submitted':
      return `:outbox_tray: *Submitted* to AWS Support${caseText(claim)}.`;
    case 'credited':
      return ':moneybag: *Credited*: AWS paid this claim.';
    case 'denied':
      return ':no_entry: *Denied* by AWS.';
    case 'expired':
      return ':hourglass: *Expired*: the filing deadline passed before the claim was filed; the credit is lost.';
    case 'draft':
      return ':memo: Draft (not yet sent for approval).';
  }
}

/** " as case <id> (link), by …, at …" for a filed claim. */
function caseText(claim: Claim): string {
  const f = claim.filing;
  if (!f) return '';
  const shown = f.displayId ?? f.caseId;
  const link = f.displayId ? `<${SUPPORT_CENTER_CASE_URL}${encodeURIComponent(f.displayId)}|${escapeMrkdwn(shown)}>` : `\`${escapeMrkdwn(shown)}\``;
  const who = f.via === 'manual' ? ` by ${mention(f.filedBy)}` : ' automatically';
  const where = f.filedInAccount ? ` in account ${escapeMrkdwn(f.filedInAccount)}` : '';
  return `: case ${link}${where}, filed${who} at ${shortTime(f.filedAt)}`;
}

/** What the downtime rests on, in the words the message shows. */
export function basisText(claim: Claim): string {
  return claim.basis?.kind === 'measured' ? 'measured from your CloudWatch metrics' : 'estimate: AWS Health window, an upper bound';
}

export const TERMS_UNCONFIRMED = 'terms unconfirmed: not filed automatically';

function field(label: string, value: string) {
  return { type: 'mrkdwn' as const, text: clip(`*${label}*\n${value}`, LIMITS.fieldText) };
}

export function buildClaimMessage(claim: Claim, options: MessageOptions): ClaimMessage {
  const scope = scopeText(claim);
  const clause = claim.slaClause;
  const groups = claim.fleet && claim.fleet.parts.length > 1 ? claim.fleet.parts.length : 0;
  const ofGroups = (what: string) => (groups ? `\n_${what} of ${groups} groups_` : '');
  const downtime = `${minutesText(claim.downtimeMinutes)}${ofGroups('longest')}${claim.provisional ? '\n_provisional: an event is still open_' : ''}`;
  const scopeValue = claim.fleet ? `${countText(claim.fleet.resourceCount)} in \`${escapeMrkdwn(claim.region)}\`` : `\`${escapeMrkdwn(scope.value)}\``;
  const fields = [
    field('Service', escapeMrkdwn(clause.name) + (clause.negotiated ? ' (negotiated terms)' : '')),
    field(scope.label, scopeValue),
    field('Account', escapeMrkdwn(claim.account)),
    field('Month', escapeMrkdwn(claim.month)),
    field('Downtime', downtime),
    field('Uptime', `${claim.uptimePercent} % (commitment ${escapeMrkdwn(clause.commitmentPercent)} %)${ofGroups('lowest')}`),
    field('Credit', creditText(claim)),
    field('Deadline', deadlineText(claim.deadline, options.now)),
    field('Basis', basisText(claim)),
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`SLA credit claim: ${title(claim)}`, LIMITS.headerText), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(statusText(claim, options), LIMITS.sectionText) } },
    { type: 'section', fields: fields.slice(0, LIMITS.fieldsPerSection) },
    ...(claim.fleet ? [{ type: 'section', text: { type: 'mrkdwn', text: fleetPartsText(claim.fleet) } } as const] : []),
    { type: 'section', text: { type: 'mrkdwn', text: evidenceText(claim.evidence) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: clip(
            `SLA: <${clause.sourceUrl.replace(/[<>|]/g, '')}|${escapeMrkdwn(clause.name)}> · ${escapeMrkdwn(clause.tierText)} · credit base: ${escapeMrkdwn(clause.creditBaseText)}`,
            LIMITS.sectionText,
          ),
        },
        { type: 'mrkdwn', text: `Claim \`${escapeMrkdwn(clip(claim.claimId, 500))}\` · version ${claim.version} · computed ${shortTime(claim.computedAt)}` },
      ],
    },
  ];
  if (claim.terms?.confirmed !== true) {
    const what = claim.terms?.unconfirmed?.length ? `: ${escapeMrkdwn(claim.terms.unconfirmed.join('; '))}` : '';
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`:warning: ${TERMS_UNCONFIRMED} (check the SLA page in force for ${escapeMrkdwn(claim.month)}${what})`, LIMITS.sectionText) }] });
  }
  if (claim.status === 'ready_to_file' && !options.duplicateOf) blocks.push(fileByHandBlock(claim));
  if (claim.status === 'pending_approval' && !options.duplicateOf) {
    blocks.push(actionsBlock(claim, options.now));
    if (options.approvers && options.approvers.size > 0) {
      const names = [...options.approvers].map(mention).join(', ');
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`Approvers: ${names}`, LIMITS.sectionText) }] });
    }
  }
  if (blocks.length > LIMITS.blocksPerMessage) throw new Error('claim message exceeds the block limit');
  const state = options.duplicateOf ? 'duplicate' : claim.status.replace('_', ' ');
  const text = clip(`SLA credit claim ${title(claim)}: ${amountShort(claim)} (${state})`, LIMITS.sectionText);
  return { text, blocks };
}

function actionsBlock(claim: Claim, now: Date): ActionsBlock {
  const value = encodeButtonValue({ claimId: claim.claimId, version: claim.version });
  const approvable = claim.claimable || awaitsChargesConfirmation(claim, now);
  // First, so that clipping a long title never cuts the warning.
  const confirmCharges = claim.creditCents === null ? "The charges are unknown: confirm the month's charges before filing. " : '';
  const approve: Button = {
    type: 'button',
    action_id: ACTION_APPROVE,
    text: { type: 'plain_text', text: 'Approve', emoji: true },
    style: 'primary',
    value,
    confirm: {
      title: { type: 'plain_text', text: 'Approve this claim?' },
      text: { type: 'mrkdwn', text: clip(`${confirmCharges}File a claim for *${amountShort(claim)}* (${escapeMrkdwn(title(claim))}) with AWS Support?`, 300) },
      confirm: { type: 'plain_text', text: 'Approve' },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  };
  const reject: Button = {
    type: 'button',
    action_id: ACTION_REJECT,
    text: { type: 'plain_text', text: 'Reject…', emoji: true },
    style: 'danger',
    value,
  };
  // A new block_id per version, as Slack asks for updated messages.
  return { type: 'actions', block_id: `claim-actions-v${claim.version}`, elements: approvable ? [approve, reject] : [reject] };
}

function fileByHandBlock(claim: Claim): ActionsBlock {
  const value = encodeButtonValue({ claimId: claim.claimId, version: claim.version });
  return {
    type: 'actions',
    block_id: `claim-filing-v${claim.version}`,
    elements: [
      { type: 'button', action_id: ACTION_SHOW_CASE, text: { type: 'plain_text', text: 'Show case text', emoji: true }, value },
      { type: 'button', action_id: ACTION_MARK_FILED, text: { type: 'plain_text', text: 'Mark as filed…', emoji: true }, style: 'primary', value },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Modals and short replies

/** Modals hold at most 100 blocks; the case text (≤ 8,000 characters) needs a few sections. */
const MODAL_BLOCKS = 100;
const CHUNK = 2800;

/** Splits text at line ends into pieces of at most `max` characters (a longer line is cut). */
export function chunkLines(text: string, max: number = CHUNK): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      if (current) chunks.push(current);
      chunks.push(rest.slice(0, max));
      current = '';
      rest = rest.slice(max);
    }
    const next = current ? `${current}\n${rest}` : rest;
    if (next.length > max) {
      chunks.push(current);
      current = rest;
    } else current = next;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** A fleet whose list is not all in the text: where a person filing by hand gets the CSV to attach. */
function fullListHint(claim: Claim): string {
  if (!claim.fleet?.parts.some((p) => p.chunks?.length)) return '';
  return `\nThe description shows the first resources of each group; attach the full list of ${countText(claim.fleet.resourceCount)}: \`sla-claims case ${escapeMrkdwn(claim.claimId)} --files DIR\` writes it as a CSV.`;
}

/** The case text, ready to paste into Support Center: subject and body as code blocks. */
export function buildCaseTextModal(claim: Claim): ModalView {
  const text = caseTextForClaim(claim);
  const code = (t: string) => `\`\`\`${escapeMrkdwn(t)}\`\`\``;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*${escapeMrkdwn(title(claim))}*\nIn Support Center: *Create case* → *Account and billing*; paste the subject and the description below.${fullListHint(claim)}`, LIMITS.sectionText) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*Subject*\n${code(text.subject)}`, LIMITS.sectionText) } },
    { type: 'section', text: { type: 'mrkdwn', text: '*Description*' } },
    // Escaping can lengthen a chunk; 2,800 + entities stays under 3,000 for ordinary text, clip guards the rest.
    ...chunkLines(text.body).map((chunk): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(code(chunk), LIMITS.sectionText) } })),
  ];
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Case text' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: blocks.slice(0, MODAL_BLOCKS),
  };
}

/** Asks for the case ID of a claim a person filed in Support Center. */
export function buildMarkFiledModal(claim: Claim, metadata: RejectMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: MARK_FILED_CALLBACK_ID,
    private_metadata: encodeRejectMetadata(metadata),
    title: { type: 'plain_text', text: 'Mark as filed' },
    submit: { type: 'plain_text', text: 'Mark as filed' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(`*${escapeMrkdwn(title(claim))}*\nCredit: ${creditText(claim)}`, LIMITS.sectionText) } },
      {
        type: 'input',
        block_id: CASE_BLOCK_ID,
        label: { type: 'plain_text', text: 'Case ID in AWS Support Center' },
        hint: { type: 'plain_text', text: 'The number Support Center shows for the case, e.g. 172834561234.' },
        element: { type: 'plain_text_input', action_id: CASE_ACTION_ID, min_length: 5, max_length: 125 },
      },
    ],
  };
}

export function buildRejectModal(claim: Claim, metadata: RejectMetadata): ModalView {
  const summary: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: clip(`*${escapeMrkdwn(title(claim))}*\nCredit: ${creditText(claim)}`, LIMITS.sectionText) },
  };
  return {
    type: 'modal',
    callback_id: REJECT_CALLBACK_ID,
    private_metadata: encodeRejectMetadata(metadata),
    title: { type: 'plain_text', text: 'Reject claim' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      summary,
      {
        type: 'input',
        block_id: REASON_BLOCK_ID,
        label: { type: 'plain_text', text: 'Why is this claim rejected?' },
        element: {
          type: 'plain_text_input',
          action_id: REASON_ACTION_ID,
          multiline: true,
          min_length: 3,
          max_length: REASON_MAX_LENGTH,
        },
      },
    ],
  };
}

/** A modal that only says something (the answer to a submission that can no longer apply). */
export function buildNoticeModal(heading: string, text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: clip(heading, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) } }],
  };
}

/** What a clicker is told when the claim is no longer awaiting the decision they clicked. */
export function alreadyDecidedText(claim: Claim): string {
  const by = claim.decidedBy ? ` by ${mention(claim.decidedBy)}` : '';
  switch (claim.status) {
    case 'approved':
      return `This claim was already approved${by}.`;
    case 'rejected':
      return `This claim was already rejected${by}.`;
    case 'ready_to_file':
      return 'This claim was already approved and is ready to file with AWS Support.';
    case 'submitted':
    case 'credited':
    case 'denied':
      return 'This claim was already approved and submitted to AWS Support.';
    case 'expired':
      return 'This claim expired: its filing deadline passed.';
    case 'draft':
      return 'This claim is not awaiting approval.';
    case 'pending_approval':
      return `This claim changed since this message was shown (now version ${claim.version}); the message has been refreshed, please check the new numbers.`;
  }
}
