import { formatIban } from "~/domain/identifiers";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatDate } from "~/i18n/format";
import type { PayerActionData } from "~/services/form-action.server";
import type { PayerPanel } from "~/services/payer-panel.server";
import type { PaymentInstructions } from "~/services/payment-instructions.server";
import type { PortalPage } from "~/services/portal.server";
import type { PayOption, PortalPayments } from "~/services/portal-payments.server";
import { CheckoutButton } from "./payment-checkout";
import { PaymentReceipts } from "./payment-receipts";
import { PaymentReportForm } from "./payment-report";

type Page = Pick<PortalPage, "invoice" | "payment" | "supplier" | "status" | "instructions" | "phone" | "pay">;

/** Without the ledger's view (older callers, previews): the bank and Swish details the page has. */
function fallbackPayments(page: Page): PortalPayments {
  const bank = page.payment.bankgiro !== null || page.payment.plusgiro !== null || page.payment.iban !== null;
  const swish: PayOption | null = page.instructions?.swish ? "swish_qr" : null;
  const options = (page.phone ? [swish, bank ? "bank_transfer" : null] : [bank ? "bank_transfer" : null, swish]).filter(
    (option): option is PayOption => option !== null,
  );
  return { options, bankQr: true, receipts: [], processing: false, failedAttempt: null, reported: null, today: page.invoice.issueDate };
}

/**
 * How to pay: card or Swish through the supplier's provider (a button to its hosted page), bank
 * transfer with the OCR reference, IBAN with the RF reference, Swish and the bank apps' QR codes,
 * in the order that suits the device; then "I have paid" and the receipts. Complete without
 * JavaScript: values are plain text the payer selects with one tap (`.copyable`), and every QR
 * image has an alt text that carries the same data.
 * `qrBase` is where the page's QR images live (`/i/<token>/qr`); without it no image is shown.
 */
export function PaymentDetails(props: {
  page: Page;
  locale: Locale;
  qrBase?: string;
  panel?: PayerPanel;
  actionData?: PayerActionData;
}) {
  const { invoice, payment, supplier, status, instructions } = props.page;
  const { locale, panel } = props;
  const pay = props.page.pay ?? fallbackPayments(props.page);
  // The pay buttons are forms with a one-time id: only where the page has the payer's panel.
  const options = pay.options.filter((option) => panel !== undefined || (option !== "card" && option !== "swish_checkout"));
  let body: React.ReactNode;
  if (status.kind === "cancelled") {
    body = <p>{t(locale, "portal.pay.cancelled")}</p>;
  } else if (invoice.amountDue === 0) {
    body = <p>{t(locale, "portal.pay.nothingDue")}</p>;
  } else if (options.length === 0) {
    body = <p>{t(locale, "portal.pay.noDetails", { supplier: supplier.name })}</p>;
  } else {
    const amount = formatAmount(invoice.amountDue, invoice.currency, locale);
    const qr = (kind: "swish" | "uqr" | "epc") => (props.qrBase && (kind === "swish" || pay.bankQr) ? `${props.qrBase}/${kind}.svg` : undefined);
    const headed = options.length > 1;
    const section = (option: PayOption) => {
      switch (option) {
        case "card":
        case "swish_checkout": {
          const method = option === "card" ? "card" : "swish";
          return (
            <div key={option} className={`pay-option pay-option--${method}`}>
              {headed && <h3>{t(locale, method === "card" ? "payments.method.card" : "pay.swish.heading")}</h3>}
              <CheckoutButton method={method} panel={panel!} actionData={props.actionData} locale={locale} />
              <p className="hint">{t(locale, method === "card" ? "payments.card.hint" : "payments.swish.hint")}</p>
            </div>
          );
        }
        case "swish_qr":
          return instructions?.swish ? (
            <div key={option} className="pay-option pay-option--swish">
              <SwishPayment swish={instructions.swish} amount={amount} phone={props.page.phone === true} src={qr("swish")} locale={locale} />
            </div>
          ) : null;
        case "bank_transfer":
          return (
            <div key={option} className="pay-option pay-option--bank">
              <BankTransfer page={props.page} amount={amount} headed={headed} qr={qr} locale={locale} />
            </div>
          );
      }
    };
    const reportable = options.includes("bank_transfer") || options.includes("swish_qr");
    const swishFirst = options[0] === "swish_qr";
    body = (
      <>
        {options.map(section)}
        {(payment.bankgiro !== null || payment.plusgiro !== null || payment.iban !== null || options.includes("swish_qr")) && (
          <p className="hint copy-hint">{t(locale, "payments.copyHint")}</p>
        )}
        {panel && reportable && (
          <PaymentReportForm
            panel={panel}
            actionData={props.actionData}
            locale={locale}
            supplier={supplier.name}
            amountDue={invoice.amountDue}
            currency={invoice.currency}
            issueDate={invoice.issueDate}
            today={pay.today}
            defaultMethod={swishFirst ? "swish" : "bank_transfer"}
          />
        )}
      </>
    );
  }
  return (
    <section id="pay" className="payment" aria-labelledby="pay-heading">
      <h2 id="pay-heading">{t(locale, "portal.pay.heading")}</h2>
      {body}
      <PaymentReceipts receipts={pay.receipts} currency={invoice.currency} locale={locale} />
    </section>
  );
}

