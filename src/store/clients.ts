/** DynamoDB clients: created once per module (Lambda cold start), overridable for local runs and tests. */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Db {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tableName: string;
}

export function createDb(tableName: string, config: DynamoDBClientConfig = {}): Db {
  const client = new DynamoDBClient(config);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, doc, tableName };
}

/** A Db pointing at a local endpoint (DynamoDB Local) with dummy credentials. */
export function createLocalDb(tableName: string, endpoint: string): Db {
  return createDb(tableName, {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  });
}

let defaultDb: Db | undefined;

/** The Lambda-wide Db, from TABLE_NAME (and DYNAMODB_ENDPOINT for `sls offline`/`invoke local`). */
export function getDefaultDb(): Db {
  if (!defaultDb) {
    const tableName = process.env.TABLE_NAME;
    if (!tableName) throw new Error('TABLE_NAME environment variable is not set');
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    defaultDb = endpoint ? createLocalDb(tableName, endpoint) : createDb(tableName);
  }
  return defaultDb;
}

export function setDefaultDb(db: Db | undefined): void {
  defaultDb = db;
}
