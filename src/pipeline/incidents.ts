/**
 * Incidents, pure: one record per (account, eventArn) carrying its update history, whatever order and however
 * often the updates arrive. The newest state is derived from the history (greatest lastUpdatedTime, then the
 * lowest page), so there is no separate "newer wins" write and the result does not depend on arrival order.
 * Stored by src/store/incident-store.ts (one item; see README "Data model").
 */
import { utf8Prefix } from '../claims/ids.ts';
import type { AffectedEntity, HealthEvent } from '../health/types.ts';

/** The newest state of an incident: the event's fields that matter for claims, plus its ordering key. */
export type IncidentState = Pick<
  HealthEvent,
  | 'account'
  | 'eventArn'
  | 'services'
  | 'rawService'
  | 'eventTypeCode'
  | 'eventTypeCategory'
  | 'eventScopeCode'
  | 'region'
  | 'statusCode'
  | 'startTime'
  | 'endTime'
  | 'lastUpdatedTime'
  | 'description'
> & { lastUpdatedMs: number };

/** What per-service windows need from each update (src/pipeline/windows.ts). */
export interface UpdateRecord {
  lastUpdatedMs: number;
  page: number;
  statusCode: string;
  /** Services the update says are operating normally again. */
  recovered: string[];
  /** Services the update lists as impacted now. Absent on updates recorded before the list was kept (read as none). */
  impacted?: string[];
  /** What the parser repaired or dropped in this update (kept for review, bounded). */
  parseNotes?: string[];
}

/** One update as kept in the incident's history: its state (bounded), recovery and where its entities are. */
export interface UpdateEntry extends UpdateRecord, Omit<IncidentState, 'account' | 'eventArn'> {
  entityCount: number;
  /** Affected entities kept inline when small; else in `entityChunks` chunk items. */
  entities?: AffectedEntity[];
  entityChunks?: number;
}

export interface IncidentRecord {
  account: string;
  eventArn: string;
  updates: UpdateEntry[];
  /** Months any claim of this incident ever touched (so a shortened outage also corrects the month it left). */
  months: string[];
}

/** Description bytes kept per update (the evidence shows 2 000 characters). */
export const ENTRY_DESCRIPTION_BYTES = 2048;
const MAX_NOTES = 5;
const NOTE_BYTES = 300;
/** Entities kept inline on the history entry up to this many bytes; larger lists go to chunk items. */
export const INLINE_ENTITY_BYTES = 1024;

export function toState(event: HealthEvent): IncidentState {
  return {
    account: event.account,
    eventArn: event.eventArn,
    lastUpdatedMs: Date.parse(event.lastUpdatedTime),
    services: event.services,
    rawService: event.rawService,
    eventTypeCode: event.eventTypeCode,
    eventTypeCategory: event.eventTypeCategory,
    eventScopeCode: event.eventScopeCode,
    region: event.region,
    statusCode: event.statusCode,
    startTime: event.startTime,
    endTime: event.endTime,
    lastUpdatedTime: event.lastUpdatedTime,
    description: event.description,
  };
}

/** `<lastUpdatedMs>#<page>`, zero-padded so keys sort by time. */
export function updateKeyOf(u: Pick<UpdateRecord, 'lastUpdatedMs' | 'page'>): string {
  return `${String(u.lastUpdatedMs).padStart(15, '0')}#${String(u.page).padStart(5, '0')}`;
}

export function toEntry(event: HealthEvent, recovered: string[], impacted: string[] = []): UpdateEntry {
  const { account: _a, eventArn: _e, ...state } = toState(event);
  const notes = event.parseNotes.slice(0, MAX_NOTES).map((n) => utf8Prefix(n, NOTE_BYTES));
  if (event.parseNotes.length > MAX_NOTES) notes.push(`… and ${event.parseNotes.length - MAX_NOTES} more notes`);
  const inline = Buffer.byteLength(JSON.stringify(event.affectedEntities)) <= INLINE_ENTITY_BYTES;
  return {
    ...state,
    description: utf8Prefix(event.description, ENTRY_DESCRIPTION_BYTES),
    page: event.page,
    recovered,
    ...(impacted.length ? { impacted } : {}),
    ...(notes.length ? { parseNotes: notes } : {}),
    entityCount: event.affectedEntities.length,
    ...(inline && event.affectedEntities.length ? { entities: event.affectedEntities } : {}),
  };
}

/** The history with one more update (replacing an entry of the same key) and months: what recording it will store. */
export function withUpdate(record: IncidentRecord, entry: UpdateEntry, months: readonly string[]): IncidentRecord {
  const key = updateKeyOf(entry);
  const updates = [...record.updates.filter((u) => updateKeyOf(u) !== key), entry].sort((a, b) => a.lastUpdatedMs - b.lastUpdatedMs || a.page - b.page);
  return { ...record, updates, months: [...new Set([...record.months, ...months])].sort() };
}

/** The entry that defines the incident's state: greatest lastUpdatedTime, then the lowest page. */
export function newestEntry(updates: readonly UpdateEntry[]): UpdateEntry | undefined {
  let best: UpdateEntry | undefined;
  for (const u of updates) {
    if (!best || u.lastUpdatedMs > best.lastUpdatedMs || (u.lastUpdatedMs === best.lastUpdatedMs && u.page < best.page)) best = u;
  }
  return best;
}

export function newestState(record: IncidentRecord): IncidentState | null {
  const e = newestEntry(record.updates);
  if (!e) return null;
  return {
    account: record.account,
    eventArn: record.eventArn,
    lastUpdatedMs: e.lastUpdatedMs,
    services: e.services,
    rawService: e.rawService,
    eventTypeCode: e.eventTypeCode,
    eventTypeCategory: e.eventTypeCategory,
    eventScopeCode: e.eventScopeCode,
    region: e.region,
    statusCode: e.statusCode,
    startTime: e.startTime,
    endTime: e.endTime,
    lastUpdatedTime: e.lastUpdatedTime,
    description: e.description,
  };
}
