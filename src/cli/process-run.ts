/**
 * Running `sla-claims process`: the inputs (a file holds one event or an array) in file order through the same
 * pipeline the Lambda runs, on DynamoDB Local. A file that cannot be read, or whose ingest throws an error that is
 * not transient (a bug, an item DynamoDB refuses), is recorded and the replay goes on; a transient error (DynamoDB
 * Local stopped answering) stops it, since every later file would fail the same way.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { NotEligible } from '../claims/eligibility.ts';
import type { Claim } from '../claims/types.ts';
import type { Contract } from '../contract/contract.ts';
import { ingestPayload, quarantine, type IngestDeps, type IngestOutcome } from '../pipeline/ingest.ts';
import { applyMeasuredSeries } from '../pipeline/apply-measured.ts';
import type { ScopeSeries } from '../metrics/types.ts';
import { QuarantineStore, type QuarantineRecord } from '../pipeline/quarantine.ts';
import type { SpendSource } from '../spend/spend.ts';
import { CachedRecomputeStore } from '../store/claim-cache.ts';
import { CachedIncidentStore } from '../store/incident-cache.ts';
import { dynamoStores } from '../store/stores.ts';
import type { LocalDynamoDb } from '../store/local-dynamodb.ts';
import { UsageError } from './args.ts';
import { fsReason } from './paths.ts';
import { withFleetSeries } from './process-fleet-metrics.ts';
import { expireClaims, type ExpireReport } from '../tracking/expire-claims.ts';

export interface ProcessOptions {
  inputs: string[];
  contract: Contract;
  spend: SpendSource;
  /** Fixed "now" (replays); the real clock otherwise. */
  nowMs?: number;
  /** Account of saved Health API responses (default: the contract's only account, if it names exactly one). */
  account?: string;
  progress?: (done: number, total: number, quarantined: number) => void;
  /** The ingest use case (the pipeline's own unless a test replaces it). */
  ingest?: typeof ingestPayload;
  /** Measured series (--metrics), applied to the claims of their scopes after every input was ingested. */
  metrics?: readonly ScopeSeries[];
}

/** What --metrics did: series read, claims computed from them, series that found no claim. */
export interface MeasuredReport {
  series: number;
  claimsMeasured: number;
  written: number;
  /** Series of a scope-month with no claim (no covered incident there). */
  unclaimed: number;
}

/** An input that ended neither processed nor quarantined. */
export interface FailedInput {
  source: string;
  error: string;
}

export interface ProcessReport {
  /** Events read from the inputs (an array file counts each element). */
  events: number;
  /** Events that went through the pipeline (duplicates of stored ones included). */
  processed: number;
  claims: Claim[];
  quarantined: QuarantineRecord[];
  /** Inputs that could not be read, or whose ingest threw; the replay went on past them. */
  failed: FailedInput[];
  /** Set when a transient error stopped the replay; the inputs after it were not processed. */
  stoppedBy?: FailedInput;
  incidents: number;
  elapsedMs: number;
  measured?: MeasuredReport;
  /** Scopes matched but not claimable under their SLA's definition (src/claims/eligibility.ts), one per scope. */
  notEligible?: NotEligible[];
  /** Claims of the replayed months not submitted by their deadline (as of the replay's now): now `expired`. */
  expiry?: ExpireReport;
}

interface RawInput {
  source: string;
  payload: unknown;
  /** Set when the file is not JSON: the text is quarantined with this reason. */
  notJson?: string;
  /** Set when the file could not be read at all. */
  unreadable?: string;
}

/**
 * Files under the inputs in a stable order (folders: every *.json below, sorted by path). A named input that does
 * not exist is a usage error; an entry inside a folder that cannot be looked at (a broken link) is kept, so reading
 * it fails and is reported with the rest.
 */
export function listInputFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (path: string, named: boolean) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) {
      if (named) throw new UsageError(`input: no such file or folder ${JSON.stringify(path)}`);
      if (path.endsWith('.json')) files.push(path);
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        if (name.endsWith('.json') || statSync(child, { throwIfNoEntry: false })?.isDirectory()) walk(child, false);
      }
    } else files.push(path);
  };
  for (const input of inputs) walk(input, true);
  return files;
}

