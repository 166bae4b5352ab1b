/** The DynamoDB adapters of the pipeline's ports, over one table (for the wiring, the CLI, tests and benchmarks). */
import { QuarantineStore as DynamoQuarantineStore } from '../pipeline/quarantine.ts';
import { DynamoClaimStore } from './claim-store.ts';
import type { Db } from './clients.ts';
import { DynamoIncidentStore } from './incident-store.ts';

export function dynamoStores(db: Db) {
  return { incidents: new DynamoIncidentStore(db), claims: new DynamoClaimStore(db), quarantine: new DynamoQuarantineStore(db) };
}
