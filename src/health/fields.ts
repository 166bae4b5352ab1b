/**
 * Field parsers shared by both input shapes (EventBridge detail, Health API event): strings, accounts, ARNs,
 * times, descriptions, affected entities and resources. Each throws {@link HealthEventParseError} naming the field
 * and the value, or repairs the value and records a note (see parse.ts for the fallbacks).
 */
import { parseHealthTimeDetailed, weekdayNote } from './dates.ts';
import { describeValue } from '../util/describe-value.ts';
import type { ParseNotes } from './notes.ts';
import { HealthEventParseError, type AffectedEntity } from './types.ts';

export const MAX_DESCRIPTION_CHARS = 32 * 1024;
const MAX_ENTITY_VALUE_CHARS = 1600;
const MAX_ARN_CHARS = 1600;

const ACCOUNT_RE = /^\d{12}$/;
/** Loose ARN check: partition, `health` service, Region, empty account, `event/…`. Legacy ARNs (no /SERVICE/CODE/) pass. */
const ARN_RE = /^arn:aws(?:-[a-z]+(?:-[a-z]+)?)?:health:([^:]*):[^:]*:event\/(.+)$/;

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function fail(field: string, value: unknown, message: string): never {
  throw new HealthEventParseError(field, value, message);
}

/** Non-empty trimmed string, or undefined when missing/null/empty. Throws for non-string values. */
export function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(field, v, `expected a string, got ${Array.isArray(v) ? 'array' : typeof v}`);
  const t = v.trim();
  return t === '' ? undefined : t;
}

function reqString(v: unknown, field: string): string {
  const s = optString(v, field);
  if (s === undefined) fail(field, v, 'missing or empty');
  return s;
}

export interface ParsedArn {
  region: string;
  /** `/SERVICE/` segment of current-format ARNs. */
  service?: string;
  /** `/…/EVENT_TYPE_CODE/` segment of current-format ARNs. */
  eventTypeCode?: string;
  legacy: boolean;
}

/** Validates and splits a Health event ARN. Throws on a missing, over-long or non-Health ARN. */
export function parseHealthArn(value: unknown, field: string): { arn: string; parts: ParsedArn } {
  const arn = reqString(value, field);
  if (arn.length > MAX_ARN_CHARS) fail(field, value, `longer than ${MAX_ARN_CHARS} characters (${arn.length})`);
  const m = ARN_RE.exec(arn);
  if (!m) fail(field, value, 'not an AWS Health event ARN (arn:aws:health:REGION::event/…)');
  const path = (m[2] ?? '').split('/');
  if (path.length >= 3 && path.every((p) => p !== '')) {
    return { arn, parts: { region: m[1] ?? '', service: path[0], eventTypeCode: path[1], legacy: false } };
  }
  return { arn, parts: { region: m[1] ?? '', legacy: true } };
}

export function parseAccount(v: unknown, field: string): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) v = String(v).padStart(12, '0');
  const s = optString(v, field);
  if (s === undefined) return undefined;
  if (!ACCOUNT_RE.test(s)) fail(field, v, 'not a 12-digit AWS account id');
  return s;
}

export function parsePageNumber(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 100_000) fail(field, v, 'expected a positive integer');
  return n;
}

export function parseBool(v: unknown, field: string, notes: ParseNotes): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  notes.add(`${field} had an unexpected value ${describeValue(v)}; treated as false`);
  return false;
}

/**
 * Parses a time, records a note when the weekday disagreed. `listField` (e.g.
 * `detail.affectedEntities[].lastUpdatedTime`) marks a time inside a list: its notes are aggregated per list field
 * (one note with a count), since a list can hold thousands of entities.
 */
export function time(v: unknown, field: string, notes: ParseNotes, listField?: string): string {
  const parsed = parseHealthTimeDetailed(v, field);
  if (parsed.weekdayMismatch) {
    const text = weekdayNote(field, parsed);
    if (listField === undefined) notes.add(text);
    else {
      notes.repeat(
        `weekday:${listField}`,
        text,
        `${field} written ${parsed.givenWeekday ?? '?'}, actually ${parsed.actualWeekday ?? '?'}`,
        `weekday in ${listField} disagreed with the date; the date was used`,
      );
    }
  }
  return parsed.iso;
}

