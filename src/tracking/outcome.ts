/**
 * What AWS's words on a case say about the claim: credited, denied, or unclear (a person decides). Pure.
 *
 * The rules (README "Tracking and reconciliation"):
 * - denied: the answer says the claim is not eligible / ineligible, that AWS is unable to / cannot approve, issue,
 *   grant or honour the credit, that the request is denied / declined / rejected, or that it does not qualify /
 *   meet the SLA's terms;
 * - credited: the answer says a credit has been / was applied, issued, processed, approved or granted (or "we have
 *   applied / issued a credit"); the claim becomes `credited` pending reconciliation (the bill confirms the amount);
 * - anything else, or both at once ("we issued a credit for one Region but the other is not eligible"), is unclear:
 *   Slack says "AWS replied" with the text and a person decides.
 * Only AWS Support's own messages count (submittedBy "Amazon Web Services"; the customer's include the IAM
 * identity and an email address: https://docs.aws.amazon.com/awssupport/latest/APIReference/API_Communication.html).
 */

export type Outcome = 'credited' | 'denied' | 'unclear';

const DENIED = [
  /\b(?:not|in)\s*eligible\b/i,
  /\b(?:unable|not able)\s+to\s+(?:approve|issue|grant|honou?r|provide|apply|process)\b/i,
  /\bcan ?not\s+(?:approve|issue|grant|honou?r|provide|apply)\b/i,
  /\b(?:is|has been|was|have been|were)\s+(?:denied|declined|rejected)\b/i,
  /\bdoes(?: not|n't)\s+(?:qualify|meet)\b/i,
];

const CREDITED = [
  /\bcredits?\b(?:[^.]|\.\d){0,80}?\b(?:has|have)\s+been\s+(?:applied|issued|processed|approved|granted)\b/i,
  /\bcredits?\b(?:[^.]|\.\d){0,80}?\bwas\s+(?:applied|issued|processed|approved|granted)\b/i,
  /\b(?:we|i)\s+(?:have\s+)?(?:applied|issued|granted|approved)\s+(?:an?|the|your)?\s*(?:sla\s+|service\s+)?credits?\b/i,
];

/** True when one of the patterns is found. */
function matches(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((re) => re.test(text));
}

export function classifyAnswer(body: string): Outcome {
  const text = body.replace(/\s+/g, ' ');
  const denied = matches(DENIED, text);
  // "has not been applied" never matches "has been applied"; an explicit "not been applied" next to one does veto it.
  const credited = matches(CREDITED, text) && !/\b(?:has|have) not been (?:applied|issued)\b/i.test(text);
  if (denied === credited) return 'unclear';
  return denied ? 'denied' : 'credited';
}

/** True for AWS Support's own messages. */
export function fromAws(submittedBy: string): boolean {
  return /^\s*amazon web services\b/i.test(submittedBy);
}
