/**
 * The demo's filing step: after the replay, every claimable draft is sent for approval and approved in the name of
 * a clearly named demo approver (there is no Slack in `npm start`), then filed through the real filing use case and
 * the real AWS Support SDK client, on the local fake Support API (src/cli/local-support.ts). Claims the contract files
 * by hand, whose SLA terms are unconfirmed, or whose charges are unknown become ready_to_file instead. The fake is
 * started by the caller and kept for the next step (src/cli/demo-tracking.ts: AWS answers the filed cases).
 */
import type { Claim } from '../claims/types.ts';
import type { Contract } from '../contract/contract.ts';
import { fileClaim, type FileResult } from '../filing/file-claim.ts';
import { supportForAccount } from '../filing/support-api.ts';
import { DynamoClaimStore } from '../store/claim-store.ts';
import type { LocalDynamoDb } from '../store/local-dynamodb.ts';
import { fakeSupportCredentials, type FakeSupport } from './local-support.ts';

/** Who approves in the demo: never a real person's id. */
export const DEMO_APPROVER = 'demo-approver (sla-claims demo, no Slack)';

export interface DemoFiling {
  approver: string;
  endpoint: string;
  results: { claim: Claim; result: FileResult }[];
}

export async function fileDemoClaims(local: LocalDynamoDb, claims: readonly Claim[], contract: Contract, nowMs: number, support: FakeSupport): Promise<DemoFiling> {
  const store = new DynamoClaimStore(local.db);
  const now = () => new Date(nowMs);
  const deps = {
    store,
    resourceLists: store,
    supportFor: supportForAccount({ endpoint: support.endpoint, credentials: fakeSupportCredentials, clientConfig: { maxAttempts: 1 } }),
    filing: contract.filing,
    now,
  };
  const results: DemoFiling['results'] = [];
  for (const draft of claims) {
    if (!draft.claimable || draft.status !== 'draft') continue;
    const at = now().toISOString();
    const pending = await store.transition({ claimId: draft.claimId, from: 'draft', to: 'pending_approval', expectedVersion: draft.version, actor: 'system', at, detail: { via: 'demo' } });
    if (!pending.ok) continue;
    const approved = await store.transition({
      claimId: draft.claimId,
      from: 'pending_approval',
      to: 'approved',
      expectedVersion: pending.claim.version,
      actor: DEMO_APPROVER,
      at,
      patch: { decidedBy: DEMO_APPROVER },
      detail: { via: 'demo' },
    });
    if (!approved.ok) continue;
    const result = await fileClaim(draft.claimId, deps);
    results.push({ claim: (await store.getClaim(draft.claimId)) ?? approved.claim, result });
  }
  return { approver: DEMO_APPROVER, endpoint: support.endpoint, results };
}

/** The demo's report of the filing step. */
export function demoFilingLines(filing: DemoFiling, dbDir: string | undefined): string[] {
  const lines = [`\nFiling with AWS Support (local fake Support API, ${filing.endpoint})`, `  approved by ${filing.approver}: every claimable claim`];
  for (const { claim, result } of filing.results) {
    const id = claim.claimId;
    if (result.action === 'submitted') lines.push(`  filed          ${id}: case ${result.displayId ?? '?'} (${result.caseId})`);
    else if (result.action === 'ready_to_file') lines.push(`  ready to file  ${id}: ${result.reason}`);
    else lines.push(`  ${result.action.padEnd(14)} ${id}${'reason' in result ? `: ${result.reason}` : ''}`);
  }
  const filed = filing.results.filter((r) => r.result.action === 'submitted').length;
  const ready = filing.results.filter((r) => r.result.action === 'ready_to_file').length;
  lines.push(`  ${filed} filed, ${ready} ready to file by hand${ready && dbDir ? ` (case text: npx sla-claims case '<claim>' --db ${dbDir})` : ready ? ' (case text: rerun with --db DIR, then npx sla-claims case <claim> --db DIR)' : ''}`);
  return lines;
}
