import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamoDb } from '../src/store/local-dynamodb.ts';
import { createLocalDb } from '../src/store/clients.ts';
import { ensureTable, keys } from '../src/store/table.ts';
import { execFileSync } from 'node:child_process';
const local = await startLocalDynamoDb({ tableName: 'probe' });
console.log(local.endpoint);
await new Promise(r => setTimeout(r, 10_000_000));
