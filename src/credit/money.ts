/** Money helpers: integer cents only, never floats. */

export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';
}

const USD_PATTERN = /^(\d{1,13})(?:\.(\d{1,2}))?$/;
/** Commas only as thousands separators: 1,234,567.89 (never a decimal comma: "1234,56" is refused). */
const GROUPED = /^\d{1,3}(,\d{3})+(\.\d{1,2})?$/;

/**
 * Parses a non-negative US-dollar amount written in decimal ("5000", "5000.5", "1234.56") into integer cents,
 * without going through binary floating point. Rejects negatives, exponents, more than two decimals, and garbage.
 */
export function parseUsdToCents(text: string, field = 'amount'): number {
  const bare = text.trim().replace(/^\$/, '');
  const trimmed = GROUPED.test(bare) ? bare.replace(/,/g, '') : bare;
  const match = USD_PATTERN.exec(trimmed);
  if (!match) {
    throw new InvalidAmountError(
      `${field}: expected a non-negative US-dollar amount with at most two decimals, like 5000 or 1234.56 (got ${JSON.stringify(text)})`,
    );
  }
  const dollars = BigInt(match[1] ?? '0');
  const cents = BigInt((match[2] ?? '').padEnd(2, '0'));
  const total = dollars * 100n + cents;
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidAmountError(`${field}: amount too large (got ${JSON.stringify(text)})`);
  }
  return Number(total);
}

/** `numerator / denominator`, rounded half up, for non-negative integers (exact, in BigInt). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  if (numerator < 0n) throw new RangeError('numerator must be non-negative');
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** Formats integer cents as "$1,234.56". */
export function formatUsd(cents: number): string {
  const negative = cents < 0;
  const abs = BigInt(Math.abs(cents));
  const dollars = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}$${dollars}.${rest}`;
}
