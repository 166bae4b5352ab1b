/** A fresh table on the shared DynamoDB Local for one test (or file). */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createLocalDb, type Db } from '../../src/store/clients.ts';
import { ensureTable } from '../../src/store/table.ts';

export async function freshDb(prefix = 'test'): Promise<Db> {
  const endpoint = inject('dynamoEndpoint');
  const db = createLocalDb(`${prefix}-${randomUUID().slice(0, 8)}`, endpoint);
  await ensureTable(db.client, db.tableName);
  return db;
}
