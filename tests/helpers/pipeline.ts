import { parseContract, type Contract } from '../../src/contract/contract.ts';
import type { IngestDeps } from '../../src/pipeline/ingest.ts';
import { CsvSpendSource } from '../../src/spend/spend.ts';
import { dynamoStores } from '../../src/store/stores.ts';
import type { Db } from '../../src/store/clients.ts';

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
  return { ...dynamoStores(db), contract, spend: TEST_SPEND, now: () => Date.parse(nowIso) };
}
