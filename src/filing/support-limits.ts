/**
 * The AWS Support API's limits on what a case carries (one module, so the case text, the adapter and the fakes agree).
 *
 * - CreateCase `communicationBody`: "Length Constraints: Minimum length of 1. Maximum length of 8000."
 *   (https://docs.aws.amazon.com/awssupport/latest/APIReference/API_CreateCase.html; the same constraint on a case's
 *   communications, https://docs.aws.amazon.com/awssupport/latest/APIReference/API_Communication.html).
 * - AddAttachmentsToSet `attachments`: "You can add up to three attachments per set. The size limit is 5 MB per
 *   attachment." and the set "is available for 1 hour after it's created"
 *   (https://docs.aws.amazon.com/awssupport/latest/APIReference/API_AddAttachmentsToSet.html). The data is a blob,
 *   "represented as a base64-encoded string" in the JSON protocol (same page).
 */
export const MAX_BODY_CHARS = 8000;
export const MAX_ATTACHMENTS = 3;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
