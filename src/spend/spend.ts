/**
 * Where a month's charges come from: the port, and the CSV adapter. Amounts are integer cents.
 * Which charges make a claim's base is data (src/sla/credit-bases.ts); the adapters only add up what it names.
 */
import { readFileSync } from 'node:fs';
import { parseUsdToCents } from '../credit/money.ts';
import { splitCsvLine } from '../util/csv.ts';
import { canonicalRecordType, DETAILED_SERVICES, isCountedRecordType, KNOWN_RECORD_TYPES, usageCategory, type ChargeBase } from '../sla/credit-bases.ts';

export interface SpendQuery {
  account: string;
  /** YYYY-MM */
  month: string;
  /** AWS Health service code. */
  service: string;
  /** Region (or `global`). */
  region: string;
  /** For resource-level SLAs: the resource's own charges, when known. */
  resource?: string | null;
  /**
   * For SLAs whose credit base is the service's charges in every Region: the sum over all Regions (including
   * `global`) of this account/month/service, ignoring `region`; null when there is no row at all.
   */
  allRegions?: boolean;
  /**
   * The SLA's credit base (src/sla/credit-bases.ts): which parts of the service count (e.g. one S3 storage class,
   * Route 53 DNS queries) and any replica Regions added. Absent: the service's whole usage, as before.
   * Resource-level queries ignore it.
   */
  base?: ChargeBase;
}

export interface SpendSource {
  /** The month's charges in cents, or null when unknown. */
  chargesCents(query: SpendQuery): Promise<number | null>;
}

/** No spend data: every claim is created with its percentage and a "charges unknown" marker. */
export const NO_SPEND: SpendSource = { chargesCents: async () => null };

export class SpendFileError extends Error {
  override readonly name = 'SpendFileError';
}

const REQUIRED = ['account', 'month', 'service', 'region', 'amount'] as const;

/** A usage type as Cost Explorer writes it (`USE2-TimedStorage-SIA-ByteHrs`, `BoxUsage:m5.large`). */
const USAGE_TYPE_RE = /^[A-Za-z0-9][A-Za-z0-9.:_/+()-]{0,199}$/;

const DETAILED = new Set<string>(DETAILED_SERVICES);


function key(q: { account: string; month: string; service: string; region: string; resource?: string | null }): string {
  return [q.account, q.month, q.service.toUpperCase(), q.region, q.resource ?? ''].join('|');
}

/** account|month|SERVICE|region|category: the part of a service's Region-level usage a credit base may count. */
function categoryKey(q: { account: string; month: string; service: string }, region: string, category: string): string {
  return [q.account, q.month, q.service.toUpperCase(), region, category].join('|');
}

function allRegionsKey(q: { account: string; month: string; service: string }): string {
  return [q.account, q.month, q.service.toUpperCase()].join('|');
}

/**
 * CSV spend: header `account,month,service,region,amount` (USD; `service` is the Health service code), plus optional
 * columns: `resource` (resource-level charges), `usage_type` (Cost Explorer's USAGE_TYPE, e.g.
 * `TimedStorage-SIA-ByteHrs`, `DNS-Queries`) and `record_type` (Cost Explorer's RECORD_TYPE: Usage, Tax, Credit,
 * Refund, Support, "Recurring reservation fee", "Upfront reservation fee", SavingsPlanCoveredUsage…; empty = Usage).
 * Rows for the same key are added up; rows whose record type is not a charge paid for usage (tax, credits, refunds,
 * support, one-time fees) are read, checked and left out of every total. Files without the new columns read as before.
 *
 * Region-level rows of S3, Route 53 and DynamoDB also count in the usage category of their usage type, which the
 * SLAs' bases ask for (one storage class, DNS queries, replicated writes). A base that needs categories is unknown
 * (null) for a Region with a row of that service but no usage type: such a row cannot be attributed.
 */
export class CsvSpendSource implements SpendSource {
  private readonly totals = new Map<string, number>();
  /** Region-level rows (no resource) added up over every Region, by account|month|SERVICE. */
  private readonly allRegionTotals = new Map<string, number>();
  /** Region-level rows by account|month|SERVICE|region|category (detailed services only). */
  private readonly categoryTotals = new Map<string, number>();
  /** account|month|SERVICE|region with a Region-level row of a detailed service that had no usage type. */
  private readonly unattributed = new Set<string>();
  /** Regions seen per account|month|SERVICE (Region-level rows). */
  private readonly regions = new Map<string, Set<string>>();

