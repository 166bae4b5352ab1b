/**
 * `sla-claims case <claimId> [--db DIR] [--files DIR]`: the AWS Support case text of a claim (subject, then the
 * description), ready to paste into Support Center, from a store `process --db DIR` (or the demo) filled. A
 * ready-to-file claim's reason and a filed claim's case are said on stderr. A fleet claim's text names every resource
 * (its full list read from the store); when the list does not fit the body it is a CSV to attach, written into
 * `--files DIR` (else stderr says how). Errors are one line, exit 2.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseTextForClaim } from '../filing/case-text.ts';
import { readFleetLists } from '../filing/fleet-list.ts';
import { DynamoClaimStore } from '../store/claim-store.ts';
import type { LocalDynamoDb } from '../store/local-dynamodb.ts';
import { parseOptions, UsageError } from './args.ts';
import type { Io } from './io.ts';
import { startStore, storeFolderToRead } from './paths.ts';
import { DEFAULT_DB_DIR } from './summary-command.ts';

const USAGE = 'usage: case <claimId> [--db DIR] [--files DIR]';

/** `open`: how the store is opened (DynamoDB Local on DIR; tests hand in a table on a running one). */
export async function caseCommand(argv: string[], io: Io, open: (dbDir: string) => Promise<LocalDynamoDb> = startStore): Promise<number> {
  const { values, positionals } = parseOptions(argv, { db: { type: 'string' }, files: { type: 'string' } }, true);
  const [claimId, extra] = positionals;
  if (!claimId) throw new UsageError(`<claimId>: required (the claim column of \`process --json\`, e.g. "123456789012#dynamodb#us-east-1#2025-10"); ${USAGE}`);
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}; ${USAGE}`);
  if (Buffer.byteLength(claimId, 'utf8') > 1536) throw new UsageError(`<claimId>: ${Buffer.byteLength(claimId, 'utf8')} bytes, over the 1536-byte limit of a claim id`);
  if (values.files !== undefined && !(existsSync(values.files) && statSync(values.files).isDirectory())) {
    throw new UsageError(`--files: ${JSON.stringify(values.files)} is not a folder (the CSV of a fleet claim's resources is written there)`);
  }
  const dbDir = storeFolderToRead(values.db ?? DEFAULT_DB_DIR);
  const local = await open(dbDir);
  try {
    const store = new DynamoClaimStore(local.db);
    const claim = await store.getClaim(claimId);
    if (!claim) throw new UsageError(`<claimId>: no claim ${JSON.stringify(claimId)} in the store in ${dbDir}`);
    let text;
    try {
      text = caseTextForClaim(claim, claim.fleet ? { fleetLists: await readFleetLists(claim, store) } : {});
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    for (const file of text.files) {
      if (values.files === undefined) {
        io.err(`the resource list does not fit the case body: attach ${file.fileName} (rerun with --files DIR to write it)`);
        continue;
      }
      const path = join(values.files, file.fileName);
      writeFileSync(path, file.data);
      io.err(`resource list to attach to the case: ${path} (${file.data.byteLength} bytes)`);
    }
    if (claim.status === 'ready_to_file' && claim.filingNote) io.err(`ready to file by hand: ${claim.filingNote}`);
    if (claim.filing) io.err(`already filed: case ${claim.filing.displayId ?? claim.filing.caseId} (${claim.filing.via}, ${claim.filing.filedAt})`);
    io.out(`Subject: ${text.subject}\n\n${text.body}`);
    return 0;
  } finally {
    await local.stop();
  }
}
