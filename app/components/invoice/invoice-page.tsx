import { t, type Locale } from "~/i18n";
import { PortalHeader } from "~/components/portal-header";
import { formatAmount, formatDate } from "~/i18n/format";
import type { PortalPage } from "~/features/portal/portal.server";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PayerPanel } from "~/features/portal/payer-panel.server";
import { brandTone } from "./brand";
import { Contacts } from "./contacts";
import { Deliveries } from "./deliveries";
import { ActionNotice, PayerActions } from "./payer-actions";
import { Timeline } from "./timeline";
import { InvoiceLines } from "./invoice-lines";
import { InvoiceTotals } from "./invoice-totals";
import { PaymentDetails } from "./payment-details";
import { PaymentReceipts } from "./payment-receipts";
import { PaymentStatusNotice } from "./payment-status";
import { InvoiceStatusBadge } from "./status";

function DateText({ date, locale }: { date: string; locale: Locale }) {
  return <time dateTime={date}>{formatDate(date, locale)}</time>;
}

function SupplierContact({ supplier, locale }: { supplier: PortalPage["supplier"]; locale: Locale }) {
  const { contactEmail, contactPhone } = supplier;
  if (!contactEmail && !contactPhone) return null;
  return (
    <section className="supplier-contact" aria-labelledby="supplier-contact-heading">
      <h2 id="supplier-contact-heading">{t(locale, "portal.contact.heading")}</h2>
      <p>{t(locale, "portal.contact.lead", { supplier: supplier.name })}</p>
      <dl className="supplier-contact__list">
        {contactEmail && (
          <div>
            <dt>{t(locale, "portal.contact.email")}</dt>
            <dd><a href={`mailto:${contactEmail}`}>{contactEmail}</a></dd>
          </div>
        )}
        {contactPhone && (
          <div>
            <dt>{t(locale, "portal.contact.phone")}</dt>
            <dd><a href={`tel:${contactPhone.replace(/[^\d+]/g, "")}`}>{contactPhone}</a></dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/**
 * The payer's view of one invoice. Server-rendered and complete without JavaScript; the language
 * switch is a plain link that keeps the token path (a relative "?lang=" URL). With a panel, the
 * payer can also act on it: confirm or report a problem, decide deliveries, correct contacts.
 *
 * Ordered for the payer's job: what to pay and by when, then the ways to pay (or, once paid, the
 * receipt) within the first phone screen; the invoice's details and the other actions below.
 */
export function InvoicePage({
  page, panel, actionData, qrBase, pdfHref, calendarHref, receiptBase,
}: {
  page: PortalPage;
  panel?: PayerPanel;
  actionData?: PayerActionData;
  qrBase?: string;
  pdfHref?: string;
  /** The due date as an .ics download (`/i/<token>/due-date.ics?lang=…`). */
  calendarHref?: string;
  /** Where the receipt PDFs are (`/i/<token>/receipts`); without it no PDF link is shown. */
  receiptBase?: string;
}) {
  const { locale, supplier, customer, invoice, status } = page;
  const tone = `brand--${brandTone(supplier.brandColor)}`;
  const receipts = page.pay?.receipts ?? [];
  const settled = invoice.amountDue === 0 && status.kind !== "cancelled";
  const paymentDetails = <PaymentDetails page={page} locale={locale} qrBase={qrBase} panel={panel} actionData={actionData} />;
  const paymentReceipts = receipts.length > 0 && (
    <section className="receipt-summary" id="receipt" aria-labelledby="receipt-heading">
      <h2 id="receipt-heading">{t(locale, "portal.receipt.heading")}</h2>
      <PaymentReceipts receipts={receipts} currency={invoice.currency} locale={locale} receiptBase={receiptBase} />
    </section>
  );
  return (
    <>
      <PortalHeader supplier={supplier} tone={tone} locale={locale} />
      <main className={`page portal ${tone}`}>
        <h1>{t(locale, "portal.heading", { number: invoice.number })}</h1>
        <InvoiceStatusBadge
          status={status}
          locale={locale}
          currency={invoice.currency}
          pending={{ processing: page.pay?.processing, reported: page.pay?.reported !== null && page.pay?.reported !== undefined }}
        />
        {panel && <ActionNotice panel={panel} supplier={supplier.name} locale={locale} />}
        {page.pay && (
          <PaymentStatusNotice pay={page.pay} currency={invoice.currency} supplier={supplier.name} locale={locale} panel={panel} actionData={actionData} />
        )}

        <section className="summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading" className="visually-hidden">{t(locale, "portal.summary.heading")}</h2>
          <dl>
            <div className="summary__due">
              <dt>{t(locale, "portal.amountDue")}</dt>
              <dd>{formatAmount(invoice.amountDue, invoice.currency, locale)}</dd>
            </div>
            <div>
              <dt>{t(locale, "portal.dueDate")}</dt>
              <dd><DateText date={invoice.dueDate} locale={locale} /></dd>
            </div>
          </dl>
          {calendarHref && !settled && status.kind !== "cancelled" && (
            <p className="summary__calendar">
              <a href={calendarHref} type="text/calendar" download>{t(locale, "portal.calendar.add")}</a>
            </p>
          )}
          {/* Paying is the main thing to do here: one tap from the top to the ways to pay. */}
          {invoice.amountDue > 0 && status.kind !== "cancelled" && !page.pay?.processing && (
            <p className="summary__pay">
              <a className="button button--pay" href="#pay">{t(locale, "portal.summary.pay")}</a>
            </p>
          )}
        </section>

        {/* Paid: the receipt first, then the (short) payment section; otherwise the ways to pay first. */}
        {settled ? (
          <>
            {paymentReceipts}
            {paymentDetails}
          </>
        ) : (
          <>
            {paymentDetails}
            {paymentReceipts}
          </>
        )}
        <SupplierContact supplier={supplier} locale={locale} />

        <dl className="facts">
          <div>
            <dt>{t(locale, "portal.from")}</dt>
            <dd>
              {supplier.name}
              {supplier.orgNumber && <span className="facts__extra">{t(locale, "portal.orgNumber")} {supplier.orgNumber}</span>}
              {supplier.vatNumber && <span className="facts__extra">{t(locale, "portal.vatNumber")} {supplier.vatNumber}</span>}
            </dd>
          </div>
          <div>
            <dt>{t(locale, "portal.to")}</dt>
            <dd>{customer.name}</dd>
          </div>
          <div>
            <dt>{t(locale, "portal.invoiceNumber")}</dt>
            <dd>{invoice.number}</dd>
          </div>
          <div>
            <dt>{t(locale, "portal.issueDate")}</dt>
            <dd><DateText date={invoice.issueDate} locale={locale} /></dd>
          </div>
          <div>
            <dt>{t(locale, "portal.dueDate")}</dt>
            <dd><DateText date={invoice.dueDate} locale={locale} /></dd>
          </div>
        </dl>

        <InvoiceLines lines={page.lines} currency={invoice.currency} locale={locale} />
        <InvoiceTotals page={page} locale={locale} />
        {/* A plain link (no JavaScript): the PDF comes as a download in the page's language. */}
        {pdfHref && (
          <p className="download">
            <a className="button button--secondary" href={pdfHref} type="application/pdf" download>
              {t(locale, "portal.download.pdf")}
            </a>
          </p>
        )}
        {panel && <PayerActions panel={panel} lines={page.lines} supplier={supplier.name} locale={locale} actionData={actionData} settled={settled} />}
        {panel && <Deliveries panel={panel} lines={page.lines} supplier={supplier.name} locale={locale} actionData={actionData} />}
        {panel && (
          <Contacts
            contacts={panel.contacts}
            submissionIds={panel.submissionIds}
            confirmedOn={customer.contactsConfirmedOn}
            supplier={supplier.name}
            locale={locale}
            actionData={actionData}
          />
        )}
        {panel && <Timeline items={panel.timeline} supplier={supplier.name} locale={locale} />}
      </main>
    </>
  );
}
