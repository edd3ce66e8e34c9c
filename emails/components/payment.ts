// Shared by the payment emails: money props (integer minor units in a currency we know) and the
// payment method's name for people.
import { z } from "zod";
import { t, type Locale } from "~/i18n";
import { formatAmount } from "~/i18n/format";
import { isSupportedCurrency, type CurrencyCode } from "~/domain/money";

export const minorAmount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isSupportedCurrency, "must be a supported ISO 4217 currency")
  .transform((value) => value as CurrencyCode);

export const paymentMethod = z.enum(["card", "swish", "bank_transfer", "cash", "other"]);
export type PaymentMethodCode = z.infer<typeof paymentMethod>;

export function methodLabel(locale: Locale, method: PaymentMethodCode): string {
  return t(locale, `payments.method.${method}`);
}

export const money = (locale: Locale, minor: number, currency: CurrencyCode) => formatAmount(minor, currency, locale);

/** What a payer may say it paid with ("I have paid"). */
export const reportedMethod = z.enum(["bank_transfer", "swish", "other"]);

export const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD");
