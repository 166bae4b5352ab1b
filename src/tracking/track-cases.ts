/**
 * Tracking (scheduled): reads the AWS Support cases of submitted claims and records AWS's new answers on each claim
 * (bounded, audited). When AWS's words state the outcome (src/tracking/outcome.ts) the claim becomes `credited`
 * (pending reconciliation: the bill confirms the amount) or `denied`, through the store's conditional, audited
 * transition; otherwise Slack says "AWS replied" with the text, for a person to decide (once per answer).
 *
 * Which claims: the submitted claims of the last TRACK_MONTHS incident months (month index, never a Scan), by the
 * account their case was filed in, 100 case ids per DescribeCases.
 */
import type { AuditEntry, CaseAnswer, CaseTracking, Claim } from '../claims/types.ts';
import { monthWindow } from '../credit/month.ts';
import type { ClaimStore } from '../store/claim-store.ts';
import { silentLog, type Log } from '../util/log.ts';
import { classifyAnswer, fromAws, type Outcome } from './outcome.ts';
import type { AnswerNotifier, CaseReader, SupportCase, TrackingStore } from './ports.ts';

/** Incident months whose filed claims are tracked: the current one and the ones before (filing ends 2 months on). */
export const TRACK_MONTHS = 6;
/** AWS answers kept on a claim (the newest), and the bytes of each body (AWS allows 8000 characters). */
export const MAX_ANSWERS = 5;
export const MAX_ANSWER_BYTES = 4000;

export interface TrackDeps {
  store: Pick<ClaimStore, 'listClaimsByMonth' | 'transition' | 'getClaim'>;
  tracking: TrackingStore;
  cases: CaseReader;
  /** Slack; without it an unclear answer is only recorded (and logged). */
  notify?: AnswerNotifier;
  now: () => number;
  log?: Pick<Log, 'info' | 'warn'>;
}

export interface TrackReport {
  months: string[];
  /** Submitted claims with a case. */
  tracked: number;
  /** Claims with new AWS answers. */
  answered: number;
  credited: string[];
  denied: string[];
  /** Claims whose unclear answer was posted to Slack. */
  replied: string[];
  /** Case ids DescribeCases did not return (deleted, another account, older than 12 months). */
  missingCases: string[];
  /** Accounts whose cases could not be read (no Support plan, access denied), with the reason. */
  failedAccounts: { account: string; error: string }[];
  /** Claims that changed under the run (left for the next run). */
  conflicts: number;
}

