import { formatIban } from "~/domain/identifiers";
import { describeOption, pageOptions, PAYMENT_OPTIONS, type PayOption } from "~/domain/payment-methods";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatDate, methodSentence } from "~/i18n/format";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PayerPanel } from "~/features/portal/payer-panel.server";
import type { PaymentInstructions } from "~/features/payments/payment-instructions.server";
import type { PortalPage } from "~/features/portal/portal.server";
import type { PortalPayments } from "~/features/portal/portal-payments.server";
import { CopyButtonsScript } from "./copy-buttons";
import { CheckoutButton } from "./payment-checkout";
import { typedAmount } from "./payment-report";
import { PaymentReportForm } from "./payment-report";

type Page = Pick<PortalPage, "invoice" | "payment" | "supplier" | "status" | "instructions" | "phone" | "pay">;

/** Without the ledger's view (older callers, previews): the bank and Swish details the page has. */
function fallbackPayments(page: Page): PortalPayments {
  const bank = page.payment.bankgiro !== null || page.payment.plusgiro !== null || page.payment.iban !== null;
  const options = pageOptions({
    switchedOn: PAYMENT_OPTIONS,
    currency: page.invoice.currency,
    accountMethods: [],
    qrCodes: page.instructions?.swish ? ["swish"] : [],
    hasBankDetails: bank,
    phone: page.phone === true,
  });
  return { options, bankQr: true, receipts: [], processing: false, failedAttempt: null, reported: null, today: page.invoice.issueDate };
}

/**
 * How to pay: card or Swish through the supplier's provider (a button to its hosted page), bank
 * transfer with the OCR reference, IBAN with the RF reference, Swish and the bank apps' QR codes,
 * in the order that suits the device; then "I have paid" (the receipts are the page's). Complete without
 * JavaScript: values are plain text the payer selects with one tap (`.copyable`; a small script
 * adds copy buttons where it runs), and every QR image has an alt text that carries the same data.
 * `qrBase` is where the page's QR images live (`/i/<token>/qr`); without it no image is shown.
 */
