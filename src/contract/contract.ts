/**
 * The customer's contract: which accounts, Regions, services and resources are covered, under which SLA
 * (the AWS standard terms from the catalog, or negotiated terms that override them).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CREDIT_BASES, S3_STORAGE_CLASSES, type CreditBaseOptions } from '../sla/credit-bases.ts';
import { getSla, listSlaIds, SlaDefinitionSchema } from '../sla/index.ts';
import type { SlaDefinition } from '../sla/types.ts';

export class ContractError extends Error {
  override readonly name = 'ContractError';
}

const AccountSchema = z.string().regex(/^(\d{12}|\*)$/, 'an account is a 12-digit AWS account id or "*"');
const RegionSchema = z.string().regex(/^([a-z]{2}(-[a-z]+)+-\d|global|\*)$/, 'a Region such as "us-east-1", "global" or "*"');

const CoverageSchema = z
  .object({
    /** AWS Health service code, e.g. EC2, DYNAMODB. */
    service: z.string().regex(/^[A-Z0-9_]+$/, 'an AWS Health service code in upper case, e.g. "EC2"'),
    regions: z.array(RegionSchema).min(1).default(['*']),
    sla: z.string(),
    /** Restricts this entry to some accounts (default: all of the contract's accounts). */
    accounts: z.array(AccountSchema).min(1).optional(),
    /** Resource-level coverage: resource ids or ARNs ("*" = every affected resource of the service). */
    resources: z.array(z.string().min(1)).min(1).optional(),
    /** Resource-level coverage by tags on the affected entities (all listed tags must match). */
    tags: z.record(z.string(), z.string()).optional(),
    /**
     * S3 SLAs: the storage classes (S3 API names, e.g. STANDARD) of the covered buckets; the credit base counts only
     * their charges. Default: every class of the SLA (src/sla/credit-bases.ts).
     */
    storageClasses: z.array(z.enum(S3_STORAGE_CLASSES)).min(1).optional(),
    /** dynamodb-global: every Region of the global tables; the base adds the replicated writes of the other ones. */
    replicaRegions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a Region such as "eu-west-1"')).min(1).optional(),
  })
  .strict();

const OverrideSchema = z
  .object({
    name: z.string().min(1).optional(),
    commitmentPercent: z.string().optional(),
    measurement: z.enum(['minutes-unavailable', 'error-rate-5min', 'days-of-charges']).optional(),
    measurementText: z.string().optional(),
    tiers: z.array(z.object({ below: z.string(), atLeast: z.string().nullable(), creditPercent: z.number() }).strict()).optional(),
    dayTiers: z.array(z.object({ minMinutes: z.number(), maxMinutes: z.number().nullable(), days: z.number() }).strict()).optional(),
    creditBase: z.enum(['service-region', 'resource', 'service-global']).optional(),
    creditBaseText: z.string().optional(),
    /** Where the negotiated terms are written (contract reference, URL). */
    reference: z.string().min(1),
    /** Date the negotiated terms took effect, YYYY-MM-DD. */
    effective: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  })
  .strict();

const FilingModeSchema = z.enum(['support-api', 'manual'], { error: 'filing is "support-api" or "manual"' });

/** How approved claims are filed with AWS Support (README "Filing with AWS Support"). */
const FilingSchema = z
    .object({
      /** Default for every account: file through the Support API (needs a Business/Enterprise plan), or by hand. */
      mode: FilingModeSchema.default('support-api'),
      /** Per-account modes, overriding `mode`. */
      accounts: z
        .record(z.string(), FilingModeSchema)
        .superRefine((accounts, ctx) => {
          for (const key of Object.keys(accounts)) {
            if (!/^\d{12}$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: `the key ${JSON.stringify(key)} is not a 12-digit AWS account id` });
          }
        })
        .optional(),
      /** Support service and category codes (default: found with DescribeServices). */
      serviceCode: z.string().min(1).max(100).optional(),
      categoryCode: z.string().min(1).max(100).optional(),
      /** Copied on every case (at most 10). */
      ccEmailAddresses: z.array(z.email()).max(10).optional(),
    })
    .strict();

const ContractSchema = z
  .object({
    name: z.string().optional(),
    accounts: z.array(AccountSchema).min(1),
    coverage: z.array(CoverageSchema).min(1),
    overrides: z.record(z.string(), OverrideSchema).default({}),
    filing: FilingSchema.optional(),
    /**
     * Measured evidence: the IAM role (name only) the collector assumes in each member account to read CloudWatch,
     * deployed there from deploy/metrics-reader-role.yml. Absent: claims rest on the Health window.
     */
    metricsRoleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name (1-64 letters, digits and +=,.@_-, no path), e.g. "sla-claims-metrics-reader"')
      .optional(),
  })
  .strict();

