import { spawnSync } from 'node:child_process';
import { startLocalDynamoDb } from '../src/store/local-dynamodb.ts';
const local = await startLocalDynamoDb({ tableName: 'bench-warm' });
for (const mode of (process.env.MODES ?? 'raw resources').split(' ')) {
  const r = spawnSync(process.execPath, ['bin/run-ts.js', 'bench/big-event.ts', local.endpoint, mode, '2500'], { encoding: 'utf8' });
  console.log(r.stdout.trim(), r.stderr.trim().slice(-2000));
}
await local.stop();