export function readInputs(files: readonly string[]): RawInput[] {
  const out: RawInput[] = [];
  for (const file of files) {
    const source = relative(process.cwd(), file) || file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      out.push({ source, payload: null, unreadable: `cannot read the file (${fsReason(error)})` });
      continue;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      out.push({ source, payload: text, notJson: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    if (Array.isArray(data)) data.forEach((payload, i) => out.push({ source: `${source}#${i}`, payload }));
    else out.push({ source, payload: data });
  }
  return out;
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** Errors that retrying later could cure (the SDK has already retried them): the store, not the input, is at fault. */
export function isTransientError(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable) return true;
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

function oneLine(error: unknown): string {
  const e = error as { name?: string; message?: string } | null;
  const message = String(e?.message ?? error).split('\n')[0] ?? '';
  return e?.name && e.name !== 'Error' && !message.startsWith(e.name) ? `${e.name}: ${message}` : message;
}

export async function runProcess(local: LocalDynamoDb, options: ProcessOptions): Promise<ProcessReport> {
  const started = Date.now();
  const inputs = readInputs(listInputFiles(options.inputs));
  const ingest = options.ingest ?? ingestPayload;
  const stores = dynamoStores(local.db);
  const claimsStore = stores.claims;
  const deps: IngestDeps = {
    ...stores,
    incidents: new CachedIncidentStore(stores.incidents), // as the Lambda wiring does
    claims: new CachedRecomputeStore(claimsStore),
    contract: options.contract,
    spend: options.spend,
    now: () => options.nowMs ?? Date.now(),
  };
  const touched = new Set<string>();
  const incidents = new Set<string>();
  const notEligible = new Map<string, NotEligible>();
  const failed: FailedInput[] = [];
  let stoppedBy: FailedInput | undefined;
  let quarantinedCount = 0;
  let processed = 0;
  const concrete = options.contract.accounts.filter((a) => a !== '*');
  const account = options.account ?? (concrete.length === 1 ? concrete[0] : undefined);
  for (const [index, input] of inputs.entries()) {
    if (input.unreadable) {
      failed.push({ source: input.source, error: input.unreadable });
    } else {
      let outcomes: IngestOutcome[];
      try {
        outcomes = input.notJson
          ? [await quarantine(input.payload, input.source, input.notJson, deps)]
          : await ingest(input.payload, input.source, deps, account);
      } catch (error) {
        const failure = { source: input.source, error: oneLine(error) };
        if (isTransientError(error)) {
          stoppedBy = failure;
          break;
        }
        failed.push(failure);
        outcomes = [];
      }
      for (const outcome of outcomes) {
        if (outcome.kind === 'quarantined') quarantinedCount++;
        else {
          processed++;
          incidents.add(`${outcome.account}#${outcome.eventArn}`);
          for (const claim of outcome.claims) touched.add(claim.claimId);
          for (const n of outcome.notEligible ?? []) notEligible.set(`${n.account}#${n.slaId}#${n.region}#${n.eventArn}`, n);
        }
      }
    }
    options.progress?.(index + 1, inputs.length, quarantinedCount);
  }
  let measured: MeasuredReport | undefined;
  if (options.metrics && !stoppedBy) {
    measured = { series: options.metrics.length, claimsMeasured: 0, written: 0, unclaimed: 0 };
    // Per-resource series of a fleet claim's resources are applied as the fleet's one series.
    for (const series of await withFleetSeries(options.metrics, deps.claims)) {
      const applied = await applyMeasuredSeries(deps, series);
      measured.written += applied.written;
      measured.unclaimed += applied.missing.length;
      for (const c of applied.claims) {
        if (c.basis?.kind === 'measured') measured.claimsMeasured++;
        touched.add(c.claimId);
      }
    }
  }
  const claims: Claim[] = [];
  let quarantined: QuarantineRecord[] = [];
  let expiry: ExpireReport | undefined;
  try {
    // As the scheduled expiry does in AWS: the replayed months' claims whose deadline passed (as of now) expire.
    if (!stoppedBy) {
      const months = [...new Set([...touched].map((id) => id.slice(id.lastIndexOf('#') + 1)))].filter((m) => /^\d{4}-\d{2}$/.test(m));
      expiry = await expireClaims({ store: claimsStore, now: deps.now }, { months });
    }
    for (const id of [...touched].sort()) {
      const claim = await claimsStore.getClaim(id);
      if (claim) claims.push(claim);
    }
    quarantined = await new QuarantineStore(local.db).list();
  } catch (error) {
    // After a transient stop the store may be gone: report what the replay got to instead of a second error.
    if (!stoppedBy || !isTransientError(error)) throw error;
  }
  return {
    events: inputs.length,
    processed,
    claims,
    quarantined,
    failed,
    ...(stoppedBy ? { stoppedBy } : {}),
    incidents: incidents.size,
    elapsedMs: Date.now() - started,
    ...(measured ? { measured } : {}),
    ...(notEligible.size ? { notEligible: [...notEligible.values()] } : {}),
    ...(expiry ? { expiry } : {}),
  };
}

export { startStore } from './paths.ts';
