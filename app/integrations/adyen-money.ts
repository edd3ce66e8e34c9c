// Adyen's minor units follow ISO 4217 except for a few currencies, where Adyen counts more (or
// fewer) decimals than our exponent table (app/domain/money.ts). Amounts cross that edge only here.
import { CURRENCY_EXPONENTS, isSupportedCurrency } from "~/domain/money";

/** Adyen's decimals where they differ from ISO 4217 (docs.adyen.com/development-resources/currency-codes). */
const ADYEN_EXPONENTS: Readonly<Record<string, number>> = { ISK: 2, CLP: 2, CVE: 0 };

function exponentShift(currency: string): number | undefined {
  const code = currency.toUpperCase();
  if (!isSupportedCurrency(code)) return undefined;
  const ours = CURRENCY_EXPONENTS[code];
  return (ADYEN_EXPONENTS[code] ?? ours) - ours;
}

/** Our minor units → Adyen's `amount.value`. */
export function toAdyenValue(minor: number, currency: string): number {
  const shift = exponentShift(currency);
  if (shift === undefined) throw new RangeError(`currency ${currency} is not supported`);
  if (!Number.isSafeInteger(minor)) throw new RangeError("amount must be a safe integer of minor units");
  const value = shift >= 0 ? minor * 10 ** shift : minor / 10 ** -shift;
  if (!Number.isSafeInteger(value)) throw new RangeError(`amount ${minor} ${currency} cannot be sent to Adyen exactly`);
  return value;
}

/** Adyen's `amount.value` → our minor units; undefined when it does not convert exactly. */
export function fromAdyenValue(value: number, currency: string): number | undefined {
  const shift = exponentShift(currency);
  if (shift === undefined || !Number.isSafeInteger(value)) return undefined;
  const minor = shift >= 0 ? value / 10 ** shift : value * 10 ** -shift;
  return Number.isSafeInteger(minor) ? minor : undefined;
}
