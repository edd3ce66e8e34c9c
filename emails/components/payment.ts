// Shared by the payment emails: money props (integer minor units in a currency we know) and the
// payment method's name for people.
import { z } from "zod";
import type { Locale } from "~/i18n";
import { formatAmount, methodName } from "~/i18n/format";
import { isSupportedCurrency, type CurrencyCode } from "~/domain/money";
import { LEDGER_METHODS, REPORTED_METHODS, type PaymentMethodCode } from "~/domain/payment-methods";

export const minorAmount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isSupportedCurrency, "must be a supported ISO 4217 currency")
  .transform((value) => value as CurrencyCode);

export const paymentMethod = z.enum(LEDGER_METHODS);

export function methodLabel(locale: Locale, method: PaymentMethodCode): string {
  return methodName(method, locale);
}

export const money = (locale: Locale, minor: number, currency: CurrencyCode) => formatAmount(minor, currency, locale);

/** What a payer may say it paid with ("I have paid"). */
export const reportedMethod = z.enum(REPORTED_METHODS);

export const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD");
