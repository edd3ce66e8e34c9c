/// <reference lib="es2023.intl" />
// es2023.intl types Intl.NumberFormat#format(decimal string), which formats exactly (no float step).
import { memoize } from "./memoize";

/** Minor-unit exponent per ISO 4217 currency. The single source of truth for decimals. */
export const CURRENCY_EXPONENTS = {
  SEK: 2,
  EUR: 2,
  NOK: 2,
  DKK: 2,
  USD: 2,
  GBP: 2,
  JPY: 0,
  ISK: 0,
} as const;

export type CurrencyCode = keyof typeof CURRENCY_EXPONENTS;

export const SUPPORTED_CURRENCIES: readonly CurrencyCode[] = Object.freeze(
  Object.keys(CURRENCY_EXPONENTS) as CurrencyCode[],
);

/** Thrown when an amount is not (or would not stay) a safe integer of minor units. */
export class UnsafeAmountError extends RangeError {
  override readonly name = "UnsafeAmountError";
  constructor(readonly amount: number | bigint, what: string) {
    super(`${what} must be a safe integer of minor units, got ${String(amount)}`);
  }
}

export function isSupportedCurrency(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

export function currencyExponent(code: CurrencyCode): number {
  return CURRENCY_EXPONENTS[code];
}

function assertSafeMinor(minor: number, what: string): void {
  if (!Number.isSafeInteger(minor)) throw new UnsafeAmountError(minor, what);
}

/** Exact decimal string of a minor amount: 150000 SEK → "1500.00", -5 → "-0.05", 1500 JPY → "1500". */
export function toMajorUnitString(minor: number, currency: CurrencyCode): string {
  assertSafeMinor(minor, "Amount");
  const exponent = currencyExponent(currency);
  const negative = minor < 0;
  const digits = BigInt(Math.abs(minor)).toString();
  if (exponent === 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(exponent + 1, "0");
  const whole = padded.slice(0, -exponent);
  const fraction = padded.slice(-exponent);
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

const moneyFormatter = memoize((key) => {
  const [locale, currency] = key.split("|") as [string, CurrencyCode];
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    // Our table, not CLDR, decides the number of decimals shown.
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
});

/** Locale formatting of a minor amount. Intl gets the exact decimal string, never a float. */
export function formatMoney(minor: number, currency: CurrencyCode, locale: string): string {
  const formatter = moneyFormatter(`${locale}|${currency}`);
  // A string like "-0.05" is a valid numeric literal; the cast only tells TS so.
  return formatter.format(toMajorUnitString(minor, currency) as `${number}`);
}

/** Exact sum; throws UnsafeAmountError if any value or the result leaves the safe-integer range. */
export function sumMinor(values: readonly number[]): number {
  let total = 0n;
  for (const value of values) {
    assertSafeMinor(value, "Each summed amount");
    total += BigInt(value);
  }
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new UnsafeAmountError(total, "Sum");
  }
  return Number(total);
}
