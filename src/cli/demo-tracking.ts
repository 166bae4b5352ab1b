/**
 * The demo's last steps, after filing: AWS answers, tracking, reconciliation (issue 9, items 3 and 4), through the
 * real use cases. The local fake Support API plays AWS Support's side: it answers each filed case with the words AWS
 * uses when it grants a credit, and resolves it; the real `trackCases` reads the cases through the real SDK client, by
 * endpoint, in each claim's account. Then the real `reconcileCredits` matches the credits of a synthetic bill
 * (events/demo/credits-2025-10.csv, Cost Explorer's record type Credit as a CSV) to the filed claims and records what
 * was paid, so the summary email shows money recovered and paid vs claimed.
 */
import { join } from 'node:path';
import type { Claim } from '../claims/types.ts';
import { formatUsd } from '../credit/money.ts';
import { supportClientForAccount } from '../filing/support-api.ts';
import { DynamoClaimStore } from '../store/claim-store.ts';
import type { LocalDynamoDb } from '../store/local-dynamodb.ts';
import { CsvBillCredits } from '../tracking/bill-credits.ts';
import { reconcileCredits, type ReconcileReport } from '../tracking/reconcile-credits.ts';
import { SupportCaseReader } from '../tracking/support-cases.ts';
import { trackCases, type TrackReport } from '../tracking/track-cases.ts';
import { DynamoTrackingStore } from '../tracking/tracking-store.ts';
import { fakeSupportCredentials, type FakeSupport } from './local-support.ts';
import { PACKAGE_ROOT } from './paths.ts';

/** Synthetic: the credits of the demo's October 2025 bill (events/demo/README.md). */
export const DEMO_CREDITS = join(PACKAGE_ROOT, 'events', 'demo', 'credits-2025-10.csv');

/**
 * What AWS Support writes when it grants an SLA credit: "a service credit of $X has been applied" is the wording
 * src/tracking/outcome.ts reads as `credited` (and nothing in it reads as a denial).
 */
export function grantedAnswer(claim: Pick<Claim, 'creditCents' | 'region' | 'month'>): string {
  return [
    'Hello,',
    '',
    `Thank you for your patience while we reviewed your SLA credit request for ${claim.region ?? 'the affected Region'} in ${monthName(claim.month)}.`,
    `We have confirmed the impact to your account, and a service credit of ${formatUsd(claim.creditCents ?? 0)} has been applied to your account. It will appear on your bill.`,
    '',
    'Best regards,',
    'Amazon Web Services',
  ].join('\n');
}

/** "2025-10" → "October 2025". */
function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export interface DemoTracking {
  /** Cases AWS (the fake) answered: claim id → display id. */
  answered: { claimId: string; caseId: string; displayId?: string; body: string }[];
  track: TrackReport;
  reconcile: ReconcileReport;
  /** The claims tracked or reconciled, as stored afterwards. */
  claims: Claim[];
  creditsFile: string;
}

export async function trackDemoCases(local: LocalDynamoDb, support: FakeSupport, submitted: readonly Claim[], nowMs: number, creditsFile = DEMO_CREDITS): Promise<DemoTracking> {
  const store = new DynamoClaimStore(local.db);
  const answered: DemoTracking['answered'] = [];
  for (const claim of submitted) {
    const caseId = claim.filing?.caseId;
    if (claim.status !== 'submitted' || !caseId) continue;
    const body = grantedAnswer(claim);
    support.reply(caseId, body);
    support.resolve(caseId);
    answered.push({ claimId: claim.claimId, caseId, ...(claim.filing?.displayId ? { displayId: claim.filing.displayId } : {}), body });
  }
  const tracking = new DynamoTrackingStore(local.db);
  const now = () => nowMs;
  // The months of the claims the demo filed (their incident months), read through the month index as in AWS.
  const months = [...new Set(submitted.map((c) => c.month))].sort().reverse();
  const cases = new SupportCaseReader(supportClientForAccount({ endpoint: support.endpoint, credentials: fakeSupportCredentials, clientConfig: { maxAttempts: 1 } }));
  const track = await trackCases({ store, tracking, cases, now }, { months });
  const reconcile = await reconcileCredits({ store, tracking, bill: CsvBillCredits.fromFile(creditsFile), now }, { months });
  const claims = (await Promise.all(submitted.map((c) => store.getClaim(c.claimId)))).filter((c): c is Claim => c !== null);
  return { answered, track, reconcile, claims, creditsFile };
}

/** The first sentence of AWS's answer that states the outcome, for one line of output. */
function gist(body: string): string {
  const sentence = body.split(/(?<=[a-z0-9)])\.\s+|\n/i).find((s) => /credit of/i.test(s)) ?? body;
  return sentence.replace(/\s+/g, ' ').trim().slice(0, 140);
}

/** The demo's report of tracking and reconciliation. */
export function demoTrackingLines(t: DemoTracking, creditsFileShown: string): string[] {
  const lines = ['\nTracking the cases (AWS answers on the fake Support API; trackCases reads them by endpoint, in each claim\'s account)'];
  const byId = new Map(t.claims.map((c) => [c.claimId, c]));
  for (const a of t.answered) {
    const after = byId.get(a.claimId);
    lines.push(`  AWS answered   ${a.claimId} on case ${a.displayId ?? a.caseId}: "${gist(a.body)}."`);
    lines.push(`  ${(after?.status ?? '?').padEnd(14)} ${a.claimId}${after?.status === 'credited' ? ' (AWS states the credit; the bill confirms the amount)' : ''}`);
  }
  const r = t.track;
  lines.push(`  ${r.tracked} case${r.tracked === 1 ? '' : 's'} read: ${r.credited.length} credited, ${r.denied.length} denied, ${r.replied.length} "AWS replied"${r.failedAccounts.length ? `, ${r.failedAccounts.length} account(s) unreadable` : ''}`);

  lines.push(`\nReconciliation (credits on the bill: ${creditsFileShown}, synthetic)`);
  const paid = t.claims.filter((c) => c.payment && c.payment.paidCents > 0);
  for (const c of paid) {
    const p = c.payment!;
    lines.push(`  paid           ${c.claimId}: ${formatUsd(p.paidCents)} of ${formatUsd(c.creditCents ?? 0)} claimed, on the ${p.billMonth} bill${p.flag ? ` (${p.flag})` : ''}`);
  }
  for (const c of t.claims.filter((x) => x.payment?.flag === 'missing')) lines.push(`  missing        ${c.claimId}: no credit on the bill 60 days after filing`);
  if (paid.length === 0) lines.push('  no credit on the bill matches a filed claim yet');
  if (t.reconcile.unmatchedCents > 0) {
    lines.push(`  left over      ${formatUsd(t.reconcile.unmatchedCents)} of credits on the bill match no filed claim (another service or account: not an SLA credit)`);
  }
  return lines;
}
