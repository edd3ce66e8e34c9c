// An invoice's statuses as the console shows them, in the list and on its page alike.
import { t, type Locale } from "~/i18n";
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
