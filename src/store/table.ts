/**
 * Single-table design (one DynamoDB table; see README "Data model"):
 *
 * | item             | pk                               | sk                          | gsi1pk                | gsi1sk                    |
 * |------------------|----------------------------------|-----------------------------|-----------------------|---------------------------|
 * | incident state   | INCIDENT#<account>#<eventArn>    | INCIDENT                    | –                     | –                         |
 * | incident update  | INCIDENT#<account>#<eventArn>    | UPDATE#<lastUpdatedMs>#<pg> | –                     | –                         |
 * | entities chunk   | INCIDENT#<account>#<eventArn>    | ENTITIES#<page>#<n>         | –                     | –                         |
 * | incident → scope | INCIDENT#<account>#<eventArn>    | LINK#<scope key>            | –                     | –                         |
 * | scope → incident | SCOPE#<scope key>                | LINK#<account>#<eventArn>   | –                     | –                         |
 * | claim            | CLAIM#<claimId>                  | CLAIM                       | MONTH#<YYYY-MM>       | <account>#<slaId>#<scope> |
 * | audit entry      | CLAIM#<claimId>                  | AUDIT#<iso>#<nonce>         | –                     | –                         |
 * | resource list    | RESOURCES#<sha256 of the list>   | RESOURCES                   | –                     | –                         |
 * | quarantine       | QUARANTINE#<sha256>              | QUARANTINE (+ RAW#<n>)      | QUARANTINE            | <iso>#<id>                |
 * | spend cache      | SPEND#<account>#<YYYY-MM>        | SPEND                       | –                     | –                         |
 * | summary marker   | SUMMARY#<YYYY-MM>                | SUMMARY                     | –                     | –                         |
 *
 * scope key = <account>#<slaId>#<Region or resource>; claimId = <scope key>#<YYYY-MM>.
 * GSI1 lists a month's claims and the quarantine without a Scan. A scope's incidents are a strongly consistent Query
 * on the base table (SCOPE#…), so a claim recompute never misses a link that was written before it started.
 *
 * MONTH_SUMMARY_INDEX (gsi2) has GSI1's keys but projects only MONTH_SUMMARY_ATTRIBUTES (INCLUDE): the monthly summary
 * reads a 10 000-claim month from index items of ~0.6 KB instead of whole claims (evidence, windows, audit log). A new
 * index rather than a narrower GSI1: an existing index's projection cannot be changed in place (CloudFormation:
 * Projection NonKeyAttributes "Update requires: Updates are not supported"). Reusing gsi1pk/gsi1sk means no write path
 * sets anything new (index keys cannot go stale, already bounded in bytes by src/claims/ids.ts) and DynamoDB backfills
 * the index from the claims already stored when it is added.
 */
import { incidentKeyOf } from '../claims/ids.ts';
import { CreateTableCommand, DescribeTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const GSI1 = 'gsi1';
/** The month's claims, only the fields the monthly summary shows (see MONTH_SUMMARY_ATTRIBUTES). */
export const MONTH_SUMMARY_INDEX = 'gsi2';
/**
 * Non-key attributes of MONTH_SUMMARY_INDEX: the claim fields `src/summary/model.ts` reads (SUMMARY_FIELDS; a unit
 * test keeps them equal). The keys pk, sk, gsi1pk, gsi1sk are always projected. At most 20 (DynamoDB's limit per index);
 * serverless.yml repeats this list (a test compares them).
 */
export const MONTH_SUMMARY_ATTRIBUTES = [
  'claimId',
  'month',
  'account',
  'slaId',
  'region',
  'resource',
  'status',
  'creditCents',
  'claimable',
  'chargesKnown',
  'provisional',
  'deadline',
  'slack',
  'slaClause',
  'basis',
  'terms',
  'filing',
  'payment',
  'resourceCount',
] as const;

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI1,
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: MONTH_SUMMARY_INDEX,
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...MONTH_SUMMARY_ATTRIBUTES] },
      },
    ],
  };
}

/** Creates the table if it does not exist (local runs and tests; in AWS the table comes from serverless.yml). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
}

export const keys = {
  incident: (account: string, eventArn: string) => ({ pk: `INCIDENT#${incidentKeyOf(account, eventArn)}`, sk: 'INCIDENT' }),
  claim: (claimId: string) => ({ pk: `CLAIM#${claimId}`, sk: 'CLAIM' }),
  resources: (id: string) => ({ pk: `RESOURCES#${id}`, sk: 'RESOURCES' }),
  audit: (claimId: string, at: string, nonce: string) => ({ pk: `CLAIM#${claimId}`, sk: `AUDIT#${at}#${nonce}` }),
  quarantine: (id: string) => ({ pk: `QUARANTINE#${id}`, sk: 'QUARANTINE' }),
  spend: (account: string, month: string) => ({ pk: `SPEND#${account}#${month}`, sk: 'SPEND' }),
  summary: (month: string) => ({ pk: `SUMMARY#${month}`, sk: 'SUMMARY' }),
  monthIndex: (month: string) => `MONTH#${month}`,
};
