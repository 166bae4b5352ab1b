/**
 * Matching a Health event against the contract: which (account, SLA, Region or resource) it affects.
 *
 * - Only `issue` events are outages; scheduled changes, account notifications and investigations are not.
 * - Region-level SLAs: a PUBLIC event, or an ACCOUNT_SPECIFIC event without affected entities, for a covered
 *   service in a covered Region (an event without a scope code counts Region-wide only when it names no entities).
 * - Resource-level SLAs: the event's affected entities (not UNIMPAIRED) that match the entry's resource ids/ARNs
 *   (or "*") and tags, all in ONE match per account, SLA and Region (the fleet claim, src/claims/fleet.ts).
 * An event for an uncovered account, service or Region matches nothing: no claim, no error.
 */
import { scopeKeyOf } from '../claims/ids.ts';
import type { AffectedEntity, HealthEvent } from '../health/types.ts';
import type { Contract, CoverageEntry } from './contract.ts';

export interface Match {
  account: string;
  slaId: string;
  /** The Health service code that matched. */
  service: string;
  region: string;
  /** Always null now: a resource-level SLA's match is a fleet (`resources`). Kept for the claims stored per resource. */
  resource: string | null;
  /** A resource-level SLA: the affected resources that matched, in the event's order (the fleet claim's scope). */
  resources?: string[];
  /** `<account>#<slaId>#<Region>`, bounded in bytes (src/claims/ids.ts): one claim per scope key and month. */
  scopeKey: string;
}

/** Pseudo-entities AWS uses when the extent of impact is unknown; not resources. */
const PSEUDO_ENTITIES = new Set(['AWS_ACCOUNT', 'UNKNOWN', 'N/A']);

export { scopeKeyOf };

function covers(list: readonly string[] | undefined, value: string): boolean {
  return !list || list.includes('*') || list.includes(value);
}

/** True when `pattern` (id or ARN) names the entity (id or ARN): equal, or one is the other's last segment. */
export function sameResource(pattern: string, entityValue: string): boolean {
  if (pattern === '*' || pattern === entityValue) return true;
  const tail = (v: string) => v.split(/[/:]/).pop() ?? v;
  if (pattern.startsWith('arn:') && entityValue.startsWith('arn:')) return false;
  return tail(pattern) === tail(entityValue);
}

function entityMatches(entry: CoverageEntry, entity: AffectedEntity): boolean {
  if (entity.status === 'UNIMPAIRED' || PSEUDO_ENTITIES.has(entity.entityValue)) return false;
  if (entry.resources && !entry.resources.some((r) => sameResource(r, entity.entityValue))) return false;
  if (entry.tags) {
    const tags = entity.tags ?? {};
    if (!Object.entries(entry.tags).every(([k, v]) => tags[k] === v)) return false;
  }
  return true;
}

export function isOutageEvent(event: HealthEvent): boolean {
  return event.eventTypeCategory === 'issue';
}

export function matchEvent(contract: Contract, event: HealthEvent): Match[] {
  if (!isOutageEvent(event)) return [];
  if (!covers(contract.accounts, event.account)) return [];
  const matches = new Map<string, Match>();
  // Only a PUBLIC event, or one without affected entities, is Region-wide; an event naming entities under any other
  // scope code (ACCOUNT_SPECIFIC, or UNKNOWN/NONE from legacy shapes) is about those resources only.
  const regionLevelAllowed = event.eventScopeCode === 'PUBLIC' || event.affectedEntities.length === 0;
  const services = new Set(event.services.map((s) => s.toUpperCase()));
  for (const entry of contract.coverage) {
    if (!services.has(entry.service) || !covers(entry.regions, event.region) || !covers(entry.accounts, event.account)) continue;
    const resourceLevel = Boolean(entry.resources || entry.tags);
    if (!resourceLevel) {
      if (!regionLevelAllowed) continue;
      const scopeKey = scopeKeyOf(event.account, entry.sla, event.region);
      matches.set(scopeKey, { account: event.account, slaId: entry.sla, service: entry.service, region: event.region, resource: null, scopeKey });
      continue;
    }
    const scopeKey = scopeKeyOf(event.account, entry.sla, event.region);
    let fleet = matches.get(scopeKey);
    if (fleet && !fleet.resources) continue; // the same SLA also covered Region-wide: that claim stands
    const seen = new Set(fleet?.resources);
    for (const entity of event.affectedEntities) {
      if (seen.has(entity.entityValue) || !entityMatches(entry, entity)) continue;
      if (!fleet) {
        fleet = { account: event.account, slaId: entry.sla, service: entry.service, region: event.region, resource: null, resources: [], scopeKey };
        matches.set(scopeKey, fleet);
      }
      fleet.resources!.push(entity.entityValue);
      seen.add(entity.entityValue);
    }
  }
  return [...matches.values()];
}
