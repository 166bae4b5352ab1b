/** `sla-claims case <claimId> --db DIR`: the case text from a store, one-line errors with exit 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { caseCommand } from '../../src/cli/case-command.ts';
import { main } from '../../src/cli/main.ts';
import { STORE_FILE } from '../../src/cli/paths.ts';
import { filingToken } from '../../src/claims/lifecycle.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { sampleClaim } from '../helpers/claims.ts';
import { freshDb } from '../helpers/db.ts';

describe('sla-claims case', () => {
  it('prints the subject and the body of a stored claim, and exits 2 in one line for a claim not in the store', async () => {
    const db = await freshDb('case-command');
    const store = new DynamoClaimStore(db);
    const claim = await store.saveComputedClaim(sampleClaim());
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-case-'));
    writeFileSync(join(dir, STORE_FILE), '');
    const open = async () => ({ db, endpoint: inject('dynamoEndpoint'), port: 0, stop: async () => undefined });
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await caseCommand([claim.claimId, '--db', dir], io, open)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^Subject: SLA Credit Request: /);
    expect(text).toContain('Account: 123456789012');
    expect(text).toContain(filingToken(claim.claimId));
    await expect(caseCommand(['123456789012#nope#us-east-1#2025-10', '--db', dir], io, open)).rejects.toThrow('<claimId>: no claim "123456789012#nope#us-east-1#2025-10" in the store');
    db.client.destroy();
  });

  it.each([
    [['case'], /^sla-claims case: <claimId>: required/],
    [['case', 'a', 'b'], /^sla-claims case: unexpected argument "b"/],
    [['case', 'x', '--db', '/nonexistent/sla-claims-db'], /^sla-claims case: --db: no local store in "\/nonexistent\/sla-claims-db"/],
    [['case', 'x', '--bogus'], /^sla-claims case: /],
  ])('%j: one line, exit 2', async (argv, message) => {
    const err: string[] = [];
    expect(await main(argv as string[], { out: () => {}, err: (t) => err.push(t) })).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });
});
