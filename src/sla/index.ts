/**
 * SLA catalog access and validation.
 *
 * `SlaDefinitionSchema` validates one SLA definition — a catalog entry or a negotiated contract override,
 * which has the same shape — including its invariants (see `checkSlaInvariants`).
 * `validateCatalog()` checks every entry plus catalog-wide rules (unique ids).
 *
 * Percentages are decimal strings compared exactly (scaled BigInt), never as binary floats.
 */
import { z } from 'zod';
import { compareDecimalPercent, parsePercent } from '../util/percent.ts';
import { SLA_CATALOG } from './catalog.ts';
import type { SlaDefinition } from './types.ts';
import { MONEY_PARTS } from './versions.ts';

export { SLA_CATALOG } from './catalog.ts';
export type * from './types.ts';
export {
  MONEY_PARTS,
  SLA_PRIOR_VERSIONS,
  newVersionBetween,
  slaInForce,
  slaVersions,
  termsOfVersion,
  unconfirmedMoneyParts,
  versionInForce,
  type SlaPriorVersion,
  type VersionChanges,
  type VersionInForce,
} from './versions.ts';

/** A percentage as a decimal string: 1–3 integer digits, optionally 1–6 decimals ("99.99", "100", "95.0"). */
const DECIMAL_PERCENT_RE = /^\d{1,3}(\.\d{1,6})?$/;

/** Exact comparison of two decimal percent strings: -1, 0 or 1 (one implementation, shared with the credit engine). */
export { compareDecimalPercent };

// ─────────────────────────────── zod schema ───────────────────────────────

const DecimalPercentSchema = z
  .string()
  .regex(DECIMAL_PERCENT_RE, 'percentage must be a decimal string such as "99.99"')
  .refine((v) => !DECIMAL_PERCENT_RE.test(v) || withinHundred(v), 'percentage must not exceed 100');

function withinHundred(value: string): boolean {
  try {
    parsePercent(value); // throws above 100
    return true;
  } catch {
    return false;
  }
}

const PercentTierSchema = z
  .object({
    below: DecimalPercentSchema,
    atLeast: DecimalPercentSchema.nullable(),
    creditPercent: z.number().int('credit percent must be an integer').min(1).max(100),
  })
  .strict();

const DayTierSchema = z
  .object({
    minMinutes: z.number().int().nonnegative(),
    maxMinutes: z.number().int().nonnegative().nullable(),
    days: z.number().int().positive(),
  })
  .strict();

const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'not a calendar date');

const UnconfirmedPartSchema = z
  .object({
    part: z.enum(['commitment', 'tiers', 'creditBase', 'measurement', 'versionDate']),
    detail: z.string().min(1).max(400),
  })
  .strict();

const SlaSourceSchema = z
  .object({
    url: z.string().url().startsWith('https://'),
    lastUpdated: IsoDateSchema.nullable(),
    verified: z.boolean(),
    notes: z.string().min(1).optional(),
    unconfirmed: z.array(UnconfirmedPartSchema).optional(),
  })
  .strict();

const ClaimRequirementsSchema = z
  .object({
    subject: z.string().min(1),
    evidence: z.array(z.string().min(1)).min(1),
  })
  .strict();

const SlaDefinitionShape = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case, e.g. "ec2-region"'),
    name: z.string().min(1),
    services: z.array(z.string().regex(/^[A-Z0-9_]+$/, 'AWS Health service codes are upper-case, e.g. "EC2"')).min(1),
    scope: z.enum(['region', 'resource']),
    commitmentPercent: DecimalPercentSchema,
    measurement: z.enum(['minutes-unavailable', 'error-rate-5min', 'days-of-charges']),
    measurementText: z.string().min(1),
    tiers: z.array(PercentTierSchema),
    dayTiers: z.array(DayTierSchema).optional(),
    creditBase: z.enum(['service-region', 'resource', 'service-global']),
    creditBaseText: z.string().min(1),
    source: SlaSourceSchema,
    claim: ClaimRequirementsSchema,
  })
  .strict();

/**
 * Structural invariants of one SLA definition (assumes the shape is already valid).
 * Returns human-readable problems; empty when the definition is sound.
 */
