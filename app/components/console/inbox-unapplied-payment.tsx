// An unmatched bank payment on its inbox page: what the bank said, why it waits, what is left, and
// the clerk's three ways to settle it (place on an invoice, to be paid back, not ours). Each form
// sends the payment's version back, so a form read before someone else's change books nothing.
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatAmount, formatDate } from "~/i18n/format";
import { isSupportedCurrency } from "~/domain/money";
import type { UnappliedPaymentDetail } from "~/features/inbox/sources/source";
import { Notice, Submit } from "./console-form";

export type PaymentFailure = { error: MessageKey; problem: { detail: string | null; errors: { field: string; message: string }[] } | null };

const money = (amount: number, currency: string, locale: Locale) => (isSupportedCurrency(currency) ? formatAmount(amount, currency, locale) : `${amount} ${currency}`);

/** Minor units as a form's amount (major units, the locale's decimal sign): parseAmountInput reads both. */
const amountInput = (minor: number, locale: Locale) => {
  const text = (minor / 100).toFixed(2);
  return locale === "sv" ? text.replace(".", ",") : text;
};

export function unappliedSummary(detail: UnappliedPaymentDetail, locale: Locale): string {
  return t(locale, "console.inbox.summary.unappliedPayment", {
    amount: money(detail.amount, detail.currency, locale),
    date: formatDate(detail.paidOn, locale),
    payer: detail.payerName ?? t(locale, "console.inbox.payment.unknownPayer"),
    reason: t(locale, `console.inbox.payment.reason.${detail.reason}`),
  });
}

function Facts({ locale, detail }: { locale: Locale; detail: UnappliedPaymentDetail }) {
  const rows: [string, ReactNode][] = [
    [t(locale, "console.inbox.payment.amount"), money(detail.amount, detail.currency, locale)],
    [t(locale, "console.inbox.payment.remaining"), money(detail.remaining, detail.currency, locale)],
    [t(locale, "console.inbox.payment.paidOn"), formatDate(detail.paidOn, locale)],
    [t(locale, "console.inbox.payment.payer"), [detail.payerName, detail.payerAccount].filter(Boolean).join(", ") || t(locale, "console.inbox.payment.unknownPayer")],
    [t(locale, "console.inbox.payment.references"), detail.references.length > 0 ? detail.references.join(", ") : t(locale, "console.inbox.payment.none")],
  ];
  if (detail.freeText) rows.push([t(locale, "console.inbox.payment.freeText"), detail.freeText]);
  rows.push([t(locale, "console.inbox.payment.why"), `${t(locale, `console.inbox.payment.reason.${detail.reason}`)} (${detail.reasonDetail})`]);
  rows.push([t(locale, "console.inbox.payment.state"), t(locale, `console.inbox.payment.stateName.${detail.state}`)]);
  for (const allocation of detail.allocations) {
    rows.push([t(locale, "console.inbox.payment.placed", { number: allocation.invoiceNumber }), money(allocation.amount, detail.currency, locale)]);
  }
  for (const proposal of detail.proposals) {
    rows.push([t(locale, "console.inbox.payment.proposal", { number: proposal.invoiceNumber }), proposal.reason]);
  }
  if (detail.note) rows.push([t(locale, "console.inbox.payment.note"), detail.note]);
  return (
    <dl className="inbox-facts">
      {rows.map(([term, value], index) => (
        <div key={`${index}-${term}`}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function UnappliedPaymentWork(props: { locale: Locale; detail: UnappliedPaymentDetail; record: boolean; failure: PaymentFailure | null }) {
  const { locale, detail, record, failure } = props;
  const proposal = detail.proposals[0];
  const version = <input type="hidden" name="version" value={detail.version} />;
  const note = (id: string) => (
    <div className="field">
      <label htmlFor={id}>{t(locale, "console.inbox.payment.noteLabel")}</label>
      <input id={id} name="note" maxLength={1000} />
    </div>
  );
  return (
    <section aria-labelledby="inbox-payment">
      <h2 id="inbox-payment">{t(locale, "console.inbox.payment.title")}</h2>
      <Facts locale={locale} detail={detail} />
      {failure ? (
        <Notice tone="error">
          {t(locale, failure.error)}
          {failure.problem?.detail ? ` ${failure.problem.detail}` : ""}
          {failure.problem?.errors.map((error) => ` ${error.message}.`).join("")}
        </Notice>
      ) : null}
      {detail.state !== "open" ? null : !record ? (
        <p className="console-notice">{t(locale, "console.inbox.payment.readOnly")}</p>
      ) : (
        <>
          {detail.reason === "overpaid" ? null : (
            <Form method="post" reloadDocument>
              <h3>{t(locale, "console.inbox.payment.allocate")}</h3>
              {version}
              <div className="field">
                <label htmlFor="payment-invoice">{t(locale, "console.inbox.payment.invoice")}</label>
                <span className="field-hint" id="payment-invoice-hint">{t(locale, "console.inbox.payment.invoiceHint")}</span>
                <input id="payment-invoice" name="invoice" required defaultValue={proposal?.invoiceNumber ?? ""} aria-describedby="payment-invoice-hint" />
              </div>
              <div className="field">
                <label htmlFor="payment-amount">{t(locale, "console.inbox.payment.allocateAmount", { currency: detail.currency })}</label>
                <input id="payment-amount" name="amount" inputMode="decimal" required defaultValue={amountInput(detail.remaining, locale)} />
              </div>
              <label>
                <input type="checkbox" name="overpayment" /> {t(locale, "console.inbox.payment.overpayment")}
              </label>
              {note("payment-allocate-note")}
              <Submit intent="allocate">{t(locale, "console.inbox.payment.allocateButton")}</Submit>
            </Form>
          )}
          <Form method="post" reloadDocument>
            <h3>{t(locale, "console.inbox.payment.refund")}</h3>
            <p>{t(locale, "console.inbox.payment.refundHint")}</p>
            {version}
            {note("payment-refund-note")}
            <Submit intent="refund" secondary>{t(locale, "console.inbox.payment.refundButton")}</Submit>
          </Form>
          {detail.reason === "overpaid" ? null : (
            <Form method="post" reloadDocument>
              <h3>{t(locale, "console.inbox.payment.notOurs")}</h3>
              <p>{t(locale, "console.inbox.payment.notOursHint")}</p>
              {version}
              {note("payment-not-ours-note")}
              <Submit intent="not_ours" secondary>{t(locale, "console.inbox.payment.notOursButton")}</Submit>
            </Form>
          )}
        </>
      )}
    </section>
  );
}
