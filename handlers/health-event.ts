/**
 * EventBridge target for `source: aws.health`, `detail-type: AWS Health Event` (rules in the impacted and the
 * backup Region). Thin: parse → the ingest use case → a summary. Unparseable events are quarantined (the function
 * succeeds); only transient errors (DynamoDB, SSM, Cost Explorer) fail the invocation, so Lambda retries and then
 * hands the event to the on-failure destination.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { loadContractFromEnv, spendFromEnv } from '../src/config/runtime.ts';
import { ingestPayload, type IngestDeps } from '../src/pipeline/ingest.ts';
import { getDefaultDb } from '../src/store/clients.ts';
import { dynamoStores } from '../src/store/stores.ts';

const logger = new Logger({ serviceName: 'sla-claims' });

let depsPromise: Promise<IngestDeps> | undefined;

/** Built once per Lambda instance (first invocation), reused by every later one. */
export function getDeps(): Promise<IngestDeps> {
  depsPromise ??= (async () => {
    const db = getDefaultDb();
    return {
      ...dynamoStores(db),
      contract: await loadContractFromEnv(),
      spend: spendFromEnv(db),
      now: () => Date.now(),
      log: (level, message, extra) => logger[level](message, extra ?? {}),
    };
  })();
  depsPromise.catch(() => (depsPromise = undefined));
  return depsPromise;
}

export async function healthEventHandler(event: EventBridgeEvent<string, unknown>, _context?: Context) {
  const deps = await getDeps();
  const outcomes = await ingestPayload(event, `eventbridge:${event?.id ?? 'unknown'}`, deps);
  const summary = outcomes.map((o) =>
    o.kind === 'quarantined'
      ? { quarantined: o.id, reason: o.reason }
      : { eventArn: o.eventArn, account: o.account, state: o.state, claims: o.claims.map((c) => ({ id: c.claimId, creditCents: c.creditCents, version: c.version })) },
  );
  logger.info('health event processed', { outcomes: summary });
  return { outcomes: summary };
}

export const handler = middy(healthEventHandler).use(injectLambdaContext(logger, { clearState: true }));
