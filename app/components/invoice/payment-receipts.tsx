// The receipt on the page: every payment that arrived, newest first, with date, amount, method,
// reference and receipt number, and what was refunded or reversed since. The newest one thanks the
// payer in one sentence ("Tack — 19 275,00 kr betalt med kort 7 december 2026"), says where its
// email went and links its PDF: the moment after paying.
import type { CurrencyCode } from "~/domain/money";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatDate, intlLocale, methodSentence } from "~/i18n/format";
import type { PortalReceipt } from "~/features/portal/portal-payments.server";

/** "a@x.se och b@y.se" / "a@x.se and b@y.se". */
function addressList(addresses: readonly string[], locale: Locale): string {
  return new Intl.ListFormat(intlLocale(locale), { type: "conjunction" }).format(addresses);
}

export function receiptSentence(receipt: PortalReceipt, currency: CurrencyCode, locale: Locale, thanks: boolean): string {
  return t(locale, thanks ? "receipt.thanks" : "receipt.paid", {
    amount: formatAmount(receipt.amount, currency, locale),
    method: methodSentence(receipt.method, "paidBy", locale),
    date: formatDate(receipt.date, locale),
  });
}

export function PaymentReceipts(props: {
  receipts: readonly PortalReceipt[];
  currency: CurrencyCode;
  locale: Locale;
  /**
   * Where the receipt PDFs are, `/i/<token>/receipts`: each receipt links
   * `<receiptBase>/<id>.pdf?lang=<locale>`. Without it no PDF link is shown.
   */
  receiptBase?: string;
}) {
  const { currency, locale, receiptBase } = props;
  if (props.receipts.length === 0) return null;
  const receipts = [...props.receipts].reverse();
  return (
    <div className="receipts">
      <ul className="receipt-list">
        {receipts.map((receipt, index) => (
          <li key={receipt.id} className="receipt">
            <p className="receipt__summary">
              <strong>{receiptSentence(receipt, currency, locale, index === 0 && !receipt.reversed)}</strong>
            </p>
            {/* The sentence above gives the date, amount and method; these are what to quote. */}
            <dl className="pay">
              <div>
                <dt>{t(locale, "receipt.number")}</dt>
                <dd><code className="copyable">{receipt.number}</code></dd>
              </div>
              <div>
                <dt>{t(locale, "payments.receipts.reference")}</dt>
                <dd><code className="copyable">{receipt.reference}</code></dd>
              </div>
            </dl>
            {receipt.emailedTo.length > 0 && (
              <p className="receipt__note">{t(locale, "receipt.emailedTo", { addresses: addressList(receipt.emailedTo, locale) })}</p>
            )}
            {receiptBase !== undefined && (
              <p className="receipt__note">
                <a href={`${receiptBase}/${encodeURIComponent(receipt.id)}.pdf?lang=${locale}`} download>
                  {t(locale, "receipt.pdfLink")}
                </a>
              </p>
            )}
            {receipt.amountRefunded > 0 && (
              <p className="receipt__note">
                {t(locale, "payments.receipts.refunded", { amount: formatAmount(receipt.amountRefunded, currency, locale) })}
              </p>
            )}
            {receipt.reversed && <p className="receipt__note">{t(locale, "payments.receipts.reversed")}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}
