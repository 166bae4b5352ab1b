/**
 * The one wiring place of the Lambdas: the logger, the AWS clients and each function's dependencies, built once per
 * cold start and lazily (a client is created on first use, so an invocation that never sends email never builds an
 * SES client), and the one way every handler is wrapped (middy + Powertools' injectLambdaContext).
 *
 * Handlers stay thin: `export const handler = lambda(name, depsBuilder, (event, deps, context) => useCase(...))`.
 * Tests inject fakes by passing their own deps (object or builder) to the handler factories, or replace a client
 * with `clients.x.set(fake)` (`set(undefined)` rebuilds it on next use).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { HealthClient } from '@aws-sdk/client-health';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { INTERACTIVE_RETRY, retryStrategy } from '../src/config/retry.ts';
import type { FileClaimDeps } from '../src/filing/file-claim.ts';
import type { CollectDeps } from '../src/pipeline/collect-metrics.ts';
import type { IngestDeps } from '../src/pipeline/ingest.ts';
import type { SlackHttpDeps } from '../src/slack/http.ts';
import type { NotifyDeps } from '../src/slack/notify.ts';
import type { SecretSource } from '../src/slack/secrets.ts';
import { DynamoClaimStore } from '../src/store/claim-store.ts';
import { dbFromEnv, type Db } from '../src/store/clients.ts';
import type { Log } from '../src/util/log.ts';

// Every bundle holds this module, so what only some functions use is imported dynamically: esbuild keeps it in the
// one-file bundle but evaluates it on first use (cold init pays only for the logger, middy and DynamoDB).

/** The one logger (level from POWERTOOLS_LOG_LEVEL; tests set SILENT). It is the application's logging port. */
export const logger = new Logger({ serviceName: 'sla-claims' });
export const log: Log = {
  debug: (message, extra) => logger.debug(message, extra ?? {}),
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};

export interface Lazy<T> {
  (): T;
  /** Replaces the value (tests, local runs); undefined forgets it, so the next call builds it again. */
  set(value: T | undefined): void;
}

/** Built on first call and kept; a build that throws (or a promise that rejects) is forgotten and retried next time. */
export function once<T>(build: () => T): Lazy<T> {
  let built = false;
  let value: T | undefined;
  const get = (() => {
    if (!built) {
      value = build();
      built = true;
      if (value instanceof Promise) {
        const pending = value;
        pending.catch(() => {
          if (value === pending) built = false;
        });
      }
    }
    return value as T;
  }) as Lazy<T>;
  get.set = (next) => {
    value = next;
    built = next !== undefined;
  };
  return get;
}

/** Every AWS client of the Lambdas, each with the budgeted retry strategy of src/config/retry.ts. */
export const clients = {
  db: once<Db>(() => dbFromEnv()),
  /** Slack must hear back within 3 s: the interactions function's table client retries within 1 s. */
  interactiveDb: once<Db>(() => dbFromEnv(process.env, { retryStrategy: retryStrategy(INTERACTIVE_RETRY) })),
  ssm: once(async (): Promise<SSMClient> => new (await import('@aws-sdk/client-ssm')).SSMClient({ retryStrategy: retryStrategy() })),
  interactiveSsm: once(async (): Promise<SSMClient> => new (await import('@aws-sdk/client-ssm')).SSMClient({ retryStrategy: retryStrategy(INTERACTIVE_RETRY) })),
  ses: once(async (): Promise<SESv2Client> => new (await import('@aws-sdk/client-sesv2')).SESv2Client({ retryStrategy: retryStrategy() })),
  // The Health API's global endpoint is in us-east-1.
  health: once(async (): Promise<HealthClient> => new (await import('@aws-sdk/client-health')).HealthClient({ region: 'us-east-1', retryStrategy: retryStrategy() })),
};

type DepsSource<D> = D | (() => D | Promise<D>);

/**
 * The one handler shape: resolve the deps (once; a failure is logged naming the function and retried on the next
 * invocation), run the use case, wrapped in middy with the Lambda context injected into the logger.
 */
