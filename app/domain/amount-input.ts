// An amount as a person types it ("1 234,50", "1234.50", "1,234.50 kr") to integer minor units,
// exactly (no float step). Anything ambiguous or malformed is refused rather than guessed.
import { currencyExponent, type CurrencyCode } from "./money";

const SPACES = /[\s\u00a0\u202f']/g;
const SUFFIX = /(kr|sek|eur|€|:-)$/i;

/**
 * Minor units, or null when the text is not an amount. A separator followed by at most the
 * currency's decimals (e.g. ",5" or ".50") at the end is the decimal mark; any other separator
 * must group thousands by three ("1.234,50", "1,234.50").
 */
export function parseAmountInput(input: string, currency: CurrencyCode): number | null {
  const compact = input.replace(SPACES, "").replace(SUFFIX, "").replace(SPACES, "");
  if (!/^\d[\d.,]*$/.test(compact)) return null;
  const exponent = currencyExponent(currency);
  const decimal = exponent > 0 ? new RegExp(`[.,](\\d{1,${exponent}})$`).exec(compact) : null;
  const whole = decimal ? compact.slice(0, decimal.index) : compact;
  const fraction = decimal ? decimal[1]! : "";
  if (!/^\d{1,3}([.,]\d{3})*$/.test(whole) && !/^\d+$/.test(whole)) return null;
  // One kind of grouping mark only, and not the decimal mark ("1,234,50" is refused).
  const marks = new Set(whole.replace(/\d/g, ""));
  if (marks.size > 1 || (decimal && marks.has(compact[decimal.index]!))) return null;
  const minor = BigInt(whole.replace(/[.,]/g, "") + fraction.padEnd(exponent, "0"));
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : null;
}
