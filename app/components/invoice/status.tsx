import type { InvoiceStatus } from "~/domain/invoice-status";
import type { CurrencyCode } from "~/domain/money";
import { t, type Locale } from "~/i18n";
import { formatAmount, pluralForm } from "~/i18n/format";

export type StatusTone = "good" | "neutral" | "warn" | "bad";

/** The status in words a person understands, e.g. "Partly paid · Overdue by 3 days". */
export function statusText(status: InvoiceStatus, locale: Locale, currency: CurrencyCode): string {
  switch (status.kind) {
    case "cancelled":
      return t(locale, "portal.status.cancelled");
    case "paid":
      return t(locale, "portal.status.paid");
    case "overpaid":
      return t(locale, "portal.status.overpaid", { amount: formatAmount(status.excess, currency, locale) });
  }
  const parts: string[] = [];
  if (status.partlyPaid) parts.push(t(locale, "portal.status.partlyPaid"));
  if (status.kind === "due") {
    parts.push(t(locale, `portal.status.dueIn.${pluralForm(status.days, locale)}`, { days: status.days }));
  } else if (status.kind === "due_today") {
    parts.push(t(locale, "portal.status.dueToday"));
  } else {
    parts.push(t(locale, `portal.status.overdue.${pluralForm(status.days, locale)}`, { days: status.days }));
  }
  if (status.disputed) parts.push(t(locale, "portal.status.disputed"));
  return parts.join(" · ");
}

export function statusTone(status: InvoiceStatus): StatusTone {
  switch (status.kind) {
    case "paid":
    case "overpaid":
      return "good";
    case "cancelled":
    case "due":
      return "neutral";
    case "due_today":
      return "warn";
    case "overdue":
      return "bad";
  }
}

/** Colour only reinforces the words; the text alone carries the status. */
export function InvoiceStatusBadge(props: { status: InvoiceStatus; locale: Locale; currency: CurrencyCode }) {
  const { status, locale, currency } = props;
  return (
    <p className={`status status--${statusTone(status)}`}>
      <span className="visually-hidden">{t(locale, "portal.status.label")}: </span>
      {statusText(status, locale, currency)}
    </p>
  );
}
