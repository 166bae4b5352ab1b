/** The files and folders the CLI is pointed at, checked before anything is started or written. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JavaMissingError, startLocalDynamoDb, type LocalDynamoDb } from '../store/local-dynamodb.ts';
import { UsageError } from './args.ts';

export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const EXAMPLE_CONTRACT = join(PACKAGE_ROOT, 'config', 'contract.example.yml');
export const EXAMPLE_SPEND = join(PACKAGE_ROOT, 'config', 'spend.example.csv');

/** The file DynamoDB Local keeps a shared database in (`-sharedDb -dbPath DIR`). */
export const STORE_FILE = 'shared-local-instance.db';

/** "ENOENT: no such file or directory, open 'x'" → "no such file or directory": the caller names the path once. */
export function fsReason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    default:
      return e.code ?? String(e.message ?? error);
  }
}

/** A text file the user named (`label` says which: "contract x.yml", "spend file y.csv"). */
export function readTextFile(path: string, label: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${label}: cannot read the file (${fsReason(error)})`);
  }
}

/** `--db DIR` for a command that fills the store: a folder (created when missing), never a file. */
export function storeFolderToFill(dir: string): string {
  if (dir.trim() === '') throw new UsageError(`--db: expected a folder (got ${JSON.stringify(dir)})`);
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) {
    throw new UsageError(`--db: ${JSON.stringify(dir)} is a file; expected a folder for the local store (created when missing)`);
  }
  return dir;
}

/** `--db DIR` for a command that reads the store: a folder that `process --db DIR` filled. Nothing is created. */
export function storeFolderToRead(dir: string): string {
  if (dir.trim() === '') throw new UsageError(`--db: expected a folder (got ${JSON.stringify(dir)})`);
  const fill = `fill one first with \`sla-claims process --db ${dir} …\` (or pass --db DIR)`;
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`--db: no local store in ${JSON.stringify(dir)}; ${fill}`);
  if (!stat.isDirectory()) throw new UsageError(`--db: ${JSON.stringify(dir)} is a file, not a store folder; ${fill}`);
  if (!existsSync(join(dir, STORE_FILE))) {
    throw new UsageError(`--db: no local store in ${JSON.stringify(dir)} (the folder holds no ${STORE_FILE}); ${fill}`);
  }
  return dir;
}

/** `--out FILE.html`: the HTML part; the text part goes next to it (.txt). */
export function htmlOutFile(file: string): string {
  if (file.trim() === '') throw new UsageError(`--out: expected a file name, like out/summary.html (got ${JSON.stringify(file)})`);
  if (!/^\.html?$/i.test(extname(file))) {
    throw new UsageError(`--out: expected an .html file name, like out/summary.html; the text part is written next to it as .txt (got ${JSON.stringify(file)})`);
  }
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new UsageError(`--out: ${JSON.stringify(file)} is a folder; expected an .html file name`);
  return file;
}

/** Starts DynamoDB Local on DIR (or in memory), turning "no Java" into a one-line usage error (exit 2). */
export async function startStore(dbDir: string | undefined): Promise<LocalDynamoDb> {
  try {
    return await startLocalDynamoDb(dbDir ? { dbDir } : {});
  } catch (error) {
    if (error instanceof JavaMissingError) throw new UsageError(error.message);
    throw error;
  }
}
