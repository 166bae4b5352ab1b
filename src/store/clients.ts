/**
 * DynamoDB clients. Built by handlers/wiring.ts once per Lambda instance, by the CLI and by tests; every client
 * gets the budgeted retry strategy of src/config/retry.ts unless `config` brings its own.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { retryStrategy } from '../config/retry.ts';

export interface Db {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tableName: string;
}

export function createDb(tableName: string, config: DynamoDBClientConfig = {}): Db {
  // `maxAttempts` alone keeps the SDK's strategy (and its non-refilling quota): only then is it left to the SDK.
  const retry = config.retryStrategy || config.maxAttempts !== undefined || config.retryMode !== undefined ? {} : { retryStrategy: retryStrategy() };
  const client = new DynamoDBClient({ ...retry, ...config });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, doc, tableName };
}

/** A Db pointing at a local endpoint (DynamoDB Local) with dummy credentials. */
export function createLocalDb(tableName: string, endpoint: string, config: DynamoDBClientConfig = {}): Db {
  return createDb(tableName, {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...config,
  });
}

/** The Lambda's Db from TABLE_NAME (and DYNAMODB_ENDPOINT for `sls invoke local` / `sls offline`). */
export function dbFromEnv(env: NodeJS.ProcessEnv = process.env, config: DynamoDBClientConfig = {}): Db {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME environment variable is not set');
  const endpoint = env.DYNAMODB_ENDPOINT;
  return endpoint ? createLocalDb(tableName, endpoint, config) : createDb(tableName, config);
}
