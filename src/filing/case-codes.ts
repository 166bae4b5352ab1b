/**
 * The Support service and category codes of an SLA credit case: the contract's, or found with DescribeServices and
 * cached per account (they change rarely; a cold start reads them once per account and day).
 */
import type { FilingSettings } from '../contract/contract.ts';
import type { SupportApi, SupportService } from './support-api.ts';

export interface CaseCodes {
  serviceCode: string;
  categoryCode: string;
}

const TTL_MS = 24 * 3_600_000;

/** Billing's service, and its SLA-credit (else credit/refund, else "other") category; null when there is none. */
export function pickCaseCodes(services: readonly SupportService[]): CaseCodes | null {
  const service = services.find((s) => /^billing$/i.test(s.code)) ?? services.find((s) => /billing/i.test(`${s.code} ${s.name}`));
  if (!service || service.categories.length === 0) return null;
  const category =
    service.categories.find((c) => /sla/i.test(`${c.code} ${c.name}`)) ??
    service.categories.find((c) => /credit|refund/i.test(`${c.code} ${c.name}`)) ??
    service.categories.find((c) => /other|general/i.test(`${c.code} ${c.name}`)) ??
    service.categories[0]!;
  return { serviceCode: service.code, categoryCode: category.code };
}

export class CaseCodesCache {
  private readonly cache = new Map<string, { at: number; codes: Promise<CaseCodes> }>();

  constructor(
    private readonly filing: Pick<FilingSettings, 'serviceCode' | 'categoryCode'>,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async for(account: string, support: SupportApi): Promise<CaseCodes> {
    const { serviceCode, categoryCode } = this.filing;
    if (serviceCode && categoryCode) return { serviceCode, categoryCode };
    const hit = this.cache.get(account);
    if (hit && this.now() - hit.at < TTL_MS) return hit.codes;
    const codes = support.describeServices().then((services) => {
      const picked = pickCaseCodes(serviceCode ? services.filter((s) => s.code === serviceCode) : services);
      if (!picked) throw new Error(`DescribeServices in ${account}: no billing service with categories; set filing.serviceCode and filing.categoryCode in the contract`);
      return { serviceCode: picked.serviceCode, categoryCode: categoryCode ?? picked.categoryCode };
    });
    codes.catch(() => this.cache.delete(account));
    this.cache.set(account, { at: this.now(), codes });
    return codes;
  }
}