export function lambda<E, D, R>(name: string, deps: DepsSource<D>, run: (event: E, deps: D, context: Context) => Promise<R>) {
  const resolve =
    typeof deps === 'function'
      ? once(async () => {
          try {
            return await (deps as () => D | Promise<D>)();
          } catch (error) {
            logger.error(`${name} is misconfigured`, { error: (error as Error).message });
            throw error;
          }
        })
      : async () => deps;
  const core = async (event: E, context: Context) => run(event, await resolve(), context);
  return middy(core).use(injectLambdaContext(logger, { resetKeys: true })) as unknown as (event: E, context?: Context) => Promise<R>;
}

// ---------------------------------------------------------------------------------------------------------------
// Dependencies of each function
// ---------------------------------------------------------------------------------------------------------------

/** healthEvent, healthBackfill, claimsRefresh: the ingest use case's ports. */
export async function ingestDepsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<IngestDeps> {
  const { loadContractFromEnv, spendFromEnv } = await import('../src/config/runtime.ts');
  const [{ dynamoStores }, { CachedRecomputeStore }, { CachedIncidentStore }] = await Promise.all([
    import('../src/store/stores.ts'),
    import('../src/store/claim-cache.ts'),
    import('../src/store/incident-cache.ts'),
  ]);
  const db = clients.db();
  const stores = dynamoStores(db);
  return {
    ...stores,
    // Kept for the life of the instance: the next update of a warm instance's incidents writes without reading first,
    // and its claims while the history write is in flight.
    incidents: new CachedIncidentStore(stores.incidents),
    claims: new CachedRecomputeStore(stores.claims),
    contract: await loadContractFromEnv(env, env.CONTRACT_PARAM && !env.CONTRACT_FILE ? await clients.ssm() : undefined),
    spend: spendFromEnv(db, env, log),
    now: () => Date.now(),
    log,
  };
}

/** Shared by the three ingest functions of one instance (tests load several handlers in one process). */
export const ingestDeps = once(() => ingestDepsFromEnv());

/** slackInteractions; throws an error naming the variable when the configuration is invalid. */
export async function slackInteractionsDeps(env: NodeJS.ProcessEnv = process.env, secrets?: SecretSource): Promise<SlackHttpDeps> {
  const [{ loadSecretParamName, loadSlackConfig }, { createResponder, webClientSlackApi }] = await Promise.all([import('../src/slack/config.ts'), import('../src/slack/api.ts')]);
  const config = loadSlackConfig(env);
  const signingSecretParam = loadSecretParamName('SLACK_SIGNING_SECRET_PARAM', env);
  const botTokenParam = loadSecretParamName('SLACK_BOT_TOKEN_PARAM', env);
  const source = secrets ?? new (await import('../src/slack/secrets.ts')).SsmSecretSource(await clients.interactiveSsm());
  return {
    config,
    store: new DynamoClaimStore(clients.interactiveDb()),
    // Tight timeouts, no retries: Slack wants an answer within 3 seconds; the stream notifier repairs the message later.
    slack: webClientSlackApi({ token: () => source.get(botTokenParam), apiUrl: config.apiUrl, timeoutMs: 1500, retries: 0 }),
    respond: createResponder({ ...(config.apiUrl ? { extraOrigin: new URL(config.apiUrl).origin } : {}), timeoutMs: 1500 }),
    signingSecret: () => source.get(signingSecretParam),
    refreshSigningSecret: () => source.refresh(signingSecretParam),
    now: () => new Date(),
    logger: log,
  };
}

/** slackNotify. */
export async function slackNotifyDeps(env: NodeJS.ProcessEnv = process.env, secrets?: SecretSource): Promise<NotifyDeps> {
  const [{ loadSecretParamName, loadSlackConfig }, { webClientSlackApi }] = await Promise.all([import('../src/slack/config.ts'), import('../src/slack/api.ts')]);
  const config = loadSlackConfig(env);
  const botTokenParam = loadSecretParamName('SLACK_BOT_TOKEN_PARAM', env);
  const source = secrets ?? new (await import('../src/slack/secrets.ts')).SsmSecretSource(await clients.ssm());
  return {
    config,
    store: new DynamoClaimStore(clients.db()),
    slack: webClientSlackApi({ token: () => source.get(botTokenParam), apiUrl: config.apiUrl, timeoutMs: 5000, retries: 2 }),
    now: () => new Date(),
    logger: log,
  };
}

/**
 * claimsFile: the store, the contract's filing settings, and one Support API per account through the filer role
 * (deploy/support-filer-role.yml, named by SUPPORT_FILER_ROLE), assumed with STS. SUPPORT_ENDPOINT (local runs: the
 * fake Support server) skips the role and uses the default credentials.
 */
