/**
 * Packages the service with osls (no AWS credentials, no network) and checks the CloudFormation template's
 * promises; then runs a handler through `sls invoke local` on a file from events/ against DynamoDB Local.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createLocalDb } from '../../src/store/clients.ts';
import { ensureTable, tableDefinition } from '../../src/store/table.ts';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
let resources: Record<string, Resource>;
let packageDir: string;

const cleanEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', SLS_TELEMETRY_DISABLED: '1', SLS_ESBUILD_WORK_FOLDER: '.esbuild-test-package' };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_') && key !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete env[key];
  return env;
};

beforeAll(() => {
  // This test's own esbuild work folder, emptied: what an interrupted earlier build left there would be zipped too.
  rmSync('.esbuild-test-package', { recursive: true, force: true });
  packageDir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  execFileSync('npx', ['sls', 'package', '--stage', 'ci', '--package', packageDir], { env: cleanEnv(), stdio: 'pipe', timeout: 180_000 });
  const template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  resources = template.Resources;
}, 200_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const statements = (role: Resource): any[] => role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);

describe('sls package (offline) and the CloudFormation template', () => {
  it('packages one artifact per function', () => {
    const zips = readdirSync(packageDir).filter((f) => f.endsWith('.zip')).sort();
    expect(zips).toEqual(['claimsExpire.zip', 'claimsFile.zip', 'claimsRefresh.zip', 'claimsTrack.zip', 'creditsReconcile.zip', 'healthBackfill.zip', 'healthEvent.zip', 'metricsCollect.zip', 'monthlySummary.zip', 'slackInteractions.zip', 'slackNotify.zip']);
  });

  it('ships minified ES module bundles under 1 MB, without a source map', () => {
    for (const zip of readdirSync(packageDir).filter((f) => f.endsWith('.zip'))) {
      expect(statSync(join(packageDir, zip)).size, zip).toBeLessThan(1_000_000);
      const files = execFileSync('unzip', ['-Z1', join(packageDir, zip)], { encoding: 'utf8' }).trim().split('\n');
      expect(files.filter((f) => f.endsWith('.map')), zip).toEqual([]);
      // ESM named .js: the package.json beside it says "module" (osls's invoke local cannot load .mjs).
      expect(JSON.parse(execFileSync('unzip', ['-p', join(packageDir, zip), 'handlers/package.json'], { encoding: 'utf8' })).type, zip).toBe('module');
      const [bundle] = files.filter((f) => f.endsWith('.js'));
      const code = execFileSync('unzip', ['-p', join(packageDir, zip), bundle!], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(code, zip).not.toMatch(/sourceMappingURL/);
      expect(code, zip).toMatch(/^import\{createRequire/);
      // Minified: few, long lines (an unminified bundle has one line per ~40 characters).
      expect(code.length / code.split('\n').length, zip).toBeGreaterThan(1_000);
    }
    for (const [name, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment?.Variables?.NODE_OPTIONS ?? '', name).not.toMatch(/enable-source-maps/);
    }
  });

  it('runs every function on a current Node.js runtime with its own role', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions).toHaveLength(11);
    const roles = new Set<string>();
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
      const role = fn.Properties.Role['Fn::GetAtt'][0];
      expect(resources[role]?.Type).toBe('AWS::IAM::Role');
      roles.add(role);
    }
    expect(roles.size).toBe(11);
    expect(resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('grants no "*" action anywhere, and "*" resources only where AWS allows nothing narrower', () => {
    const allowedStarResources = new Set([
      'ce:GetCostAndUsage',
      'health:DescribeEvents',
      'health:DescribeEventsForOrganization',
      'health:DescribeAffectedAccountsForOrganization',
      'health:DescribeEventDetailsForOrganization',
      'health:DescribeAffectedEntitiesForOrganization',
    ]);
    for (const [name, role] of ofType('AWS::IAM::Role')) {
      for (const s of statements(role)) {
        const actions: string[] = [s.Action].flat();
        for (const action of actions) expect(action, `${name}`).not.toMatch(/\*/);
        if ([s.Resource].flat().includes('*')) for (const action of actions) expect(allowedStarResources, `${name}: ${action}`).toContain(action);
      }
    }
  });

  it('grants each function the DynamoDB actions its code sends to the table (a missing one fails every call in AWS)', () => {
    // What each function's adapters send: the recompute reads claims with BatchGetItem (claim-store getForRecompute),
    // writes them with PutItem/UpdateItem (transactions are authorised per item) or PartiQL INSERT/UPDATE statements
    // (several claims in one BatchExecuteStatement), and ingest stores entity chunks
    // with BatchWriteItem and reads them with Query.
    const needs: Record<string, string[]> = {
      HealthEventRole: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem', 'Query', 'PartiQLInsert', 'PartiQLUpdate'],
      HealthBackfillRole: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem', 'Query', 'PartiQLInsert', 'PartiQLUpdate'],
      // ... and a regrouped fleet claim's resource lists: BatchGetItem, BatchWriteItem (src/store/resource-list-store.ts).
      ClaimsRefreshRole: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem', 'Query', 'PartiQLInsert', 'PartiQLUpdate'],
      SlackNotifyRole: ['GetItem', 'PutItem', 'UpdateItem'],
      SlackInteractionsRole: ['GetItem', 'PutItem', 'UpdateItem'],
      // Expiry, tracking and reconciliation: transitions and their audit items (one transaction), the claim read back.
      ClaimsExpireRole: ['GetItem', 'PutItem', 'UpdateItem'],
      ClaimsTrackRole: ['GetItem', 'PutItem', 'UpdateItem'],
      CreditsReconcileRole: ['GetItem', 'PutItem', 'UpdateItem'],
      // getClaim, the filing intent, the transition's transaction (UpdateItem + PutItem), audit entries; a fleet
      // claim's resource lists (BatchGetItem).
      ClaimsFileRole: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'],
      // Series heads: BatchGetItem; chunks: BatchWriteItem (put and delete) and Query; the head: PutItem; the
      // recompute from the series: BatchGetItem, PutItem, UpdateItem.
      MetricsCollectRole: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem', 'Query'],
    };
    for (const [role, actions] of Object.entries(needs)) {
      const onTable = statements(resources[role]!)
        .filter((s) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': ['ClaimsTable', 'Arn'] }))
        .flatMap((s) => [s.Action].flat());
      for (const action of actions) expect(onTable, `${role}: dynamodb:${action}`).toContain(`dynamodb:${action}`);
    }
  });

  it('lets claimsFile only assume the filer role (no Support action of its own), and the filer role only send the Support actions the code sends', () => {
    const own = statements(resources.ClaimsFileRole!);
    const actions = own.flatMap((st) => [st.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('support:'))).toEqual([]);
    const assume = own.find((st) => [st.Action].flat().includes('sts:AssumeRole'));
    expect(assume.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/sla-claims-support-filer' });
    expect(actions.filter((a: string) => a.startsWith('sts:'))).toEqual(['sts:AssumeRole']);
    // The function is on the stream (approved claims only) and on a schedule the Scheduler role may invoke.
    const mapping = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName['Fn::GetAtt'][0] === 'ClaimsFileLambdaFunction');
    expect(JSON.parse(mapping![1].Properties.FilterCriteria.Filters[0].Pattern).dynamodb.NewImage.status).toEqual({ S: ['approved'] });
    expect(JSON.stringify(resources.SchedulerRole!.Properties.Policies)).toContain('-claimsFile');
    // deploy/support-filer-role.yml: exactly what src/filing/support-api.ts (filing) and src/tracking/support-cases.ts
    // (tracking: DescribeCases with its communications) send; DescribeCommunications is sent by neither.
    const filer = parseYaml(readFileSync('deploy/support-filer-role.yml', 'utf8')) as any;
    const role = filer.Resources.SupportFilerRole.Properties;
    const granted = role.Policies.flatMap((p: any) => p.PolicyDocument.Statement).flatMap((st: any) => [st.Action].flat()).sort();
    expect(granted).toEqual(['support:AddAttachmentsToSet', 'support:CreateCase', 'support:DescribeCases', 'support:DescribeServices']);
    const code = readFileSync('src/filing/support-api.ts', 'utf8');
    for (const op of ['DescribeServices', 'AddAttachmentsToSet', 'CreateCase', 'DescribeCases']) expect(code).toContain(`${op}Command`);
    const tracking = readFileSync('src/tracking/support-cases.ts', 'utf8');
    expect(tracking.match(/\b\w+Command\b/g)!.filter((c) => c !== 'DescribeCasesCommand')).toEqual([]);
    expect(`${code}${tracking}`).not.toContain('DescribeCommunicationsCommand');
    // It trusts the two roles of the sla-claims account that assume it: the filer's and the tracker's.
    const trusted = role.AssumeRolePolicyDocument.Statement[0].Condition.ArnLike['aws:PrincipalArn'].map((p: any) => p['Fn::Sub']);
    expect(trusted).toEqual(['arn:${AWS::Partition}:iam::${TrustedAccountId}:role/${TrustedRolePattern}', 'arn:${AWS::Partition}:iam::${TrustedAccountId}:role/${TrackerRolePattern}']);
    expect([filer.Parameters.TrustedRolePattern.Default, filer.Parameters.TrackerRolePattern.Default]).toEqual(['sla-claims-*-ClaimsFileRole-*', 'sla-claims-*-ClaimsTrackRole-*']);
  });

  it('lets the metrics collector assume only the named reader role and read no CloudWatch itself', () => {
    const all = statements(resources.MetricsCollectRole!);
    const assume = all.filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(assume).toEqual([{ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/sla-claims-metrics-reader' } }]);
    expect(all.flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith('cloudwatch:'))).toEqual([]);
    expect(resources.MetricsCollectRole!.Properties.RoleName).toBe('sla-claims-ci-metrics-collect');
    const fn = ofType('AWS::Lambda::Function').find(([name]) => name === 'MetricsCollectLambdaFunction')![1];
    expect(fn.Properties.Environment.Variables.METRICS_ROLE_NAME).toBe('sla-claims-metrics-reader');
    const schedule = ofType('AWS::Scheduler::Schedule').map(([, s]) => s.Properties).find((s) => JSON.stringify(s.Target.Arn).includes('MetricsCollect'));
    expect(schedule?.ScheduleExpression).toBe('rate(15 minutes)');
  });

  it('keeps the table: point-in-time recovery, deletion protection, Retain, encryption, a month index and a stream', () => {
    const [[, table]] = ofType('AWS::DynamoDB::Table') as [[string, Resource]];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    // gsi2 (the summary's narrow month index) added beside gsi1: the template's indexes are those DynamoDB Local gets.
    expect(table.Properties.GlobalSecondaryIndexes.map((i: any) => i.IndexName)).toEqual(['gsi1', 'gsi2']);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(tableDefinition('x').GlobalSecondaryIndexes);
    expect(table.Properties.StreamSpecification.StreamViewType).toBe('NEW_IMAGE');
  });

  it('gives the Health rule target an explicit retry policy and a DLQ', () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [[, rule]] = rules as [[string, Resource]];
    expect(rule.Properties.EventPattern).toEqual({ source: ['aws.health'], 'detail-type': ['AWS Health Event'] });
    const [target] = rule.Properties.Targets;
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 });
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toBe('HealthEventDlq');
  });

  it('sends failed asynchronous invocations to an on-failure destination', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    const byFunction = Object.fromEntries(configs.map(([, c]) => [c.Properties.FunctionName.Ref, c.Properties]));
    for (const fn of ['HealthEventLambdaFunction', 'HealthBackfillLambdaFunction', 'ClaimsRefreshLambdaFunction', 'MonthlySummaryLambdaFunction', 'ClaimsFileLambdaFunction', 'MetricsCollectLambdaFunction', 'ClaimsExpireLambdaFunction', 'ClaimsTrackLambdaFunction', 'CreditsReconcileLambdaFunction']) {
      expect(byFunction[fn]?.DestinationConfig?.OnFailure?.Destination['Fn::GetAtt'][0], fn).toBe('AsyncFailureQueue');
    }
    // Two stream consumers (slackNotify, claimsFile): each mapping found by its function.
    const mappingOf = (fn: string) => ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName['Fn::GetAtt'][0] === fn)![1];
    const mapping = mappingOf('SlackNotifyLambdaFunction');
    expect(mapping.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]).toBe('NotifyFailureQueue');
    expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const filing = mappingOf('ClaimsFileLambdaFunction');
    expect(filing.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]).toBe('AsyncFailureQueue');
    expect(filing.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('keeps secrets out of the template: only SSM parameter names in the environment', () => {
    for (const [name, fn] of ofType('AWS::Lambda::Function')) {
      const env: Record<string, unknown> = fn.Properties.Environment?.Variables ?? {};
      for (const [key, value] of Object.entries(env)) {
        expect(key, name).not.toMatch(/(SECRET|TOKEN|PASSWORD)$/);
        if (typeof value === 'string') expect(value, `${name}.${key}`).not.toMatch(/^xox[bp]-|^[0-9a-f]{32}$/);
      }
    }
  });

  it('grants the tracking functions only the Support / Cost Explorer actions their code sends, and reads the month index', () => {
    const actionsOf = (role: string) => statements(resources[role]!).flatMap((s) => [s.Action].flat()).filter((a: string) => !a.startsWith('logs:') && !a.startsWith('sqs:'));
    expect(actionsOf('ClaimsExpireRole').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    // claimsTrack reads the cases in each claim's account through the filer role: AssumeRole of that role only, no
    // Support action of its own (as claimsFile), and the role's name in its environment.
    expect(actionsOf('ClaimsTrackRole').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'ssm:GetParameter', 'sts:AssumeRole']);
    const trackAssume = statements(resources.ClaimsTrackRole!).find((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(trackAssume.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/sla-claims-support-filer' });
    const trackFn = ofType('AWS::Lambda::Function').find(([name]) => name === 'ClaimsTrackLambdaFunction')![1];
    expect(trackFn.Properties.Environment.Variables.SUPPORT_FILER_ROLE).toBe('sla-claims-support-filer');
    expect(actionsOf('CreditsReconcileRole').sort()).toEqual(['ce:GetCostAndUsage', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    for (const role of ['ClaimsExpireRole', 'ClaimsTrackRole', 'CreditsReconcileRole']) {
      const query = statements(resources[role]!).find((s) => [s.Action].flat().includes('dynamodb:Query'));
      expect(query.Resource['Fn::Sub'], role).toBe('${ClaimsTable.Arn}/index/gsi1');
    }
  });

  it('lets the monthly summary Query only the narrow month index (gsi2) and write only its marker items', () => {
    const all = statements(resources.MonthlySummaryRole!);
    const dynamo = all.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    const query = dynamo.filter((s) => [s.Action].flat().includes('dynamodb:Query'));
    expect(query).toEqual([{ Effect: 'Allow', Action: ['dynamodb:Query'], Resource: { 'Fn::Sub': '${ClaimsTable.Arn}/index/gsi2' } }]);
    for (const s of dynamo.filter((x) => !query.includes(x))) expect(s.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']).toEqual(['SUMMARY#*']);
  });

  it('schedules the summary on the 1st in a time zone, through a role that may only invoke the scheduled functions', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    const monthly = schedules.find((s) => s.ScheduleExpression === 'cron(0 8 1 * ? *)');
    expect(monthly?.ScheduleExpressionTimezone).toBeTruthy();
    for (const s of schedules) expect(s.Target.RoleArn['Fn::GetAtt'][0]).toBe('SchedulerRole');
    const actions = statements(resources.SchedulerRole!).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(['lambda:InvokeFunction']);
  });
});

describe('sls invoke local', () => {
  it('runs the Health event handler on a file from events/ against DynamoDB Local', async () => {
    const endpoint = inject('dynamoEndpoint');
    const db = createLocalDb('sla-claims-invoke', endpoint);
    await ensureTable(db.client, db.tableName);
    const out = execFileSync(
      'npx',
      [
        'sls', 'invoke', 'local', '--stage', 'ci', '-f', 'healthEvent', '-p', 'events/health-synthetic-multiple-services-us-east-1.json',
        '-e', `TABLE_NAME=${db.tableName}`, '-e', `CONTRACT_FILE=${resolve('config/contract.example.yml')}`, '-e', 'SPEND_SOURCE=none',
      ],
      { env: { ...cleanEnv(), DYNAMODB_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' }, encoding: 'utf8', timeout: 180_000 },
    );
    const result = JSON.parse(out.slice(out.lastIndexOf('\n{') + 1));
    expect(result.outcomes[0]).toMatchObject({ state: 'applied', account: '123456789012' });
    expect(result.outcomes[0].claims.map((c: { id: string }) => c.id).sort()).toEqual([
      '123456789012#dynamodb#us-east-1#2025-10',
      '123456789012#lambda#us-east-1#2025-10',
    ]);
    db.client.destroy();
  }, 200_000);
});
