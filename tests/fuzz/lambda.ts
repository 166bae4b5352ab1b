/**
 * Runs the real Health event Lambda handler (handlers/health-event.ts, as deployed: the exported `handler`) in-process
 * against a table on DynamoDB Local (or a proxy in front of it). The handler builds its deps from the environment
 * once per module instance, like a Lambda instance: `loadHealthEventLambda` sets the environment, drops the module
 * cache and imports it again, so each call is a fresh "Lambda instance" with its own clients (and retry quota).
 */
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';

const ENV_KEYS = ['CONTRACT_FILE', 'CONTRACT_PARAM', 'SPEND_SOURCE', 'SPEND_FILE', 'TABLE_NAME', 'DYNAMODB_ENDPOINT', 'POWERTOOLS_LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL'] as const;

export const EXAMPLE_CONTRACT = resolve(import.meta.dirname, '../../config/contract.example.yml');

export interface LambdaEnv {
  tableName: string;
  endpoint: string;
  contractFile?: string;
  spendFile?: string;
}

export type HealthEventLambda = (event: unknown) => Promise<unknown>;

const context = {
  functionName: 'sla-claims-test-healthEvent',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sla-claims-test-healthEvent',
  memoryLimitInMB: '1024',
  awsRequestId: 'test',
  logGroupName: '/aws/lambda/sla-claims-test-healthEvent',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 300_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context;

export async function loadHealthEventLambda(env: LambdaEnv): Promise<{ invoke: HealthEventLambda; restore: () => void }> {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  process.env.TABLE_NAME = env.tableName;
  process.env.DYNAMODB_ENDPOINT = env.endpoint;
  process.env.CONTRACT_FILE = env.contractFile ?? EXAMPLE_CONTRACT;
  delete process.env.CONTRACT_PARAM;
  if (env.spendFile) {
    process.env.SPEND_SOURCE = 'file';
    process.env.SPEND_FILE = env.spendFile;
  } else {
    process.env.SPEND_SOURCE = 'none';
    delete process.env.SPEND_FILE;
  }
  // Hundreds of invocations: keep the structured logs out of the test output.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.AWS_LAMBDA_LOG_LEVEL = 'ERROR';
  vi.resetModules();
  const mod = (await import('../../handlers/health-event.ts')) as { handler: (event: unknown, context: Context) => Promise<unknown> };
  return {
    invoke: (event) => mod.handler(event, context),
    restore: () => {
      for (const key of ENV_KEYS) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    },
  };
}
