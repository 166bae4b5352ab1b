/**
 * The ports of tracking and reconciliation: reading AWS Support cases, the credits on the bill, writing what was
 * found on a claim, and telling a person in Slack. Adapters: support-cases.ts, bill-credits.ts, tracking-store.ts,
 * slack-replies.ts.
 */
import type { AuditEntry, CaseAnswer, CaseTracking, Claim, ClaimStatus, PaymentRecord } from '../claims/types.ts';

/** One message on a case, as DescribeCases returns it (recentCommunications). */
export interface CaseCommunication {
  body: string;
  /** "Amazon Web Services" for AWS Support's answers; the IAM identity and email for the customer's. */
  submittedBy: string;
  /** UTC ISO-8601 (normalised by the adapter). */
  timeCreated: string;
}

export interface SupportCase {
  caseId: string;
  displayId?: string;
  /** opened, pending-customer-action, customer-action-completed, resolved, … */
  status?: string;
  communications: CaseCommunication[];
}

/** DescribeCases by case id (with communications, resolved cases included), in the account the case was filed in. */
export interface CaseReader {
  readCases(account: string, caseIds: readonly string[]): Promise<SupportCase[]>;
}

/** A credit on the bill: Cost Explorer record type `Credit`, by linked account, service and bill month. */
export interface BillCredit {
  account: string;
  /** AWS Health service code (EC2, DYNAMODB, …). */
  service: string;
  /** YYYY-MM of the bill. */
  month: string;
  /** Positive integer cents (Cost Explorer shows credits as negative amounts). */
  cents: number;
}

export interface BillCredits {
  /** Every credit of these accounts on the bills of `months`. */
  credits(accounts: readonly string[], months: readonly string[]): Promise<BillCredit[]>;
}

/** Conditional, audited writes of what tracking and reconciliation found (no status change). */
export interface TrackingStore {
  /** Records the case's answers on a claim still in `status` at `expectedVersion`; false when it changed. */
  recordTracking(claim: Pick<Claim, 'claimId' | 'status' | 'version'>, tracking: CaseTracking, audit: AuditEntry): Promise<boolean>;
  /** Records a payment on a claim still in `status` at `expectedVersion`; false when it changed. */
  recordPayment(claim: Pick<Claim, 'claimId' | 'status' | 'version'>, payment: PaymentRecord, audit: AuditEntry): Promise<boolean>;
}

/** Tells a person what AWS wrote (a thread reply under the claim's Slack message). */
export interface AnswerNotifier {
  awsReplied(claim: Claim, answer: CaseAnswer, outcome: { status: ClaimStatus | null; reason: string }): Promise<void>;
}
