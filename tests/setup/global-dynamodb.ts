/** Starts one DynamoDB Local (AWS's own emulator, in memory) for the whole test run; tests create their own tables. */
import type { TestProject } from 'vitest/node';
import { startLocalDynamoDb } from '../../src/store/local-dynamodb.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const local = await startLocalDynamoDb({ tableName: 'sla-claims-setup-probe' });
  project.provide('dynamoEndpoint', local.endpoint);
  return async () => {
    await local.stop();
  };
}