export async function claimsFileDeps(env: NodeJS.ProcessEnv = process.env): Promise<FileClaimDeps> {
  const [{ loadContractFromEnv }, { filerRoleArn, supportForAccount }, { CaseCodesCache }] = await Promise.all([
    import('../src/config/runtime.ts'),
    import('../src/filing/support-api.ts'),
    import('../src/filing/case-codes.ts'),
  ]);
  const roleName = env.SUPPORT_FILER_ROLE;
  const endpoint = env.SUPPORT_ENDPOINT || undefined;
  if (!endpoint && !roleName) throw new Error('SUPPORT_FILER_ROLE must name the role deploy/support-filer-role.yml creates in each account');
  const contract = await loadContractFromEnv(env, env.CONTRACT_PARAM && !env.CONTRACT_FILE ? await clients.ssm() : undefined);
  const region = env.AWS_REGION ?? 'us-east-1';
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const store = new DynamoClaimStore(clients.db());
  return {
    store,
    // Fleet claims' full resource lists (BatchGetItem of RESOURCES# items), for the case body or its CSV attachment.
    resourceLists: store,
    filing: contract.filing,
    codes: new CaseCodesCache(contract.filing),
    supportFor: supportForAccount({
      ...(endpoint ? { endpoint } : { roleArnOf: (account: string) => filerRoleArn(account, roleName!, partition) }),
      clientConfig: { retryStrategy: retryStrategy() },
    }),
    now: () => new Date(),
    log,
  };
}

/** monthlySummary: the store, the once-per-month markers and the SES client (the mailer needs the parsed config). */
export async function monthlySummaryDeps() {
  const { DynamoSummaryMarkerStore } = await import('../src/summary/send.ts');
  const db = clients.db();
  return { store: new DynamoClaimStore(db), markers: new DynamoSummaryMarkerStore(db), ses: await clients.ses() };
}

