/** Where a month's charges come from: the port, and the CSV adapter. Amounts are integer cents. */
import { readFileSync } from 'node:fs';
import { parseUsdToCents } from '../credit/money.ts';

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

/** Splits one CSV line (RFC 4180 quotes supported). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

function key(q: { account: string; month: string; service: string; region: string; resource?: string | null }): string {
  return [q.account, q.month, q.service.toUpperCase(), q.region, q.resource ?? ''].join('|');
}

function allRegionsKey(q: { account: string; month: string; service: string }): string {
  return [q.account, q.month, q.service.toUpperCase()].join('|');
}

/**
 * CSV spend: header `account,month,service,region,amount` (USD; `service` is the Health service code),
 * plus an optional `resource` column for resource-level charges. Rows for the same key are added up.
 */
export class CsvSpendSource implements SpendSource {
  private readonly totals = new Map<string, number>();
  /** Region-level rows (no resource) added up over every Region, by account|month|SERVICE. */
  private readonly allRegionTotals = new Map<string, number>();

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
    lines.slice(1).forEach(({ text: line, number }) => {
      const cells = splitCsvLine(line);
      const at = `${source} line ${number}`;
      const get = (name: string) => cells[col(name)] ?? '';
      const account = get('account');
      const month = get('month');
      const service = get('service');
      const region = get('region');
      if (!/^\d{12}$/.test(account)) throw new SpendFileError(`${at}: account: expected a 12-digit AWS account id (got ${JSON.stringify(account)})`);
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new SpendFileError(`${at}: month: expected YYYY-MM (got ${JSON.stringify(month)})`);
      if (!/^[A-Za-z0-9_]+$/.test(service)) throw new SpendFileError(`${at}: service: expected a Health service code like DYNAMODB (got ${JSON.stringify(service)})`);
      if (!region) throw new SpendFileError(`${at}: region: missing`);
      const cents = (() => {
        try {
          return parseUsdToCents(get('amount'), 'amount');
        } catch (error) {
          throw new SpendFileError(`${at}: ${(error as Error).message}`);
        }
      })();
      const resource = col('resource') >= 0 ? get('resource') || null : null;
      const k = key({ account, month, service, region, resource });
      this.totals.set(k, (this.totals.get(k) ?? 0) + cents);
      if (resource === null) {
        const all = allRegionsKey({ account, month, service });
        this.allRegionTotals.set(all, (this.allRegionTotals.get(all) ?? 0) + cents);
      }
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
    if (query.allRegions && !query.resource) return this.allRegionTotals.get(allRegionsKey(query)) ?? null;
    return this.totals.get(key(query)) ?? null;
  }
}
