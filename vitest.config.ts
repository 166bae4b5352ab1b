import { defineConfig } from 'vitest/config';

// Node 20 locally by design (Lambda runs nodejs22.x): silence the SDK's Node-22 notice in the runner too.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one DynamoDB Local started by the global setup.
    globalSetup: ['tests/setup/global-dynamodb.ts'],
    pool: 'forks',
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // A passing run prints nothing but the report: the handlers' Powertools loggers stay quiet unless a test
      // that reads them sets its own level.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  },
});
