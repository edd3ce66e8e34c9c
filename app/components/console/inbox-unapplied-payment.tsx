// An unmatched bank payment on its inbox page: what the bank said, why it waits, what is left, and
// the clerk's three ways to settle it (place on one or several invoices, to be paid back, not
// ours). Each form sends the payment's version back, so a form read before someone else's change
// books nothing. The invoice rows work without JavaScript: "more rows" posts the form back and it
// returns with the rows typed so far and five more.
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatAmount, formatDate } from "~/i18n/format";
import { isSupportedCurrency } from "~/domain/money";
import type { UnappliedPaymentDetail } from "~/features/inbox/sources/source";
import type { AllocationDraft, AllocationRow } from "~/features/inbox/unapplied-payment-actions.server";
import { Submit } from "./console-form";

export type PaymentFailure = {
  error: MessageKey | null;
  problem: { detail: string | null; errors: { field: string; message: string }[] } | null;
  draft: AllocationDraft | null;
};

/** Blank rows the form starts with (the first filled from a proposal and what is left). */
const FIRST_ROWS = 5;

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

/**
 * The payment's forms post to the item with this fragment: a refused or extended form comes back
 * scrolled to its notice and rows (on a phone they are a screen below the payment's facts).
 */
const WORK_ID = "payment-work";
const LAND = `#${WORK_ID}`;

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
      <div id={WORK_ID}>
        {failure?.error ? <FailureNotice locale={locale} failure={failure} currency={detail.currency} /> : null}
        {detail.state !== "open" ? null : !record ? (
          <p className="console-notice">{t(locale, "console.inbox.payment.readOnly")}</p>
        ) : (
          <>
            {detail.reason === "overpaid" ? null : (
              <AllocationForm locale={locale} detail={detail} draft={failure?.draft ?? null} version={version} note={note("payment-allocate-note")} firstInvoice={proposal?.invoiceNumber ?? ""} />
            )}
            <Form method="post" action={LAND} reloadDocument>
              <h3>{t(locale, "console.inbox.payment.refund")}</h3>
              <p>{t(locale, "console.inbox.payment.refundHint")}</p>
              {version}
              {note("payment-refund-note")}
              <Submit intent="refund" secondary>{t(locale, "console.inbox.payment.refundButton")}</Submit>
            </Form>
            {detail.reason === "overpaid" ? null : (
              <Form method="post" action={LAND} reloadDocument>
                <h3>{t(locale, "console.inbox.payment.notOurs")}</h3>
                <p>{t(locale, "console.inbox.payment.notOursHint")}</p>
                {version}
                {note("payment-not-ours-note")}
                <Submit intent="not_ours" secondary>{t(locale, "console.inbox.payment.notOursButton")}</Submit>
              </Form>
            )}
          </>
        )}
      </div>
    </section>
  );
}

/** Row `n` (0-based) of a part the use case refused, from its field (`parts[2].invoice_id`). */
function rowOfPart(field: string, draft: AllocationDraft | null): number | undefined {
  const part = /^parts\[(\d+)\]/.exec(field)?.[1];
  return part === undefined ? undefined : draft?.partRows[Number(part)];
}

function FailureNotice({ locale, failure, currency }: { locale: Locale; failure: PaymentFailure; currency: string }) {
  const draft = failure.draft;
  const params = draft ? { total: money(draft.total, currency, locale), remaining: money(draft.remaining, currency, locale) } : undefined;
  return (
    <div className="console-notice console-notice--error" role="alert">
      <p>
        {t(locale, failure.error!, params)}
        {failure.problem?.detail ? ` ${failure.problem.detail}` : ""}
      </p>
      {failure.problem && failure.problem.errors.length > 0 ? (
        <ul>
          {failure.problem.errors.map((error, index) => {
            const row = rowOfPart(error.field, draft);
            return (
              <li key={index}>{row === undefined ? error.message : t(locale, "console.inbox.payment.rowProblem", { n: row + 1, message: error.message })}</li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

/** The rows to show: the clerk's own after a post, else the proposal's invoice with what is left, then blanks. */
function startRows(detail: UnappliedPaymentDetail, firstInvoice: string, locale: Locale): AllocationRow[] {
  const blank = { invoice: "", amount: "", overpayment: false };
  return [{ invoice: firstInvoice, amount: amountInput(detail.remaining, locale), overpayment: false }, ...Array.from({ length: FIRST_ROWS - 1 }, () => blank)];
}

function AllocationForm(props: { locale: Locale; detail: UnappliedPaymentDetail; draft: AllocationDraft | null; version: ReactNode; note: ReactNode; firstInvoice: string }) {
  const { locale, detail, draft, version, note, firstInvoice } = props;
  const rows = draft?.rows ?? startRows(detail, firstInvoice, locale);
  const errorOf = (row: number, kind: "invoice" | "amount") => draft?.rowErrors.some((e) => e.row === row && e.error === kind) ?? false;
  const errorText = (row: number, kind: "invoice" | "amount") =>
    errorOf(row, kind) ? (
      <span className="field-error" id={`payment-${kind}-${row}-error`}>
        {t(locale, kind === "invoice" ? "console.inbox.payment.rowInvoice" : "console.inbox.payment.rowAmount")}
      </span>
    ) : null;
  return (
    <Form method="post" action={LAND} reloadDocument>
      <h3>{t(locale, "console.inbox.payment.allocate")}</h3>
      <p>{t(locale, "console.inbox.payment.allocateRowsHint")}</p>
      {version}
      {rows.map((row, index) => (
        <fieldset key={index} className="allocation-row">
          <legend>{t(locale, "console.inbox.payment.row", { n: index + 1 })}</legend>
          <div className="field">
            <label htmlFor={`payment-invoice-${index}`}>{t(locale, "console.inbox.payment.invoice")}</label>
            {index === 0 && !draft ? <span className="field-hint" id="payment-invoice-hint">{t(locale, "console.inbox.payment.invoiceHint")}</span> : null}
            <input
              id={`payment-invoice-${index}`} name="invoice" defaultValue={row.invoice}
              aria-invalid={errorOf(index, "invoice") || undefined}
              aria-describedby={errorOf(index, "invoice") ? `payment-invoice-${index}-error` : index === 0 && !draft ? "payment-invoice-hint" : undefined}
            />
            {errorText(index, "invoice")}
          </div>
          <div className="field">
            <label htmlFor={`payment-amount-${index}`}>{t(locale, "console.inbox.payment.allocateAmount", { currency: detail.currency })}</label>
            <input
              id={`payment-amount-${index}`} name="amount" inputMode="decimal" defaultValue={row.amount}
              aria-invalid={errorOf(index, "amount") || undefined} aria-describedby={errorOf(index, "amount") ? `payment-amount-${index}-error` : undefined}
            />
            {errorText(index, "amount")}
          </div>
          <label>
            <input type="checkbox" name="overpayment" value={String(index)} defaultChecked={row.overpayment} /> {t(locale, "console.inbox.payment.overpayment")}
          </label>
        </fieldset>
      ))}
      {draft ? (
        <p>
          {t(locale, "console.inbox.payment.rowsTotal", {
            total: money(draft.total, detail.currency, locale),
            left: money(draft.remaining - draft.total, detail.currency, locale),
          })}
        </p>
      ) : null}
      {note}
      {/* The first button is the one Enter presses: placing, not adding rows. */}
      <Submit intent="allocate">{t(locale, "console.inbox.payment.allocateButton")}</Submit>{" "}
      <Submit intent="allocate_more" secondary>{t(locale, "console.inbox.payment.moreRows")}</Submit>
    </Form>
  );
}