/** Optional time: missing/null/"" → undefined (empty string noted, aggregated like {@link time}). */
export function optTime(v: unknown, field: string, notes: ParseNotes, listField?: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.trim() === '') {
    const text = `${field} was an empty string; treated as missing`;
    if (listField === undefined) notes.add(text);
    else notes.repeat(`empty:${listField}`, text, field, `${listField} was an empty string; treated as missing`);
    return undefined;
  }
  return time(v, field, notes, listField);
}

export function boundDescription(text: string, notes: ParseNotes): string {
  if (text.length <= MAX_DESCRIPTION_CHARS) return text;
  notes.add(`description truncated from ${text.length} to ${MAX_DESCRIPTION_CHARS} characters`);
  return text.slice(0, MAX_DESCRIPTION_CHARS);
}

/** `eventDescription[]` (EventBridge): the en_US entry, else the first usable one. */
export function pickDescription(v: unknown, field: string, notes: ParseNotes): string {
  if (v === undefined || v === null) {
    notes.add(`${field} missing; description is empty`);
    return '';
  }
  if (typeof v === 'string') return boundDescription(v, notes);
  const list = Array.isArray(v) ? v : [v];
  const usable = list.filter(
    (d): d is Obj => isObj(d) && typeof d.latestDescription === 'string',
  );
  const chosen = usable.find((d) => d.language === 'en_US') ?? usable[0];
  if (!chosen) {
    notes.add(`${field} has no usable latestDescription; description is empty`);
    return '';
  }
  return boundDescription(chosen.latestDescription as string, notes);
}

function parseTags(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Normalises an affected-entity list (EventBridge `{entityValue, status, lastUpdatedTime, tags}` or SDK
 * `{entityValue, statusCode, lastUpdatedTime: Date, tags}`). Nulls/non-objects/entities without a value
 * are skipped with a note; duplicates (same entityValue) are collapsed, keeping the first.
 */
export function parseAffectedEntities(v: unknown, field: string, notes: ParseNotes): AffectedEntity[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(field, v, 'expected an array');
  const out: AffectedEntity[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let duplicates = 0;
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    const f = `${field}[${i}]`;
    if (!isObj(item) || typeof item.entityValue !== 'string' || item.entityValue.trim() === '') {
      skipped++;
      continue;
    }
    const entityValue = item.entityValue.trim();
    if (entityValue.length > MAX_ENTITY_VALUE_CHARS) {
      fail(`${f}.entityValue`, entityValue, `longer than ${MAX_ENTITY_VALUE_CHARS} characters (${entityValue.length})`);
    }
    if (seen.has(entityValue)) {
      duplicates++;
      continue;
    }
    seen.add(entityValue);
    const entity: AffectedEntity = { entityValue };
    const status = optString(item.status ?? item.statusCode, `${f}.status`);
    if (status !== undefined) entity.status = status.toUpperCase();
    const updated = optTime(item.lastUpdatedTime, `${f}.lastUpdatedTime`, notes, `${field}[].lastUpdatedTime`);
    if (updated !== undefined) entity.lastUpdatedTime = updated;
    const tags = parseTags(item.tags);
    if (tags) entity.tags = tags;
    out.push(entity);
  }
  if (skipped > 0) notes.add(`${field}: skipped ${skipped} item(s) that were null or had no entityValue`);
  if (duplicates > 0) notes.add(`${field}: dropped ${duplicates} duplicate entityValue(s)`);
  return out;
}

export function parseResources(v: unknown, notes: ParseNotes): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail('resources', v, 'expected an array');
  const out: string[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const r of v) {
    if (typeof r !== 'string' || r.trim() === '') {
      skipped++;
      continue;
    }
    if (r.length > MAX_ENTITY_VALUE_CHARS) fail('resources', r, `resource longer than ${MAX_ENTITY_VALUE_CHARS} characters`);
    if (!seen.has(r)) {
      seen.add(r);
      out.push(r);
    }
  }
  if (skipped > 0) notes.add(`resources: skipped ${skipped} null/non-string item(s)`);
  return out;
}
