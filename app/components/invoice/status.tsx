import type { InvoiceStatus } from "~/domain/invoice-status";
import type { CurrencyCode } from "~/domain/money";
import { t, type Locale } from "~/i18n";
import { formatAmount, pluralForm } from "~/i18n/format";

export type StatusTone = "good" | "neutral" | "warn" | "bad";

/** What the payer did that the ledger does not show yet: a checkout in progress, an "I have paid". */
export type PendingPayment = { processing?: boolean; reported?: boolean };

/** The status in words a person understands, e.g. "Partly paid, SEK 500.00 left · Overdue by 3 days". */
export function statusText(status: InvoiceStatus, locale: Locale, currency: CurrencyCode, pending: PendingPayment = {}): string {
  switch (status.kind) {
    case "cancelled":
      return t(locale, "portal.status.cancelled");
    case "paid":
      return t(locale, "portal.status.paid");
    case "overpaid":
      return t(locale, "portal.status.overpaid", { amount: formatAmount(status.excess, currency, locale) });
  }
  const parts: string[] = [];
  // Never "Paid" before the provider's event: "pending" until then, "reported" until the bank's.
  if (pending.processing) parts.push(t(locale, "portal.status.pending"));
  else if (pending.reported) parts.push(t(locale, "portal.status.reported"));
  if (status.partlyPaid) {
    parts.push(t(locale, "portal.status.partlyPaidLeft", { amount: formatAmount(status.amountDue, currency, locale) }));
  }
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

export function statusTone(status: InvoiceStatus, pending: PendingPayment = {}): StatusTone {
  if ((pending.processing || pending.reported) && status.kind !== "cancelled") return "neutral";
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
export function InvoiceStatusBadge(props: { status: InvoiceStatus; locale: Locale; currency: CurrencyCode; pending?: PendingPayment }) {
  const { status, locale, currency, pending } = props;
  return (
    <p className={`status status--${statusTone(status, pending)}`}>
      <span className="visually-hidden">{t(locale, "portal.status.label")}: </span>
      {statusText(status, locale, currency, pending)}
    </p>
  );
}
