import { formatIban } from "~/domain/identifiers";
import { t, type Locale } from "~/i18n";
import { formatAmount } from "~/i18n/format";
import type { PortalPage } from "~/services/portal.server";

/** Bank transfer details with the OCR reference; QR codes and card payment come later. */
export function PaymentDetails(props: { page: Pick<PortalPage, "invoice" | "payment" | "supplier" | "status">; locale: Locale }) {
  const { invoice, payment, supplier, status } = props.page;
  const { locale } = props;
  const domestic = payment.bankgiro !== null || payment.plusgiro !== null;
  let body: React.ReactNode;
  if (status.kind === "cancelled") {
    body = <p>{t(locale, "portal.pay.cancelled")}</p>;
  } else if (invoice.amountDue === 0) {
    body = <p>{t(locale, "portal.pay.nothingDue")}</p>;
  } else if (!domestic && payment.iban === null) {
    body = <p>{t(locale, "portal.pay.noDetails", { supplier: supplier.name })}</p>;
  } else {
    const amount = formatAmount(invoice.amountDue, invoice.currency, locale);
    body = (
      <>
        {domestic && (
          <>
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
          </>
        )}
        {payment.iban !== null && (
          <>
            {domestic && <h3>{t(locale, "portal.pay.international")}</h3>}
            <dl className="pay">
              <Detail term={t(locale, "portal.pay.iban")} value={formatIban(payment.iban)} copyable />
              {payment.bic !== null && <Detail term={t(locale, "portal.pay.bic")} value={payment.bic} copyable />}
              <Detail term={t(locale, "portal.pay.reference")} value={invoice.ocr} copyable />
              {!domestic && <Detail term={t(locale, "portal.pay.amount")} value={amount} />}
            </dl>
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

function Detail(props: { term: string; value: string; copyable?: boolean }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd className={props.copyable ? "copyable" : undefined}>{props.value}</dd>
    </div>
  );
}
