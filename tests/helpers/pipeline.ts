import { parseContract, type Contract } from '../../src/contract/contract.ts';
import type { IngestDeps } from '../../src/pipeline/ingest.ts';
import { CsvSpendSource } from '../../src/spend/spend.ts';
import { dynamoStores } from '../../src/store/stores.ts';
import type { Db } from '../../src/store/clients.ts';
import { CachedRecomputeStore } from '../../src/store/claim-cache.ts';
import { CachedIncidentStore } from '../../src/store/incident-cache.ts';
import type { DynamoClaimStore } from '../../src/store/claim-store.ts';
import type { DynamoIncidentStore } from '../../src/store/incident-store.ts';

/** `store` with the methods `cached` has taken from `cached` (the other methods as they are). */
function through<T extends object>(store: T, cached: object): T {
  return new Proxy(store, {
    get(target, key) {
      const own = (cached as Record<PropertyKey, unknown>)[key];
      if (typeof own === 'function') return own.bind(cached);
      const value = (target as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The claim store as the Lambda wiring gives it to ingest (with this process's claim cache), other methods as they are. */
export function withCache(store: DynamoClaimStore): DynamoClaimStore {
  return through(store, new CachedRecomputeStore(store));
}

/** The incident store as the Lambda wiring gives it to ingest (with this process's history cache). */
export function withIncidentCache(store: DynamoIncidentStore): DynamoIncidentStore {
  return through(store, new CachedIncidentStore(store));
}

export const TEST_CONTRACT: Contract = parseContract({
  accounts: ['*'],
  coverage: [
    { service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb' },
    { service: 'LAMBDA', regions: ['us-east-1'], sla: 'lambda' },
    { service: 'EC2', regions: ['*'], sla: 'ec2-instance', resources: ['*'] },
    { service: 'ELASTICLOADBALANCING', regions: ['us-east-1'], sla: 'elb-multi-az', resources: ['*'] },
  ],
});

export const TEST_SPEND = new CsvSpendSource(
  ['account,month,service,region,amount', '123456789012,2025-10,DYNAMODB,us-east-1,5000', '123456789012,2025-11,DYNAMODB,us-east-1,4000'].join('\n'),
);

export function deps(db: Db, nowIso = '2025-11-15T00:00:00Z', contract: Contract = TEST_CONTRACT): IngestDeps & ReturnType<typeof dynamoStores> {
  const stores = dynamoStores(db);
  return { ...stores, incidents: withIncidentCache(stores.incidents), claims: withCache(stores.claims), contract, spend: TEST_SPEND, now: () => Date.parse(nowIso) };
}
