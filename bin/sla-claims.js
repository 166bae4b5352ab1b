#!/usr/bin/env node
// Entry point of the `sla-claims` CLI. The sources are TypeScript; tsx compiles them on the fly,
// so `npx sla-claims …` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// Local runs are on Node 20 by design (Lambda runs nodejs22.x); the SDK's Node-22 notice is known and not actionable here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
