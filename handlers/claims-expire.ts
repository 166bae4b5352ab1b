/**
 * Scheduled (daily, just after midnight UTC): claims not submitted by their deadline become `expired`
 * (src/tracking/expire-claims.ts). Dependencies: handlers/wiring.ts.
 */
import { expireClaims, type ExpireDeps } from '../src/tracking/expire-claims.ts';
import { claimsExpireDeps, lambda, log } from './wiring.ts';

export async function claimsExpire(_event: unknown, deps: ExpireDeps) {
  const report = await expireClaims(deps);
  log.info('claims expiry', { months: report.months, checked: report.checked, expired: report.expired.length, skipped: report.skipped });
  return { months: report.months, checked: report.checked, expired: report.expired.map((e) => e.claimId), skipped: report.skipped };
}

export const handler = lambda('claims-expire', claimsExpireDeps, claimsExpire);
