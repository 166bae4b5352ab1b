/**
 * Files approved claims with AWS Support. Two triggers, one use case (src/filing/file-claim.ts):
 * - the DynamoDB stream, filtered to claim items whose status is `approved`: a Slack approval is filed within seconds;
 * - a schedule (hourly): the sweep (src/filing/file-approved.ts) files what the stream missed and completes a filing
 *   interrupted after CreateCase once its lease ended (it finds the case by the claim token, never opens a second).
 * Stream records report failures one by one (ReportBatchItemFailures); a filing another invocation holds is not a
 * failure (the sweep comes back to it). Dependencies: handlers/wiring.ts.
 *
 * Env: TABLE_NAME, CONTRACT_PARAM (the contract's `filing` settings), SUPPORT_FILER_ROLE (the role name
 * deploy/support-filer-role.yml creates in each account), optional SUPPORT_ENDPOINT and DYNAMODB_ENDPOINT (local runs).
 */
import { fileApprovedClaims } from '../src/filing/file-approved.ts';
import { fileClaim, type FileClaimDeps } from '../src/filing/file-claim.ts';
import { processClaimStream, type StreamEvent } from '../src/slack/stream.ts';
import { claimsFileDeps, lambda, log } from './wiring.ts';

export async function claimsFile(event: StreamEvent | Record<string, unknown>, deps: FileClaimDeps) {
  if (Array.isArray((event as StreamEvent).Records)) {
    return processClaimStream(
      event as StreamEvent,
      async (claim) => {
        if (claim.status !== 'approved') return;
        const result = await fileClaim(claim.claimId, deps);
        log.info('claim filing', { claimId: claim.claimId, action: result.action });
      },
      log,
    );
  }
  const sweep = await fileApprovedClaims(deps);
  const counts: Record<string, number> = {};
  for (const { result } of sweep.results) counts[result.action] = (counts[result.action] ?? 0) + 1;
  log.info('approved claims swept', { months: sweep.months, ...counts });
  return { months: sweep.months, counts };
}

/** The handler over given deps (an object, or a builder run on the first invocation). */
export function createClaimsFileHandler(deps: FileClaimDeps | (() => FileClaimDeps | Promise<FileClaimDeps>)) {
  return lambda('claims-file', deps, claimsFile);
}

export const handler = createClaimsFileHandler(() => claimsFileDeps());