export type FilingMode = z.infer<typeof FilingModeSchema>;

export interface FilingSettings {
  mode: FilingMode;
  accounts: Readonly<Record<string, FilingMode>>;
  serviceCode?: string;
  categoryCode?: string;
  ccEmailAddresses?: string[];
}

export const DEFAULT_FILING: FilingSettings = { mode: 'support-api', accounts: {} };

function filingSettings(input: z.infer<typeof FilingSchema> | undefined): FilingSettings {
  if (input === undefined) return DEFAULT_FILING;
  return {
    mode: input.mode,
    accounts: input.accounts ?? {},
    ...(input.serviceCode ? { serviceCode: input.serviceCode } : {}),
    ...(input.categoryCode ? { categoryCode: input.categoryCode } : {}),
    ...(input.ccEmailAddresses ? { ccEmailAddresses: input.ccEmailAddresses } : {}),
  };
}

/** How claims of `account` are filed. */
export function filingModeFor(filing: FilingSettings, account: string): FilingMode {
  return filing.accounts[account] ?? filing.mode;
}

export type CoverageEntry = z.infer<typeof CoverageSchema>;

export interface Contract {
  name?: string;
  accounts: string[];
  coverage: CoverageEntry[];
  /** The SLA to apply per id: the catalog's, or the negotiated override merged onto it. */
  slas: ReadonlyMap<string, SlaDefinition>;
  /** Ids whose terms were negotiated. */
  negotiated: ReadonlySet<string>;
  /** How approved claims are filed (absent in the file: through the Support API). */
  filing: FilingSettings;
  /** The role read in each member account for measured evidence (see the schema). */
  metricsRoleName?: string;
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** Validates a contract object; errors name the field and the value. */
export function parseContract(raw: unknown, source = 'contract'): Contract {
  // `filing: manual` is short for `filing: { mode: manual }` (so errors name filing.mode and its value).
  const filing = (raw as { filing?: unknown } | null)?.filing;
  const input = typeof filing === 'string' ? { ...(raw as object), filing: { mode: filing } } : raw;
  const parsed = ContractSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issuePath(issue.path);
    let value: unknown = input;
    for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key as never];
    throw new ContractError(`${source}: ${path || '(root)'}: ${issue.message} (got ${JSON.stringify(value) ?? 'nothing'})`);
  }
  const data = parsed.data;
  const slas = new Map<string, SlaDefinition>();
  const negotiated = new Set<string>();
  data.coverage.forEach((entry, index) => {
    const base = getSla(entry.sla);
    if (!base) {
      throw new ContractError(`${source}: coverage[${index}].sla: unknown SLA id ${JSON.stringify(entry.sla)}; valid ids: ${listSlaIds().join(', ')}`);
    }
    if (!base.services.includes(entry.service)) {
      throw new ContractError(
        `${source}: coverage[${index}].service: SLA ${entry.sla} covers ${base.services.join(', ')}, not ${JSON.stringify(entry.service)}`,
      );
    }
    if ((entry.resources || entry.tags) && base.scope !== 'resource') {
      throw new ContractError(`${source}: coverage[${index}]: SLA ${entry.sla} is measured per Region; resources/tags need a resource-level SLA (e.g. ec2-instance)`);
    }
    if (!entry.resources && !entry.tags && base.scope === 'resource') {
      throw new ContractError(`${source}: coverage[${index}]: SLA ${entry.sla} is per resource; list "resources" (ids, ARNs or "*") or "tags"`);
    }
    checkCreditBaseOptions(entry, index, source);
    slas.set(base.id, base);
  });
  checkNoDoubleCredit(data.coverage, data.accounts, source);
  for (const [id, override] of Object.entries(data.overrides)) {
    const base = getSla(id);
    if (!base) throw new ContractError(`${source}: overrides.${id}: unknown SLA id; valid ids: ${listSlaIds().join(', ')}`);
    const { reference, effective, ...terms } = override;
    const merged = {
      ...base,
      ...terms,
      id: base.id,
      name: terms.name ?? `${base.name} (negotiated)`,
      source: { url: base.source.url, lastUpdated: effective ?? null, verified: true, notes: `Negotiated terms: ${reference}` },
    };
    const checked = SlaDefinitionSchema.safeParse(merged);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new ContractError(`${source}: overrides.${id}${issue.path.length ? `.${issuePath(issue.path)}` : ''}: ${issue.message}`);
    }
    slas.set(id, checked.data as SlaDefinition);
    negotiated.add(id);
  }
  return {
    ...(data.name ? { name: data.name } : {}),
    accounts: data.accounts,
    coverage: data.coverage,
    slas,
    negotiated,
    filing: filingSettings(data.filing),
    ...(data.metricsRoleName ? { metricsRoleName: data.metricsRoleName } : {}),
  };
}

