import { execFileSync } from 'node:child_process';
import { startLocalDynamoDb } from '../src/store/local-dynamodb.ts';
const local = await startLocalDynamoDb({ tableName: 'bench-xx' });
const extra = process.argv.slice(2);
try {
  for (const mode of (process.env.MODES ?? 'raw,resources').split(',')) {
    const out = execFileSync(process.execPath, [...(mode === 'resources' ? extra : []), 'bin/run-ts.js', 'bench/big-event.ts', local.endpoint, mode, '2494'], { encoding: 'utf8' });
    console.log(out.trim().split('\n').pop());
  }
} finally { await local.stop(); }