function checkSlaInvariants(sla: SlaDefinition): string[] {
  const problems: string[] = [];
  const at = (what: string) => `${sla.id}: ${what}`;

  if (sla.measurement === 'days-of-charges') {
    if (sla.tiers.length !== 0) problems.push(at('days-of-charges SLAs must have no percent tiers (tiers: [])'));
    const dayTiers = sla.dayTiers ?? [];
    if (dayTiers.length === 0) problems.push(at('days-of-charges SLAs need at least one day tier'));
    dayTiers.forEach((t, i) => {
      if (t.maxMinutes !== null && t.maxMinutes < t.minMinutes) {
        problems.push(at(`dayTiers[${i}]: maxMinutes ${t.maxMinutes} < minMinutes ${t.minMinutes}`));
      }
      if (t.maxMinutes === null && i !== dayTiers.length - 1) {
        problems.push(at(`dayTiers[${i}]: only the last day tier may be open-ended (maxMinutes null)`));
      }
      const prev = dayTiers[i - 1];
      if (prev) {
        if (prev.maxMinutes === null || t.minMinutes <= prev.maxMinutes) {
          problems.push(at(`dayTiers[${i}] overlaps dayTiers[${i - 1}] (tiers must be ascending and non-overlapping)`));
        }
        if (t.days < prev.days) problems.push(at(`dayTiers[${i}]: days must not decrease as unavailability grows`));
      }
    });
    return problems;
  }

  if (sla.dayTiers !== undefined && sla.dayTiers.length > 0) {
    problems.push(at(`dayTiers are only allowed with measurement "days-of-charges"`));
  }
  if (sla.tiers.length === 0) {
    problems.push(at('at least one percent tier is required'));
    return problems;
  }

  const first = sla.tiers[0];
  if (first && compareDecimalPercent(first.below, sla.commitmentPercent) !== 0) {
    problems.push(at(`first tier's below (${first.below}) must equal the commitment (${sla.commitmentPercent})`));
  }

  sla.tiers.forEach((tier, i) => {
    const isLast = i === sla.tiers.length - 1;
    if (tier.atLeast === null) {
      if (!isLast) problems.push(at(`tiers[${i}]: only the last tier may have atLeast null`));
    } else {
      if (isLast) problems.push(at(`tiers[${i}]: the last tier must have atLeast null (no lower bound)`));
      if (compareDecimalPercent(tier.atLeast, tier.below) >= 0) {
        problems.push(at(`tiers[${i}]: atLeast (${tier.atLeast}) must be lower than below (${tier.below})`));
      }
    }
    const next = sla.tiers[i + 1];
    if (next) {
      if (compareDecimalPercent(next.below, tier.below) >= 0) {
        problems.push(at(`tiers[${i + 1}]: below (${next.below}) must be strictly lower than tiers[${i}].below (${tier.below})`));
      }
      if (tier.atLeast === null || compareDecimalPercent(tier.atLeast, next.below) !== 0) {
        problems.push(at(`tiers[${i}] and tiers[${i + 1}] are not contiguous (atLeast ${tier.atLeast} ≠ next below ${next.below})`));
      }
      if (next.creditPercent < tier.creditPercent) {
        problems.push(at(`tiers[${i + 1}]: credit percent must not decrease as uptime falls`));
      }
    }
  });

  return problems;
}

/** `verified` is true exactly when no part that decides the money (commitment, tiers, credit base) is unconfirmed. */
function checkSource(sla: SlaDefinition): string[] {
  const problems: string[] = [];
  if (!sla.source.verified && !(sla.source.notes ?? '').trim()) {
    problems.push(`${sla.id}: unverified SLAs must say in source.notes what could not be confirmed and where the figures come from`);
  }
  const listed = sla.source.unconfirmed;
  if (listed !== undefined) {
    const moneyUnconfirmed = listed.some((u) => MONEY_PARTS.includes(u.part));
    if (sla.source.verified === moneyUnconfirmed) {
      problems.push(
        `${sla.id}: source.verified is ${sla.source.verified} but source.unconfirmed ${moneyUnconfirmed ? 'lists' : 'does not list'} commitment, tiers or creditBase`,
      );
    }
    if (sla.source.lastUpdated === null && !listed.some((u) => u.part === 'versionDate')) {
      problems.push(`${sla.id}: source.lastUpdated is null; source.unconfirmed must list the versionDate part`);
    }
  }
  return problems;
}

/**
 * Validates one SLA definition: a catalog entry or a negotiated contract override (same shape).
 * Unknown keys are rejected; all invariants of `checkSlaInvariants` apply.
 */
export const SlaDefinitionSchema = SlaDefinitionShape.superRefine((sla, ctx) => {
  // Invariants compare percentages exactly; they only make sense once every percentage is well-formed
  // (malformed ones are already reported by the shape checks).
  const percents = [sla.commitmentPercent, ...sla.tiers.flatMap((t) => (t.atLeast === null ? [t.below] : [t.below, t.atLeast]))];
  if (!percents.every((p) => typeof p === 'string' && DECIMAL_PERCENT_RE.test(p))) return;
  for (const message of [...checkSlaInvariants(sla), ...checkSource(sla)]) ctx.addIssue({ code: 'custom', message });
});

// ─────────────────────────────── catalog checks ───────────────────────────────

export interface CatalogValidationResult {
  ok: boolean;
  errors: string[];
}

/** Checks every entry (shape + invariants) and catalog-wide rules (unique ids). */
export function validateCatalog(catalog: readonly SlaDefinition[] = SLA_CATALOG): CatalogValidationResult {
  const errors: string[] = [];
  const seen = new Set<string>();
  catalog.forEach((entry, index) => {
    const label = typeof entry?.id === 'string' ? entry.id : `#${index}`;
    const parsed = SlaDefinitionSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.length ? ` at ${issue.path.join('.')}` : '';
        const message = issue.message.startsWith(`${label}: `) ? issue.message : `${label}${path}: ${issue.message}`;
        errors.push(message);
      }
    }
    if (typeof entry?.id === 'string') {
      if (seen.has(entry.id)) errors.push(`${entry.id}: duplicate id`);
      seen.add(entry.id);
    }
  });
  return { ok: errors.length === 0, errors };
}

// ─────────────────────────────── look-ups ───────────────────────────────

const BY_ID: ReadonlyMap<string, SlaDefinition> = new Map(SLA_CATALOG.map((s) => [s.id, s]));

/** The catalog entry with this id, or undefined. */
export function getSla(id: string): SlaDefinition | undefined {
  return BY_ID.get(id);
}

/** All catalog ids, in catalog order. */
export function listSlaIds(): string[] {
  return SLA_CATALOG.map((s) => s.id);
}

/**
 * Catalog entries covering an AWS Health service code (`detail.service`, e.g. "EC2", "RDS"), in catalog order.
 * Matching is case-insensitive. Returns [] for unknown codes (including "MULTIPLE_SERVICES", which needs
 * event-level mapping elsewhere).
 */
export function findSlasForService(serviceCode: string): SlaDefinition[] {
  const code = serviceCode.trim().toUpperCase();
  if (!code) return [];
  return SLA_CATALOG.filter((s) => s.services.includes(code));
}