/** The current incident month and the `count - 1` before it, newest first. */
export function recentMonths(nowMs: number, count: number): string[] {
  const d = new Date(nowMs);
  return Array.from({ length: count }, (_, i) => {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    return `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

/** The submitted claims (with a case) of `months`, read through the month index. */
export async function filedClaims(store: Pick<ClaimStore, 'listClaimsByMonth'>, months: readonly string[], statuses: readonly Claim['status'][] = ['submitted']): Promise<Claim[]> {
  for (const m of months) monthWindow(m);
  const all = (await Promise.all(months.map((m) => store.listClaimsByMonth(m)))).flat();
  return all.filter((c) => statuses.includes(c.status) && c.filing?.caseId);
}

/** The first `max` bytes of a UTF-8 string, never splitting a character. */
export function cutUtf8(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = Buffer.from(text).subarray(0, max - 3).toString('utf8');
  if (out.endsWith('\uFFFD')) out = out.slice(0, -1);
  return `${out}…`;
}

function transient(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable || e.name === 'ThrottlingException' || e.name === 'TooManyRequestsException') return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.replace(/\s+/g, ' ').slice(0, 500) : String(error);
}

/** The answers to keep: the recorded ones and the new ones, newest MAX_ANSWERS, bodies bounded. */
function mergeAnswers(previous: readonly CaseAnswer[], fresh: readonly CaseAnswer[]): CaseAnswer[] {
  return [...previous, ...fresh].slice(-MAX_ANSWERS).map((a) => ({ at: a.at, from: cutUtf8(a.from, 200), body: cutUtf8(a.body, MAX_ANSWER_BYTES) }));
}

/** The outcome the newest decisive new answer states (newest first), else unclear. */
function outcomeOf(fresh: readonly CaseAnswer[]): { outcome: Outcome; answer: CaseAnswer } {
  for (let i = fresh.length - 1; i >= 0; i--) {
    const outcome = classifyAnswer(fresh[i]!.body);
    if (outcome !== 'unclear') return { outcome, answer: fresh[i]! };
  }
  return { outcome: 'unclear', answer: fresh[fresh.length - 1]! };
}

export async function trackCases(deps: TrackDeps, options: { months?: readonly string[] } = {}): Promise<TrackReport> {
  const nowMs = deps.now();
  const at = new Date(nowMs).toISOString();
  const log = deps.log ?? silentLog;
  const months = [...(options.months ?? recentMonths(nowMs, TRACK_MONTHS))];
  const claims = await filedClaims(deps.store, months);
  const report: TrackReport = { months, tracked: claims.length, answered: 0, credited: [], denied: [], replied: [], missingCases: [], failedAccounts: [], conflicts: 0 };

  const byAccount = new Map<string, Claim[]>();
  for (const claim of claims) {
    const account = claim.filing?.filedInAccount ?? claim.account;
    byAccount.set(account, [...(byAccount.get(account) ?? []), claim]);
  }
  for (const [account, group] of byAccount) {
    let cases: SupportCase[];
    try {
      cases = await deps.cases.readCases(account, [...new Set(group.map((c) => c.filing!.caseId))]);
    } catch (error) {
      if (transient(error)) throw error; // the scheduler retries the run
      report.failedAccounts.push({ account, error: describe(error) });
      log.warn('support cases could not be read; their claims stay submitted', { account, error: describe(error) });
      continue;
    }
    const byId = new Map(cases.map((c) => [c.caseId, c]));
    for (const claim of group) {
      const found = byId.get(claim.filing!.caseId);
      if (!found) {
        report.missingCases.push(claim.filing!.caseId);
        continue;
      }
      await trackOne(deps, claim, found, at, report, log);
    }
  }
  if (report.answered || report.failedAccounts.length) {
    log.info('support cases tracked', { tracked: report.tracked, answered: report.answered, credited: report.credited.length, denied: report.denied.length, replied: report.replied.length });
  }
  return report;
}

async function trackOne(deps: TrackDeps, claim: Claim, found: SupportCase, at: string, report: TrackReport, log: Pick<Log, 'info' | 'warn'>): Promise<void> {
  const previous = claim.tracking?.answers ?? [];
  const lastAt = previous.reduce((max, a) => (a.at > max ? a.at : max), '');
  const fresh: CaseAnswer[] = found.communications
    .filter((m) => fromAws(m.submittedBy) && m.timeCreated > lastAt && m.body.trim() !== '')
    .sort((a, b) => a.timeCreated.localeCompare(b.timeCreated))
    .map((m) => ({ at: m.timeCreated, from: m.submittedBy, body: m.body }));
  const statusChanged = (found.status ?? undefined) !== claim.tracking?.caseStatus;
  if (fresh.length === 0 && !statusChanged && !needsNotice(claim.tracking)) return;

  const decided = fresh.length ? outcomeOf(fresh) : null;
  const tracking: CaseTracking = {
    checkedAt: at,
    ...(found.status ? { caseStatus: found.status } : {}),
    answers: mergeAnswers(previous, fresh),
    ...(decided ? { outcome: decided.outcome } : claim.tracking?.outcome ? { outcome: claim.tracking.outcome } : {}),
    ...(claim.tracking?.notifiedAt ? { notifiedAt: claim.tracking.notifiedAt } : {}),
  };
  if (fresh.length) report.answered += 1;
  const caseId = claim.filing!.caseId;

  if (decided && decided.outcome !== 'unclear') {
    const to = decided.outcome;
    const result = await deps.store.transition({
      claimId: claim.claimId,
      from: 'submitted',
      to,
      expectedVersion: claim.version,
      actor: 'aws-support',
      at,
      reason: `AWS Support on case ${found.displayId ?? caseId}: "${cutUtf8(decided.answer.body.replace(/\s+/g, ' '), 300)}"`,
      patch: { tracking },
      detail: { caseId, answerAt: decided.answer.at, rule: to === 'credited' ? 'credit applied/issued' : 'not eligible/unable to approve/denied' },
    });
    if (!result.ok) {
      report.conflicts += 1;
      return;
    }
    (to === 'credited' ? report.credited : report.denied).push(claim.claimId);
    try {
      await deps.notify?.awsReplied(result.claim, decided.answer, { status: to, reason: '' });
    } catch (error) {
      log.warn('the Slack reply about AWS\'s answer failed (the claim is decided)', { claimId: claim.claimId, error: describe(error) });
    }
    return;
  }

  // No outcome stated: record what AWS wrote, then (once per answer) tell a person in Slack.
  const audit: AuditEntry = {
    claimId: claim.claimId,
    at,
    actor: 'aws-support',
    action: fresh.length ? 'case-answer' : 'case-checked',
    detail: { caseId, newAnswers: String(fresh.length), ...(found.status ? { caseStatus: found.status } : {}) },
  };
  let version = claim.version;
  if (fresh.length || statusChanged) {
    if (!(await deps.tracking.recordTracking(claim, tracking, audit))) {
      report.conflicts += 1;
      return;
    }
    version += 1;
  }
  const newest = tracking.answers[tracking.answers.length - 1];
  if (!newest || !needsNotice(tracking) || !deps.notify) return;
  try {
    await deps.notify.awsReplied(claim, newest, { status: null, reason: 'The answer states no outcome (neither a credit applied nor a denial).' });
  } catch (error) {
    log.warn('the Slack "AWS replied" post failed; the next run posts it', { claimId: claim.claimId, error: describe(error) });
    return;
  }
  report.replied.push(claim.claimId);
  const noticed: CaseTracking = { ...tracking, notifiedAt: newest.at };
  const ok = await deps.tracking.recordTracking(
    { claimId: claim.claimId, status: claim.status, version },
    noticed,
    { claimId: claim.claimId, at, actor: 'system', action: 'slack-aws-replied', detail: { caseId, answerAt: newest.at } },
  );
  if (!ok) report.conflicts += 1;
}

/** An unclear answer not yet posted to Slack. */
function needsNotice(tracking: CaseTracking | undefined): boolean {
  const newest = tracking?.answers[tracking.answers.length - 1];
  return !!newest && tracking?.outcome === 'unclear' && newest.at > (tracking.notifiedAt ?? '');
}
