// What happened to the invoice, oldest first, in the payer's language: from the audit log, with
// nothing internal (no IPs, no addresses).
import { t, type Locale } from "~/i18n";
import { formatAmount, formatDate, methodName } from "~/i18n/format";
import { isSupportedCurrency } from "~/domain/money";
import { isLedgerMethod } from "~/domain/payment-methods";
import type { TimelineItem } from "~/features/portal/payer-panel.server";
import { reasonLabel } from "./payer-actions";

const STEPS = ["before_due", "first", "second", "final"] as const;
const isStep = (value: string | undefined): value is (typeof STEPS)[number] => (STEPS as readonly (string | undefined)[]).includes(value);

function money(amount: number | undefined, currency: string | undefined, locale: Locale): string | null {
  return amount !== undefined && currency && isSupportedCurrency(currency) ? formatAmount(amount, currency, locale) : null;
}

export function timelineText(item: TimelineItem, locale: Locale, supplier: string): string {
  const description = item.description ?? "";
  switch (item.kind) {
    case "confirmed":
      return item.name ? t(locale, "timeline.confirmedBy", { name: item.name }) : t(locale, "timeline.confirmed");
    case "disputed":
      return t(locale, "timeline.disputed", { reason: reasonLabel(locale, item.reason ?? "other") });
    case "deliveryDisputed":
      return t(locale, "timeline.deliveryDisputed", { reason: reasonLabel(locale, item.reason ?? "other"), description });
    case "deliveryAdded":
    case "deliveryApproved":
      return t(locale, `timeline.${item.kind}`, { description });
    case "answered":
      return t(locale, item.status === "accepted" ? "timeline.answered.accepted" : "timeline.answered.rejected", { supplier });
    case "paymentReceived": {
      const amount = money(item.amount, item.currency, locale);
      if (amount === null) return t(locale, "timeline.payment");
      return isLedgerMethod(item.method)
        ? t(locale, "timeline.paymentReceivedBy", { amount, method: methodName(item.method, locale) })
        : t(locale, "timeline.paymentReceived", { amount });
    }
    case "paymentRefunded": {
      const amount = money(item.amountRefunded, item.currency, locale);
      return amount === null ? t(locale, "timeline.refund") : t(locale, "timeline.paymentRefunded", { amount });
    }
    case "paymentReported": {
      const amount = money(item.amount, item.currency, locale);
      return amount === null ? t(locale, "timeline.reported") : t(locale, "timeline.paymentReported", { amount });
    }
    case "reminderSent":
      return isStep(item.step) ? t(locale, `timeline.reminderSent.${item.step}`) : t(locale, "timeline.reminderSent");
    default:
      return t(locale, `timeline.${item.kind}`);
  }
}

export function Timeline({ items, supplier, locale }: { items: readonly TimelineItem[]; supplier: string; locale: Locale }) {
  if (items.length === 0) return null;
  return (
    <section className="timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t(locale, "timeline.heading")}</h2>
      <ol className="timeline__list">
        {items.map((item, index) => (
          <li key={`${item.at}-${index}`} className={`timeline__item timeline__item--${item.kind}`}>
            <time dateTime={item.at}>{formatDate(item.date, locale)}</time>
            <span>{timelineText(item, locale, supplier)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
