import { formatIban } from "~/domain/identifiers";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatDate } from "~/i18n/format";
import type { PaymentInstructions } from "~/services/payment-instructions.server";
import type { PortalPage } from "~/services/portal.server";

type Page = Pick<PortalPage, "invoice" | "payment" | "supplier" | "status" | "instructions" | "phone">;

/**
 * How to pay: bank transfer with the OCR reference, IBAN with the RF reference, Swish and the bank
 * apps' QR codes. Complete without JavaScript: values are plain text the payer selects with one tap
 * (`.copyable`), and every QR image has an alt text that carries the same data.
 * `qrBase` is where the page's QR images live (`/i/<token>/qr`); without it no image is shown.
 */
export function PaymentDetails(props: { page: Page; locale: Locale; qrBase?: string }) {
  const { invoice, payment, supplier, status, instructions } = props.page;
  const { locale } = props;
  const domestic = payment.bankgiro !== null || payment.plusgiro !== null;
  const swish = instructions?.swish ?? null;
  let body: React.ReactNode;
  if (status.kind === "cancelled") {
    body = <p>{t(locale, "portal.pay.cancelled")}</p>;
  } else if (invoice.amountDue === 0) {
    body = <p>{t(locale, "portal.pay.nothingDue")}</p>;
  } else if (!domestic && payment.iban === null && swish === null) {
    body = <p>{t(locale, "portal.pay.noDetails", { supplier: supplier.name })}</p>;
  } else {
    const amount = formatAmount(invoice.amountDue, invoice.currency, locale);
    const qr = (kind: "swish" | "uqr" | "epc") => (props.qrBase ? `${props.qrBase}/${kind}.svg` : undefined);
    const swishSection = swish && <SwishPayment swish={swish} amount={amount} phone={props.page.phone === true} src={qr("swish")} locale={locale} />;
    const headed = swish !== null;
    body = (
      <>
        {/* A phone has the Swish app: offer it first there; at a desk the bank's options come first. */}
        {props.page.phone && swishSection}
        {domestic && (
          <>
            {headed && <h3>{t(locale, "pay.bank.heading")}</h3>}
            <dl className="pay">
              {payment.bankgiro !== null && (
                <Detail term={t(locale, "portal.pay.bankgiro")} value={payment.bankgiro} copyable />
              )}
              {payment.plusgiro !== null && (
                <Detail term={t(locale, "portal.pay.plusgiro")} value={payment.plusgiro} copyable />
              )}
              <Detail term={t(locale, "portal.pay.ocr")} value={invoice.ocr} copyable />
              <Detail term={t(locale, "portal.pay.amount")} value={amount} />
            </dl>
            <p className="hint">{t(locale, "portal.pay.ocrHint")}</p>
            {instructions?.uqr && (
              <QrFigure
                src={qr("uqr")}
                alt={uqrAlt(instructions, amount, locale)}
                caption={t(locale, "pay.uqr.hint")}
              />
            )}
          </>
        )}
        {!props.page.phone && swishSection}
        {payment.iban !== null && (
          <>
            {(domestic || headed) && <h3>{t(locale, "portal.pay.international")}</h3>}
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
  return (
    <section className="payment" aria-labelledby="pay-heading">
      <h2 id="pay-heading">{t(locale, "portal.pay.heading")}</h2>
      {body}
    </section>
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