/** The partition of a Region (role ARNs differ in China and GovCloud). */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * metricsCollect: the claim and series stores, the member-account roles (named by the contract's metricsRoleName, else
 * METRICS_ROLE_NAME, which is what this function's IAM policy lets it assume), the recipes and the recompute from a
 * series (the measured engine).
 */
export async function metricsCollectDeps(env: NodeJS.ProcessEnv = process.env): Promise<CollectDeps> {
  const [{ loadContractFromEnv, spendFromEnv }, { dynamoStores }, { DynamoSeriesStore }, { AssumedRoleMetricsAccess }, { STSClient }, { recipeFor }, { applyMeasuredSeries }] =
    await Promise.all([
      import('../src/config/runtime.ts'),
      import('../src/store/stores.ts'),
      import('../src/store/series-store.ts'),
      import('../src/metrics/assume-role.ts'),
      import('@aws-sdk/client-sts'),
      import('../src/sla/recipes.ts'),
      import('../src/pipeline/apply-measured.ts'),
    ]);
  const db = clients.db();
  const stores = dynamoStores(db);
  const contract = await loadContractFromEnv(env, env.CONTRACT_PARAM && !env.CONTRACT_FILE ? await clients.ssm() : undefined);
  const allowed = env.METRICS_ROLE_NAME || undefined;
  const roleName = contract.metricsRoleName ?? allowed;
  if (contract.metricsRoleName && allowed && contract.metricsRoleName !== allowed) {
    log.warn(`contract metricsRoleName ${contract.metricsRoleName} differs from METRICS_ROLE_NAME ${allowed}, the only role this function may assume: redeploy with --param="metricsRoleName=${contract.metricsRoleName}"`);
  }
  const region = env.AWS_REGION;
  const access = roleName
    ? new AssumedRoleMetricsAccess(new STSClient({ retryStrategy: retryStrategy(), ...(region ? { region } : {}) }), { roleName, partition: partitionOf(region), log })
    : {
        forAccount: async () => ({ ok: false as const, reason: 'the contract names no metricsRoleName' }),
      };
  if (!roleName) log.warn('measured evidence is off: the contract names no metricsRoleName and METRICS_ROLE_NAME is not set; claims stay health-window');
  const recomputeDeps = { ...stores, contract, spend: spendFromEnv(db, env, log), now: () => Date.now(), log };
  return {
    claims: stores.claims,
    // Fleet claims' full resource lists (the claim store keeps them).
    lists: stores.claims,
    series: new DynamoSeriesStore(db),
    access,
    recipeOf: recipeFor,
    applySeries: (series) => applyMeasuredSeries(recomputeDeps, series),
    now: () => Date.now(),
    log,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Tracking and reconciliation (issue 9): expiry, case tracking, credit reconciliation
// ---------------------------------------------------------------------------------------------------------------

/** Their own clients, built on first use: Cost Explorer lives in us-east-1. */
export const trackingClients = {
  costExplorer: once(async () => (await import('../src/spend/cost-explorer.ts')).createCostExplorerClient()),
};

/** claimsExpire. */
export async function claimsExpireDeps() {
  return { store: new DynamoClaimStore(clients.db()), now: () => Date.now(), log };
}

/**
 * claimsTrack. Each case is read in the account it was filed in, through the same role as filing
 * (deploy/support-filer-role.yml, named by SUPPORT_FILER_ROLE; one Support client per account, built on first use);
 * SUPPORT_ENDPOINT (local runs: the fake Support server) skips the role, as for claimsFile. Slack ("AWS replied"
 * thread replies) when SLACK_CHANNEL_ID and SLACK_BOT_TOKEN_PARAM are set.
 */
export async function claimsTrackDeps(env: NodeJS.ProcessEnv = process.env, secrets?: SecretSource) {
  const [{ SupportCaseReader }, { DynamoTrackingStore }, { filerRoleArn, supportClientForAccount }] = await Promise.all([
    import('../src/tracking/support-cases.ts'),
    import('../src/tracking/tracking-store.ts'),
    import('../src/filing/support-api.ts'),
  ]);
  const roleName = env.SUPPORT_FILER_ROLE;
  const endpoint = env.SUPPORT_ENDPOINT || undefined;
  if (!endpoint && !roleName) throw new Error('SUPPORT_FILER_ROLE must name the role deploy/support-filer-role.yml creates in each account (tracking reads the cases through it)');
  const partition = partitionOf(env.AWS_REGION ?? 'us-east-1');
  const db = clients.db();
  let notify: import('../src/tracking/ports.ts').AnswerNotifier | undefined;
  if (env.SLACK_CHANNEL_ID && env.SLACK_BOT_TOKEN_PARAM) {
    const [{ loadSecretParamName }, { createWebClient }, { SlackAnswerNotifier }] = await Promise.all([
      import('../src/slack/config.ts'),
      import('../src/slack/api.ts'),
      import('../src/tracking/slack-replies.ts'),
    ]);
    const tokenParam = loadSecretParamName('SLACK_BOT_TOKEN_PARAM', env);
    const source = secrets ?? new (await import('../src/slack/secrets.ts')).SsmSecretSource(await clients.ssm());
    notify = new SlackAnswerNotifier(createWebClient({ apiUrl: env.SLACK_API_URL || undefined, timeoutMs: 5000, retries: 2 }), () => source.get(tokenParam), env.SLACK_CHANNEL_ID);
  }
  return {
    store: new DynamoClaimStore(db),
    tracking: new DynamoTrackingStore(db),
    cases: new SupportCaseReader(
      supportClientForAccount({
        ...(endpoint ? { endpoint } : { roleArnOf: (account: string) => filerRoleArn(account, roleName!, partition), sessionName: 'sla-claims-tracker' }),
        clientConfig: { retryStrategy: retryStrategy() },
      }),
    ),
    ...(notify ? { notify } : {}),
    now: () => Date.now(),
    log,
  };
}

/** creditsReconcile: credits from Cost Explorer, or from CREDITS_FILE (a CSV; local runs). */
export async function creditsReconcileDeps(env: NodeJS.ProcessEnv = process.env) {
  const [{ CostExplorerBillCredits, CsvBillCredits }, { DynamoTrackingStore }] = await Promise.all([import('../src/tracking/bill-credits.ts'), import('../src/tracking/tracking-store.ts')]);
  const db = clients.db();
  return {
    store: new DynamoClaimStore(db),
    tracking: new DynamoTrackingStore(db),
    bill: env.CREDITS_FILE ? CsvBillCredits.fromFile(env.CREDITS_FILE) : new CostExplorerBillCredits(await trackingClients.costExplorer()),
    now: () => Date.now(),
    log,
  };
}
