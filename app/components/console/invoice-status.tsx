// An invoice's statuses and amounts as the console shows them, in the list and on its page alike.
import { t, type Locale } from "~/i18n";
import { formatAmount } from "~/i18n/format";
import { isSupportedCurrency } from "~/domain/money";
import type { ConsoleInvoiceStatus } from "~/domain/console-invoice-list";

export function InvoiceStatusTags({ locale, statuses }: { locale: Locale; statuses: ConsoleInvoiceStatus[] }) {
  return (
    <span className="invoice-tags">
      {statuses.map((status) => (
        <span key={status} className={`invoice-tag invoice-tag--${status}`}>{t(locale, `console.invoices.status.${status}`)}</span>
      ))}
    </span>
  );
}

/** An amount in the invoice's currency (an unknown code, which the API never stores, shown raw). */
export const money = (minor: number, currency: string, locale: Locale) =>
  isSupportedCurrency(currency) ? formatAmount(minor, currency, locale) : `${minor} ${currency}`;