/** Bankgiro/Plusgiro with the OCR reference and the invoice QR; IBAN with the RF reference and the EPC QR. */
function BankTransfer(props: {
  page: Page;
  amount: string;
  headed: boolean;
  qr: (kind: "uqr" | "epc") => string | undefined;
  locale: Locale;
}) {
  const { invoice, payment, supplier, instructions } = props.page;
  const { amount, locale, qr } = props;
  const domestic = payment.bankgiro !== null || payment.plusgiro !== null;
  return (
    <>
      {domestic && (
        <>
          {props.headed && <h3>{t(locale, "pay.bank.heading")}</h3>}
          <dl className="pay">
            {payment.bankgiro !== null && <Detail term={t(locale, "portal.pay.bankgiro")} value={payment.bankgiro} copyable />}
            {payment.plusgiro !== null && <Detail term={t(locale, "portal.pay.plusgiro")} value={payment.plusgiro} copyable />}
            <Detail term={t(locale, "portal.pay.ocr")} value={invoice.ocr} copyable />
            <Detail term={t(locale, "portal.pay.amount")} value={amount} />
          </dl>
          <p className="hint">{t(locale, "portal.pay.ocrHint")}</p>
          {instructions?.uqr && (
            <QrFigure src={qr("uqr")} alt={uqrAlt(instructions, amount, locale)} caption={t(locale, "pay.uqr.hint")} />
          )}
        </>
      )}
      {payment.iban !== null && (
        <>
          {(domestic || props.headed) && <h3>{t(locale, "portal.pay.international")}</h3>}
          <dl className="pay">
            <Detail term={t(locale, "portal.pay.iban")} value={formatIban(payment.iban)} copyable />
            {payment.bic !== null && <Detail term={t(locale, "portal.pay.bic")} value={payment.bic} copyable />}
            {/* The RF reference travels through foreign banks intact; an OCR number may not. */}
            <Detail term={t(locale, instructions?.rfPrinted ? "pay.rf" : "portal.pay.reference")} value={instructions?.rfPrinted ?? invoice.ocr} copyable />
            {!domestic && <Detail term={t(locale, "portal.pay.amount")} value={amount} />}
          </dl>
          {instructions?.rfPrinted && <p className="hint">{t(locale, "pay.rfHint")}</p>}
          {instructions?.epc && (
            <QrFigure
              src={qr("epc")}
              alt={t(locale, "pay.epc.alt", {
                amount,
                name: supplier.name,
                iban: formatIban(payment.iban),
                reference: instructions.rfPrinted ?? invoice.number,
              })}
              caption={t(locale, "pay.epc.hint")}
            />
          )}
        </>
      )}
    </>
  );
}

function uqrAlt(instructions: PaymentInstructions, amount: string, locale: Locale): string {
  const uqr = instructions.uqr!;
  const accountName = { BG: "portal.pay.bankgiro", PG: "portal.pay.plusgiro", IBAN: "portal.pay.iban", BBAN: "portal.pay.iban" } as const;
  const account = uqr.paymentType === "IBAN" ? formatIban(uqr.account) : uqr.account;
  return t(locale, "pay.uqr.alt", {
    amount,
    account: `${t(locale, accountName[uqr.paymentType])} ${account}`,
    ocr: instructions.ocr,
    date: formatDate(instructions.dueDate, locale),
  });
}

function SwishPayment(props: {
  swish: NonNullable<PaymentInstructions["swish"]>;
  amount: string;
  phone: boolean;
  src: string | undefined;
  locale: Locale;
}) {
  const { swish, amount, locale } = props;
  return (
    <>
      <h3>{t(locale, "pay.swish.heading")}</h3>
      {props.phone && (
        <p>
          {/* UNCONFIRMED deep link (see swishAppLink): the number to type stays right below it. */}
          <a className="button" href={swish.appLink} rel="noreferrer">
            {t(locale, "pay.swish.open")}
          </a>
        </p>
      )}
      <dl className="pay">
        <Detail term={t(locale, "pay.swish.number")} value={swish.numberPrinted} copyable />
        <Detail term={t(locale, "pay.swish.message")} value={swish.message} copyable />
        <Detail term={t(locale, "portal.pay.amount")} value={amount} />
      </dl>
      <p className="hint">{t(locale, props.phone ? "pay.swish.typeHint" : "pay.swish.scanHint")}</p>
      <QrFigure
        src={props.src}
        alt={t(locale, "pay.swish.alt", { amount, number: swish.numberPrinted, message: swish.message })}
      />
    </>
  );
}

function QrFigure(props: { src: string | undefined; alt: string; caption?: string }) {
  if (!props.src) return null;
  return (
    <figure className="qr">
      {/* The SVG scales; width and height keep the layout still while it loads. */}
      <img src={props.src} alt={props.alt} width={192} height={192} loading="lazy" decoding="async" />
      {props.caption && <figcaption className="hint">{props.caption}</figcaption>}
    </figure>
  );
}

function Detail(props: { term: string; value: string; copyable?: boolean }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd>{props.copyable ? <code className="copyable">{props.value}</code> : props.value}</dd>
    </div>
  );
}