export function PaymentDetails(props: {
  page: Page;
  locale: Locale;
  qrBase?: string;
  panel?: PayerPanel;
  actionData?: PayerActionData;
}) {
  const { invoice, supplier, status, instructions } = props.page;
  const { locale, panel } = props;
  const pay = props.page.pay ?? fallbackPayments(props.page);
  // The pay buttons are forms with a one-time id: only where the page has the payer's panel.
  const options = pay.options.filter((option) => panel !== undefined || describeOption(option).via !== "checkout");
  let body: React.ReactNode;
  let copyable = false;
  if (status.kind === "cancelled") {
    body = <p>{t(locale, "portal.pay.cancelled")}</p>;
  } else if (invoice.amountDue === 0) {
    body = <p>{t(locale, "portal.pay.nothingDue")}</p>;
  } else if (options.length === 0) {
    body = <p>{t(locale, "portal.pay.noDetails", { supplier: supplier.name })}</p>;
  } else {
    const amount: Amount = {
      text: formatAmount(invoice.amountDue, invoice.currency, locale),
      typed: typedAmount(invoice.amountDue, invoice.currency, locale),
    };
    // The hint on copying sits under the first values to copy, not at the end of the section.
    const firstCopyable = options.find((option) => option === "swish_qr" || option === "bank_transfer");
    const qr = (kind: "swish" | "uqr" | "epc") => (props.qrBase && (kind === "swish" || pay.bankQr) ? `${props.qrBase}/${kind}.svg` : undefined);
    const headed = options.length > 1;
    const section = (option: PayOption) => {
      const described = describeOption(option);
      if (described.via === "checkout") {
        const { method } = described;
        return (
          <div key={option} className={`pay-option pay-option--${method}`}>
            {headed && <h3>{methodSentence(method, "heading", locale)}</h3>}
            <CheckoutButton method={method} panel={panel!} actionData={props.actionData} locale={locale} />
            <p className="hint">{methodSentence(method, "hint", locale)}</p>
          </div>
        );
      }
      // The one QR code of a method of its own is Swish's.
      if (described.via === "qr") {
        return instructions?.swish ? (
          <div key={option} className="pay-option pay-option--swish">
            <SwishPayment
              swish={instructions.swish}
              amount={amount}
              phone={props.page.phone === true}
              src={qr("swish")}
              copyHint={firstCopyable === option}
              locale={locale}
            />
          </div>
        ) : null;
      }
      return (
        <div key={option} className="pay-option pay-option--bank">
          <BankTransfer page={props.page} amount={amount} headed={headed} qr={qr} copyHint={firstCopyable === option} locale={locale} />
        </div>
      );
    };
    const reportable = options.includes("bank_transfer") || options.includes("swish_qr");
    copyable = firstCopyable !== undefined;
    const swishFirst = options[0] === "swish_qr";
    body = (
      <>
        {options.map(section)}
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
      {copyable && <CopyButtonsScript locale={locale} />}
    </section>
  );
}

/** Bankgiro/Plusgiro with the OCR reference and the invoice QR; IBAN with the RF reference and the EPC QR. */
/** The amount as shown, and as typed into a bank app (what its copy button copies). */
type Amount = { text: string; typed: string };

function CopyHint({ locale }: { locale: Locale }) {
  return <p className="hint copy-hint">{t(locale, "payments.copyHint")}</p>;
}

function BankTransfer(props: {
  page: Page;
  amount: Amount;
  headed: boolean;
  qr: (kind: "uqr" | "epc") => string | undefined;
  copyHint: boolean;
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
            <Detail term={t(locale, "portal.pay.amount")} value={amount.text} copyable copy={amount.typed} />
          </dl>
          <p className="hint">{t(locale, "portal.pay.ocrHint")}</p>
          {props.copyHint && <CopyHint locale={locale} />}
          {instructions?.uqr && (
            <QrFigure src={qr("uqr")} alt={uqrAlt(instructions, amount.text, locale)} caption={t(locale, "pay.uqr.hint")} />
          )}
        </>
      )}
      {payment.iban !== null && (
        <>
          {(domestic || props.headed) && <h3>{t(locale, "portal.pay.international")}</h3>}
          <dl className="pay">
            <Detail term={t(locale, "portal.pay.iban")} value={formatIban(payment.iban)} copyable copy={payment.iban} />
            {payment.bic !== null && <Detail term={t(locale, "portal.pay.bic")} value={payment.bic} copyable />}
            {/* The RF reference travels through foreign banks intact; an OCR number may not. */}
            <Detail term={t(locale, instructions?.rfPrinted ? "pay.rf" : "portal.pay.reference")} value={instructions?.rfPrinted ?? invoice.ocr} copyable />
            {!domestic && <Detail term={t(locale, "portal.pay.amount")} value={amount.text} copyable copy={amount.typed} />}
          </dl>
          {instructions?.rfPrinted && <p className="hint">{t(locale, "pay.rfHint")}</p>}
          {props.copyHint && !domestic && <CopyHint locale={locale} />}
          {instructions?.epc && (
            <QrFigure
              src={qr("epc")}
              alt={t(locale, "pay.epc.alt", {
                amount: amount.text,
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
  amount: Amount;
  phone: boolean;
  src: string | undefined;
  copyHint: boolean;
  locale: Locale;
}) {
  const { swish, locale } = props;
  const amount = props.amount.text;
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
        <Detail term={t(locale, "portal.pay.amount")} value={amount} copyable copy={props.amount.typed} />
      </dl>
      <p className="hint">{t(locale, props.phone ? "pay.swish.typeHint" : "pay.swish.scanHint")}</p>
      {props.copyHint && <CopyHint locale={locale} />}
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

/** One value to pay with; a copyable one in its own box, `copy` being what a bank app wants typed. */
function Detail(props: { term: string; value: string; copyable?: boolean; copy?: string }) {
  return (
    <div className={props.copyable ? "pay__copy" : undefined}>
      <dt>{props.term}</dt>
      <dd>{props.copyable ? <code className="copyable" data-copy={props.copy}>{props.value}</code> : props.value}</dd>
    </div>
  );
}
