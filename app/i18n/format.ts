/// <reference lib="es2023.intl" />
// Dates, quantities and percentages for people, through Intl. Decimal strings from the database
// are passed to Intl as strings (es2023.intl), so nothing is rounded through a float.
import { formatMoney, type CurrencyCode } from "~/domain/money";
import { memoize } from "~/domain/memoize";
import { dictionaryKey, methodText, type MethodText, type PaymentMethodCode } from "~/domain/payment-methods";
import { t, type Locale } from "./index";

// "en" alone would mean en-US (month first); an invoice from a Swedish supplier reads better
// with day-month-year, so English uses the British conventions.
const INTL_LOCALES: Record<Locale, string> = { sv: "sv-SE", en: "en-GB" };

export function intlLocale(locale: Locale): string {
  return INTL_LOCALES[locale];
}

const dateFormat = memoize((locale) => new Intl.DateTimeFormat(INTL_LOCALES[locale as Locale], { dateStyle: "long", timeZone: "UTC" }));
const quantityFormat = memoize((locale) => new Intl.NumberFormat(INTL_LOCALES[locale as Locale], { maximumFractionDigits: 3 }));
const percentFormat = memoize(
  (locale) => new Intl.NumberFormat(INTL_LOCALES[locale as Locale], { style: "unit", unit: "percent", maximumFractionDigits: 2 }),
);
const pluralRules = memoize((locale) => new Intl.PluralRules(INTL_LOCALES[locale as Locale]));

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (YYYY-MM-DD) as "15 March 2026" / "15 mars 2026"; no time zone can shift it. */
export function formatDate(date: string, locale: Locale): string {
  const match = DATE_PATTERN.exec(date);
  if (match === null) throw new RangeError(`Expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const instant = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return dateFormat(locale).format(instant);
}

const dateTimeFormat = memoize((key) => {
  const [locale, timeZone] = key.split("|") as [Locale, string];
  return new Intl.DateTimeFormat(INTL_LOCALES[locale], { dateStyle: "long", timeStyle: "short", timeZone });
});

/** An instant as "16 March 2027 at 04:30" / "16 mars 2027 04:30", on the clock of a time zone. */
export function formatDateTime(iso: string, locale: Locale, timeZone: string): string {
  return dateTimeFormat(`${locale}|${timeZone}`).format(new Date(iso));
}

type Decimal = `${number}`;

/** "2.500" → "2.5" (en) / "2,5" (sv); up to 3 decimals as stored. */
export function formatQuantity(quantity: string, locale: Locale): string {
  return quantityFormat(locale).format(quantity as Decimal);
}

/** "25.00" → "25%" (en) / "25 %" (sv). */
export function formatPercent(rate: string, locale: Locale): string {
  return percentFormat(locale).format(rate as Decimal);
}

/**
 * "12 297,00 kr" / "SEK 12,297.00". A negative amount takes a real minus sign (U+2212) in both
 * languages: sv-SE writes one already, en-GB a hyphen ("-SEK 500.00") that reads as a dash.
 */
export function formatAmount(minor: number, currency: CurrencyCode, locale: Locale): string {
  const text = formatMoney(minor, currency, intlLocale(locale));
  return minor < 0 ? text.replace("-", "\u2212") : text;
}

/** CLDR plural category, reduced to the two forms our dictionaries carry. */
export function pluralForm(count: number, locale: Locale): "one" | "other" {
  return pluralRules(locale).select(count) === "one" ? "one" : "other";
}

/** A payment method's name for people ("Kort", "Swish"). */
export function methodName(method: PaymentMethodCode, locale: Locale): string {
  return t(locale, dictionaryKey(method));
}

/** A sentence about a payment method; a generic one ("Pay with {method}") gets the method's name. */
export function methodSentence(method: PaymentMethodCode, text: MethodText, locale: Locale, params: Record<string, string> = {}): string {
  return t(locale, methodText(method, text), { ...params, method: methodName(method, locale) });
}
