/**
 * EventBridge target for `source: aws.health`, `detail-type: AWS Health Event` (rules in the impacted and the
 * backup Region). Thin: parse → the ingest use case → a summary. Unparseable events are quarantined (the function
 * succeeds); only transient errors (DynamoDB, SSM, Cost Explorer) fail the invocation, so Lambda retries and then
 * hands the event to the on-failure destination. Dependencies: handlers/wiring.ts.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { ingestPayload, type IngestDeps } from '../src/pipeline/ingest.ts';
import { ingestDeps, lambda, log } from './wiring.ts';

export async function healthEvent(event: EventBridgeEvent<string, unknown>, deps: IngestDeps) {
  const outcomes = await ingestPayload(event, `eventbridge:${event?.id ?? 'unknown'}`, deps);
  const summary = outcomes.map((o) =>
    o.kind === 'quarantined'
      ? { quarantined: o.id, reason: o.reason }
      : { eventArn: o.eventArn, account: o.account, state: o.state, claims: o.claims.map((c) => ({ id: c.claimId, creditCents: c.creditCents, version: c.version })) },
  );
  log.info('health event processed', { outcomes: summary });
  return { outcomes: summary };
}

export const handler = lambda('health-event', ingestDeps, healthEvent);
