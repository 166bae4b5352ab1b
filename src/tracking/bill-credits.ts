/**
 * Where the credits on the bill come from: Cost Explorer (record type `Credit`) in AWS, a CSV locally.
 *
 * Cost Explorer: GetCostAndUsage over the bill months, MONTHLY, UnblendedCost, filtered on RECORD_TYPE = Credit and
 * the claims' linked accounts, grouped by LINKED_ACCOUNT and SERVICE (two groupings, the API's maximum), following
 * NextPageToken. Credits come as negative amounts; they are returned as positive integer cents, by Health service
 * code (the SERVICE names of src/spend/cost-explorer.ts). Its API lives in us-east-1.
 *
 * CSV: the spend file's columns (`account,month,service,amount`, service a Health service code) with a
 * `record_type` column, whose `Credit` rows are the credits (other rows are usage and ignored); or a credits-only
 * file without that column. Amounts may be written negative, as the bill shows them.
 */
import { readFileSync } from 'node:fs';
import { GetCostAndUsageCommand, type CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { parseUsdToCents } from '../credit/money.ts';
import { monthWindow } from '../credit/month.ts';
import { COST_EXPLORER_SERVICES, usdDecimalToCents } from '../spend/cost-explorer.ts';
import type { BillCredit, BillCredits } from './ports.ts';
import { splitCsvLine } from '../util/csv.ts';

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class CostExplorerBillCredits implements BillCredits {
  constructor(private readonly client: CostExplorerClient) {}

  async credits(accounts: readonly string[], months: readonly string[]): Promise<BillCredit[]> {
    if (accounts.length === 0 || months.length === 0) return [];
    const sorted = [...months].sort();
    const start = monthWindow(sorted[0]!).startMs;
    const end = monthWindow(sorted[sorted.length - 1]!).endMs;
    const wanted = new Set(sorted);
    const out = new Map<string, BillCredit>();
    let token: string | undefined;
    do {
      const result = await this.client.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: isoDay(start), End: isoDay(end) },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          Filter: {
            And: [
              { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } },
              { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [...accounts] } },
            ],
          },
          GroupBy: [
            { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
            { Type: 'DIMENSION', Key: 'SERVICE' },
          ],
          ...(token ? { NextPageToken: token } : {}),
        }),
      );
      for (const period of result.ResultsByTime ?? []) {
        const month = (period.TimePeriod?.Start ?? '').slice(0, 7);
        if (!wanted.has(month)) continue;
        for (const group of period.Groups ?? []) {
          const [account = '', serviceName = ''] = group.Keys ?? [];
          const service = COST_EXPLORER_SERVICES[serviceName];
          const amount = group.Metrics?.UnblendedCost?.Amount;
          if (!service || amount === undefined) continue;
          const cents = -usdDecimalToCents(amount);
          if (cents <= 0) continue;
          const k = `${account}|${service}|${month}`;
          const prev = out.get(k);
          out.set(k, { account, service, month, cents: (prev?.cents ?? 0) + cents });
        }
      }
      token = result.NextPageToken;
    } while (token);
    return [...out.values()];
  }
}

export class CreditsFileError extends Error {
  override readonly name = 'CreditsFileError';
}

/** The line's cells (trimmed by splitCsvLine). */
function cells(line: string): string[] {
  return splitCsvLine(line);
}

export class CsvBillCredits implements BillCredits {
  private readonly rows: BillCredit[] = [];

  constructor(text: string, source = 'credits file') {
    const lines = text
      .split(/\r?\n/)
      .map((t, i) => ({ t, n: i + 1 }))
      .filter((l) => l.t.trim() !== '' && !l.t.trimStart().startsWith('#'));
    const header = cells(lines[0]?.t ?? '').map((h) => h.toLowerCase());
    for (const column of ['account', 'month', 'service', 'amount']) {
      if (!header.includes(column)) throw new CreditsFileError(`${source}: header must contain account,month,service,amount (missing ${column}; got ${JSON.stringify(lines[0]?.t ?? '')})`);
    }
    const typed = header.includes('record_type');
    for (const { t, n } of lines.slice(1)) {
      const row = cells(t);
      const get = (name: string) => row[header.indexOf(name)] ?? '';
      if (typed && get('record_type').toLowerCase() !== 'credit') continue;
      const at = `${source} line ${n}`;
      const account = get('account');
      const month = get('month');
      const service = get('service').toUpperCase();
      if (!/^\d{12}$/.test(account)) throw new CreditsFileError(`${at}: account: expected a 12-digit AWS account id (got ${JSON.stringify(account)})`);
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new CreditsFileError(`${at}: month: expected YYYY-MM (got ${JSON.stringify(month)})`);
      if (!/^[A-Z0-9_]+$/.test(service)) throw new CreditsFileError(`${at}: service: expected a Health service code like DYNAMODB (got ${JSON.stringify(get('service'))})`);
      let cents: number;
      try {
        cents = parseUsdToCents(get('amount').replace(/^-/, ''), 'amount');
      } catch (error) {
        throw new CreditsFileError(`${at}: ${(error as Error).message}`);
      }
      if (cents > 0) this.rows.push({ account, service, month, cents });
    }
  }

  static fromFile(path: string): CsvBillCredits {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new CreditsFileError(`credits file ${path}: cannot read the file (${(error as Error).message})`);
    }
    return new CsvBillCredits(text, `credits file ${path}`);
  }

  async credits(accounts: readonly string[], months: readonly string[]): Promise<BillCredit[]> {
    const a = new Set(accounts);
    const m = new Set(months);
    const out = new Map<string, BillCredit>();
    for (const r of this.rows) {
      if (!a.has(r.account) || !m.has(r.month)) continue;
      const k = `${r.account}|${r.service}|${r.month}`;
      out.set(k, { ...r, cents: (out.get(k)?.cents ?? 0) + r.cents });
    }
    return [...out.values()];
  }
}