/**
 * storageClasses only on S3 SLAs and within the SLA's classes; replicaRegions only on dynamodb-global (without them its
 * base is the affected Region's DynamoDB charges alone: an under-estimate, see the README's "Credit base").
 */
function checkCreditBaseOptions(entry: CoverageEntry, index: number, source: string): void {
  const definition = CREDIT_BASES[entry.sla];
  if (entry.storageClasses) {
    const allowed = definition?.storageClasses ?? [];
    const wrong = entry.storageClasses.find((c) => !allowed.includes(c));
    if (wrong !== undefined) {
      throw new ContractError(
        allowed.length === 0
          ? `${source}: coverage[${index}].storageClasses: only S3 SLAs have storage classes, not ${entry.sla} (got ${JSON.stringify(entry.storageClasses)})`
          : `${source}: coverage[${index}].storageClasses: SLA ${entry.sla} covers ${allowed.join(', ')}, not ${JSON.stringify(wrong)}`,
      );
    }
  }
  const global = Boolean(definition?.replicaCategories);
  if (entry.replicaRegions && !global) {
    throw new ContractError(`${source}: coverage[${index}].replicaRegions: only dynamodb-global adds replica Regions, not ${entry.sla} (got ${JSON.stringify(entry.replicaRegions)})`);
  }
}

/** The first coverage entry of this scope's SLA that covers its account and Region (what matched the event). */
export function coverageOf(contract: Contract, scope: { account: string; slaId: string; region: string }): CoverageEntry | undefined {
  const has = (list: readonly string[] | undefined, v: string) => !list || list.includes('*') || list.includes(v);
  return contract.coverage.find((e) => e.sla === scope.slaId && has(e.regions, scope.region) && has(e.accounts ?? contract.accounts, scope.account));
}

/** The contract facts a claim's credit base needs (src/sla/credit-bases.ts `chargeBaseFor`). */
export function creditBaseOptionsOf(contract: Contract, scope: { account: string; slaId: string; region: string }): CreditBaseOptions {
  const entry = coverageOf(contract, scope);
  return { ...(entry?.storageClasses ? { storageClasses: entry.storageClasses } : {}), ...(entry?.replicaRegions ? { replicaRegions: entry.replicaRegions } : {}) };
}

/** Both SLAs count only named usage categories, and none in common (a base without categories is the whole service). */
function disjointBases(a: string, b: string): boolean {
  const ca = CREDIT_BASES[a]?.categories;
  const cb = CREDIT_BASES[b]?.categories;
  if (!ca || !cb || CREDIT_BASES[a]?.replicaCategories || CREDIT_BASES[b]?.replicaCategories) return false;
  return !ca.some((c) => (cb as readonly string[]).includes(c));
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.includes('*') || b.includes('*') || a.some((x) => b.includes(x));
}

/**
 * Two different SLAs over the same charges would credit them twice: e.g. dynamodb and dynamodb-global for the same
 * service in the same Region and account, or two resource-level SLAs that can match the same resource. Such a
 * contract is refused. SLAs whose credit bases count disjoint parts of the service's charges (s3-standard and
 * s3-infrequent-access: different storage classes, src/sla/credit-bases.ts) credit different money and may both apply.
 */
function checkNoDoubleCredit(coverage: readonly CoverageEntry[], accounts: readonly string[], source: string): void {
  coverage.forEach((a, i) => {
    coverage.slice(i + 1).forEach((b, k) => {
      const j = i + 1 + k;
      if (a.sla === b.sla || a.service !== b.service) return;
      if (!overlaps(a.regions, b.regions) || !overlaps(a.accounts ?? accounts, b.accounts ?? accounts)) return;
      const aResource = Boolean(a.resources || a.tags);
      const bResource = Boolean(b.resources || b.tags);
      if (aResource !== bResource) return;
      if (aResource && a.resources && b.resources && !overlaps(a.resources, b.resources)) return;
      if (disjointBases(a.sla, b.sla)) return;
      throw new ContractError(
        `${source}: coverage[${i}] (${a.sla}) and coverage[${j}] (${b.sla}) both cover ${a.service} in the same Region ` +
          `${aResource ? 'and resources ' : ''}for the same account: the same charges would be credited twice; ` +
          'narrow their regions, accounts or resources',
      );
    });
  });
}

/** A contract from YAML text (a file, an SSM parameter); `source` names it in errors. */
export function parseContractYaml(text: string, source: string): Contract {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ContractError(`${source}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseContract(data, source);
}

export function loadContract(path: string): Contract {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ContractError(`contract ${path}: cannot read the file (${(error as Error).message})`);
  }
  return parseContractYaml(text, `contract ${path}`);
}
