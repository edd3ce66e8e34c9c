// An inbox item's words: the one-line summary of the list, the facts on its own page, and when it
// arrived. Every source's detail has its own shape (app/features/inbox/sources/source.ts).
import type { ReactNode } from "react";
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatAmount, formatDate, formatDateTime, methodName } from "~/i18n/format";
import { isSupportedCurrency } from "~/domain/money";
import type { PaymentMethodCode } from "~/domain/payment-methods";
import type { InboxItemView } from "~/features/inbox/inbox.server";
import { unappliedSummary } from "./inbox-unapplied-payment";

const reasonKey = (reason: string) => `disputes.reason.${reason}` as MessageKey;

export function InboxWhen({ locale, timeZone, iso }: { locale: Locale; timeZone: string; iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso, locale, timeZone)}</time>;
}

function amountText(amount: number, currency: string, locale: Locale) {
  return isSupportedCurrency(currency) ? formatAmount(amount, currency, locale) : `${amount} ${currency}`;
}

export function InboxSummary({ locale, item }: { locale: Locale; item: InboxItemView }) {
  const detail = item.detail;
  if (!detail) return null;
  switch (detail.type) {
    case "dispute":
      return (
        <>
          {t(locale, reasonKey(detail.reason))}
          {detail.message ? ` – “${detail.message.length > 140 ? `${detail.message.slice(0, 140)}…` : detail.message}”` : ""}
        </>
      );
    case "payment_report":
      return (
        <>
          {t(locale, "console.inbox.summary.paymentReport", {
            amount: amountText(detail.amount, detail.currency, locale),
            date: formatDate(detail.paidOn, locale),
            method: methodName(detail.method as PaymentMethodCode, locale),
          })}
        </>
      );
    case "failing_address":
      return (
        <>
          {detail.address}
          {" – "}
          {detail.reason ? t(locale, `email.emailFailing.reason.${detail.reason}`) : t(locale, "console.inbox.summary.lifted")}
        </>
      );
    case "unapplied_payment":
      return <>{unappliedSummary(detail, locale)}</>;
  }
}

/** The facts of an item on its own page, as a description list. */
export function InboxFacts({ locale, item }: { locale: Locale; item: InboxItemView }) {
  const detail = item.detail;
  const rows: [string, ReactNode][] = [];
  if (item.customerName) rows.push([t(locale, "console.inbox.customer"), item.customerName]);
  if (detail?.type === "dispute") {
    rows.push([t(locale, "console.inbox.detail.reason"), t(locale, reasonKey(detail.reason))]);
    if (detail.deliveryDescription) rows.push([t(locale, "console.inbox.detail.delivery"), detail.deliveryDescription]);
    if (detail.lines) rows.push([t(locale, "console.inbox.detail.lines"), detail.lines.join(", ")]);
    if (detail.message) rows.push([t(locale, "console.inbox.detail.message"), detail.message]);
    const reporter = [detail.reporterName, detail.reporterEmail].filter(Boolean).join(", ");
    if (reporter) rows.push([t(locale, "console.inbox.detail.reporter"), reporter]);
    if (detail.answer && detail.status !== "open") {
      rows.push([t(locale, "console.inbox.detail.answered"), t(locale, `console.inbox.detail.outcome.${detail.status}`)]);
      if (detail.answer.message) rows.push([t(locale, "console.inbox.answer.message"), detail.answer.message]);
      if (detail.answer.creditNoteReference) rows.push([t(locale, "console.inbox.detail.creditNote"), detail.answer.creditNoteReference]);
      if (detail.answer.correctedInvoiceNumber) rows.push([t(locale, "console.inbox.detail.correctedInvoice"), detail.answer.correctedInvoiceNumber]);
    }
  } else if (detail?.type === "failing_address") {
    rows.push([t(locale, "console.inbox.detail.address"), detail.address]);
    rows.push([
      t(locale, "console.inbox.detail.failure"),
      detail.reason ? t(locale, `email.emailFailing.reason.${detail.reason}`) : t(locale, "console.inbox.summary.lifted"),
    ]);
    if (detail.detail) rows.push([t(locale, "console.inbox.detail.serverSaid"), detail.detail]);
  } else if (detail?.type === "payment_report") {
    rows.push([t(locale, "console.inbox.kind.payment_report"), <InboxSummary key="summary" locale={locale} item={item} />]);
  }
  return (
    <dl className="inbox-facts">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
