/** `sla-claims case <fleet claim> --db DIR [--files DIR]`: every resource, read from the store; the CSV to attach. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { caseCommand } from '../../src/cli/case-command.ts';
import { STORE_FILE } from '../../src/cli/paths.ts';
import { filingToken } from '../../src/claims/lifecycle.ts';
import { FLEET_CSV_HEADER } from '../../src/filing/fleet-list.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { freshDb } from '../helpers/db.ts';
import { fleetClaim, instanceIds } from '../helpers/fleet-claims.ts';

describe('sla-claims case (fleet claim)', () => {
  it('reads the full list from the store: a 10 000-resource fleet writes its CSV into --files DIR; without it stderr says how', async () => {
    const db = await freshDb('case-command-fleet');
    const store = new DynamoClaimStore(db);
    const big = instanceIds(10_000);
    const claim = await store.saveComputedClaim(await fleetClaim(big, ['i-0aaa'], store));
    const dir = mkdtempSync(join(tmpdir(), 'sla-claims-case-fleet-'));
    writeFileSync(join(dir, STORE_FILE), '');
    const files = mkdtempSync(join(tmpdir(), 'sla-claims-case-files-'));
    const open = async () => ({ db, endpoint: inject('dynamoEndpoint'), port: 0, stop: async () => undefined });
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await caseCommand([claim.claimId, '--db', dir, '--files', files], io, open)).toBe(0);
    expect(out.join('\n')).toContain('Attached: ec2-instance-us-east-1-2025-10-resources.csv');
    expect(out.join('\n')).toContain(filingToken(claim.claimId));
    const csv = readFileSync(join(files, 'ec2-instance-us-east-1-2025-10-resources.csv'), 'utf8').split('\r\n').filter(Boolean);
    expect(csv[0]).toBe(FLEET_CSV_HEADER);
    expect(csv).toHaveLength(10_002);
    expect(err.join('\n')).toContain(`resource list to attach to the case: ${join(files, 'ec2-instance-us-east-1-2025-10-resources.csv')}`);
    err.length = 0;
    expect(await caseCommand([claim.claimId, '--db', dir], io, open)).toBe(0);
    expect(err.join('\n')).toContain('attach ec2-instance-us-east-1-2025-10-resources.csv (rerun with --files DIR to write it)');
    await expect(caseCommand([claim.claimId, '--db', dir, '--files', join(files, 'nope')], io, open)).rejects.toThrow(/^--files: ".*nope" is not a folder/);
    db.client.destroy();
  });
});
