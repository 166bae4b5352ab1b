/**
 * Issue 10, rule 3, through the real pipeline (DynamoDB Local): a Health event about EC2 launches and API errors does
 * not become an EC2 Region-level claim (the outcome says why), instance-level claims for impaired entities stay, an
 * event showing instances unreachable in two AZs does become one, and a Region-level claim drafted before the rule is
 * corrected by the incident's next update.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthEnvelope, type EnvelopeSpec } from '../helpers/event-builder.ts';
import { ingestRaw } from '../../src/pipeline/ingest.ts';
import { recomputeClaims } from '../../src/pipeline/recompute.ts';
import { incidentKeyOf, scopeKeyOf } from '../../src/claims/ids.ts';
import { parseContract } from '../../src/contract/contract.ts';
import { CsvSpendSource } from '../../src/spend/spend.ts';
import { DynamoClaimStore } from '../../src/store/claim-store.ts';
import { dynamoStores } from '../../src/store/stores.ts';
import type { Db } from '../../src/store/clients.ts';
import { freshDb } from '../helpers/db.ts';

const ACCOUNT = '123456789012';
const contract = parseContract({
  accounts: [ACCOUNT],
  coverage: [
    { service: 'DYNAMODB', regions: ['us-east-1'], sla: 'dynamodb' },
    { service: 'EC2', regions: ['*'], sla: 'ec2-region' },
    { service: 'EC2', regions: ['*'], sla: 'ec2-instance', resources: ['*'] },
  ],
});
const spend = new CsvSpendSource(['account,month,service,region,amount', `${ACCOUNT},2025-10,EC2,us-east-1,21873.12`, `${ACCOUNT},2025-10,DYNAMODB,us-east-1,5000`].join('\n'));

let db: Db;
const deps = () => ({ ...dynamoStores(db), contract, spend, now: () => Date.parse('2025-10-22T00:00:00Z') });
beforeAll(async () => {
  db = await freshDb('eligibility');
});
afterAll(() => db.client.destroy());

const ec2: Omit<EnvelopeSpec, 'eventArn' | 'description'> = {
  account: ACCOUNT,
  service: 'EC2',
  eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE',
  region: 'us-east-1',
  start: '2025-10-20T06:48:00Z',
  end: '2025-10-20T20:50:00Z',
  lastUpdated: '2025-10-20T21:00:00Z',
  status: 'closed',
};
const claimOf = (slaId: string, target: string) => new DynamoClaimStore(db).getClaim(`${scopeKeyOf(ACCOUNT, slaId, target)}#2025-10`);

describe('EC2 Region-level eligibility in ingest', () => {
  it('a MULTIPLE_SERVICES event listing EC2 for API/launch errors drafts DynamoDB but no EC2 Region-level claim, and says why', async () => {
    const outcome = await ingestRaw(
      healthEnvelope({
        ...ec2,
        service: 'MULTIPLE_SERVICES',
        eventTypeCode: 'AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE',
        eventArn: 'arn:aws:health:us-east-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/ELIG1',
        description: 'EC2 instance launches are failing; running instances are not affected.\n\nThe following AWS services are impacted: DYNAMODB, EC2.',
      }),
      'multi',
      deps(),
    );
    expect(outcome.kind === 'processed' && outcome.claims.map((c) => c.slaId)).toEqual(['dynamodb']);
    expect(outcome.kind === 'processed' && outcome.notEligible).toEqual([
      expect.objectContaining({ account: ACCOUNT, slaId: 'ec2-region', region: 'us-east-1', reason: expect.stringMatching(/^EC2 Region-level: not claimable — API\/launch errors are not Region Unavailable; .*compute\/sla/) }),
    ]);
    expect(await claimOf('ec2-region', 'us-east-1')).toBeNull();
  });

  it('an instance shown impaired keeps its Instance-Level claim', async () => {
    const outcome = await ingestRaw(
      healthEnvelope({
        ...ec2,
        scope: 'ACCOUNT_SPECIFIC',
        eventArn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/ELIG2',
        description: 'Your instance lost network connectivity.',
        entities: [{ entityValue: 'i-0abc1234', status: 'IMPAIRED' }],
      }),
      'instance',
      deps(),
    );
    expect(outcome.kind === 'processed' && outcome.claims.map((c) => [c.slaId, c.fleet?.parts.flatMap((p) => p.resources)])).toEqual([['ec2-instance', ['i-0abc1234']]]);
  });

  it('instances unreachable in two AZs give an EC2 Region-level claim', async () => {
    const region = 'eu-west-1';
    const outcome = await ingestRaw(
      healthEnvelope({
        ...ec2,
        region,
        eventArn: 'arn:aws:health:eu-west-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/ELIG3',
        description: 'Between 06:48 and 07:48 UTC, EC2 instances in the euw1-az1 and euw1-az2 Availability Zones lost network connectivity.',
        end: '2025-10-20T07:48:00Z',
      }),
      'connectivity',
      deps(),
    );
    expect(outcome.kind === 'processed' && outcome.claims.map((c) => [c.slaId, c.region, c.downtimeMinutes])).toEqual([['ec2-region', region, 60]]);
    expect(outcome.kind === 'processed' && outcome.notEligible).toBeUndefined();
  });

  it('a Region-level claim drafted before the rule loses the incident on its next update', async () => {
    const eventArn = 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_API_ISSUE/ELIG4';
    const scope = { scopeKey: scopeKeyOf(ACCOUNT, 'ec2-region', 'us-east-1'), account: ACCOUNT, slaId: 'ec2-region', region: 'us-east-1', resource: null, service: 'EC2' };
    const window = {
      eventArn, service: 'EC2', eventTypeCode: 'AWS_EC2_API_ISSUE', region: 'us-east-1', statusCode: 'open',
      startMs: Date.parse('2025-10-20T06:48:00Z'), endMs: Date.parse('2025-10-20T20:50:00Z'), lastUpdatedMs: Date.parse('2025-10-20T08:00:00Z'),
      description: 'Increased API error rates', affectedResources: [], affectedResourceCount: 0,
    };
    // What the engine drafted before the rule existed.
    await recomputeClaims([{ scope, month: '2025-10', patch: { [incidentKeyOf(ACCOUNT, eventArn)]: window } }], deps());
    expect((await claimOf('ec2-region', 'us-east-1'))?.downtimeMinutes).toBe(842);
    await ingestRaw(
      healthEnvelope({ ...ec2, eventArn, eventTypeCode: 'AWS_EC2_API_ISSUE', description: 'We are investigating increased API error rates and latencies for EC2 in the US-EAST-1 Region.' }),
      'api',
      deps(),
    );
    const corrected = await claimOf('ec2-region', 'us-east-1');
    expect(corrected).toMatchObject({ downtimeMinutes: 0, creditCents: 0, claimable: false });
  });
});