  constructor(text: string, source = 'spend file') {
    // Keep each line's 1-based number in the file: comments and blank lines are skipped but still counted.
    const lines = text
      .split(/\r?\n/)
      .map((raw, index) => ({ text: raw, number: index + 1 }))
      .filter((l) => l.text.trim() !== '' && !l.text.trimStart().startsWith('#'));
    const headerLine = lines[0]?.text ?? '';
    const header = splitCsvLine(headerLine).map((h) => h.toLowerCase());
    for (const column of REQUIRED) {
      if (!header.includes(column)) {
        throw new SpendFileError(`${source}: header must contain ${REQUIRED.join(',')} (missing ${column}; got ${JSON.stringify(headerLine)})`);
      }
    }
    const col = (name: string) => header.indexOf(name);
    const add = (map: Map<string, number>, k: string, cents: number, at: string) => {
      const total = (map.get(k) ?? 0) + cents;
      if (!Number.isSafeInteger(total)) throw new SpendFileError(`${at}: amount: total too large to count in cents exactly (got ${total})`);
      map.set(k, total);
    };
    lines.slice(1).forEach(({ text: line, number }) => {
      const cells = splitCsvLine(line);
      const at = `${source} line ${number}`;
      const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '') : '');
      const account = get('account');
      const month = get('month');
      const service = get('service');
      const region = get('region');
      if (!/^\d{12}$/.test(account)) throw new SpendFileError(`${at}: account: expected a 12-digit AWS account id (got ${JSON.stringify(account)})`);
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new SpendFileError(`${at}: month: expected YYYY-MM (got ${JSON.stringify(month)})`);
      if (!/^[A-Za-z0-9_]+$/.test(service)) throw new SpendFileError(`${at}: service: expected a Health service code like DYNAMODB (got ${JSON.stringify(service)})`);
      if (!region) throw new SpendFileError(`${at}: region: missing`);
      const recordType = get('record_type');
      if (recordType && canonicalRecordType(recordType) === undefined) {
        throw new SpendFileError(
          `${at}: record_type: expected a Cost Explorer RECORD_TYPE (${Object.keys(KNOWN_RECORD_TYPES).join(', ')}) (got ${JSON.stringify(recordType)})`,
        );
      }
      const counted = !recordType || isCountedRecordType(recordType);
      // Credits, refunds and discounts are negative on the bill: accepted (and checked) on rows that are not counted.
      const amount = get('amount');
      const cents = (() => {
        try {
          return parseUsdToCents(!counted && amount.startsWith('-') ? amount.slice(1) : amount, 'amount');
        } catch (error) {
          throw new SpendFileError(`${at}: ${(error as Error).message}`);
        }
      })();
      const usageType = get('usage_type');
      if (usageType && !USAGE_TYPE_RE.test(usageType)) {
        throw new SpendFileError(`${at}: usage_type: expected a Cost Explorer usage type like USE2-TimedStorage-SIA-ByteHrs (got ${JSON.stringify(usageType)})`);
      }
      // Tax, credits, refunds, support and one-time fees are not charges paid for the service's usage.
      if (!counted) return;
      const resource = get('resource') || null;
      const k = key({ account, month, service, region, resource });
      add(this.totals, k, cents, at);
      if (resource !== null) return;
      const q = { account, month, service };
      add(this.allRegionTotals, allRegionsKey(q), cents, at);
      const all = allRegionsKey(q);
      let seen = this.regions.get(all);
      if (!seen) this.regions.set(all, (seen = new Set()));
      seen.add(region);
      if (!DETAILED.has(service.toUpperCase())) return;
      if (!usageType) {
        this.unattributed.add([all, region].join('|'));
        return;
      }
      const category = usageCategory(service, usageType);
      if (category) add(this.categoryTotals, categoryKey(q, region, category), cents, at);
    });
  }

  static fromFile(path: string): CsvSpendSource {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new SpendFileError(`spend file ${path}: cannot read the file (${(error as Error).message})`);
    }
    return new CsvSpendSource(text, `spend file ${path}`);
  }

  async chargesCents(query: SpendQuery): Promise<number | null> {
    if (query.resource) return this.totals.get(key(query)) ?? null;
    const allRegions = query.base?.allRegions ?? query.allRegions ?? false;
    const categories = query.base?.categories ?? null;
    if (!categories) {
      const main = allRegions ? this.allRegionTotals.get(allRegionsKey(query)) : this.totals.get(key(query));
      if (main === undefined) return null;
      const replicas = this.replicaCents(query);
      return replicas === null ? null : main + replicas;
    }
    const seen = this.regions.get(allRegionsKey(query));
    const regions = allRegions ? [...(seen ?? [])] : seen?.has(query.region) ? [query.region] : [];
    if (regions.length === 0) return null;
    const sum = this.sumCategories(query, regions, categories);
    const replicas = this.replicaCents(query);
    return sum === null || replicas === null ? null : sum + replicas;
  }

  /** The categories' charges over `regions`, or null when a Region has a row that cannot be attributed. */
  private sumCategories(q: SpendQuery, regions: readonly string[], categories: readonly string[]): number | null {
    if (!DETAILED.has(q.service.toUpperCase())) return null;
    let sum = 0;
    for (const region of regions) {
      if (this.unattributed.has([allRegionsKey(q), region].join('|'))) return null;
      for (const category of categories) sum += this.categoryTotals.get(categoryKey(q, region, category)) ?? 0;
    }
    return sum;
  }

  /** Replica Regions' part (DynamoDB global tables): a Region without rows adds nothing; null when unattributable. */
  private replicaCents(q: SpendQuery): number | null {
    const replicas = q.base?.replicas;
    if (!replicas) return 0;
    const seen = this.regions.get(allRegionsKey(q));
    return this.sumCategories(q, replicas.regions.filter((r) => seen?.has(r)), replicas.categories);
  }
}
