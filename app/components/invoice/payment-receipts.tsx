// The receipt on the page: every payment that arrived, with date, amount, method and reference,
// and what was refunded or reversed since.
import type { CurrencyCode } from "~/domain/money";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatDate } from "~/i18n/format";
import type { PortalReceipt } from "~/services/portal-payments.server";

export function PaymentReceipts(props: { receipts: readonly PortalReceipt[]; currency: CurrencyCode; locale: Locale }) {
  const { receipts, currency, locale } = props;
  if (receipts.length === 0) return null;
  return (
    <div className="receipts">
      <h3>{t(locale, "payments.receipts.heading")}</h3>
      <ul className="receipt-list">
        {receipts.map((receipt) => (
          <li key={receipt.id} className="receipt">
            <dl className="pay">
              <div>
                <dt>{t(locale, "payments.receipts.date")}</dt>
                <dd><time dateTime={receipt.at}>{formatDate(receipt.date, locale)}</time></dd>
              </div>
              <div>
                <dt>{t(locale, "payments.receipts.amount")}</dt>
                <dd>{formatAmount(receipt.amount, currency, locale)}</dd>
              </div>
              <div>
                <dt>{t(locale, "payments.receipts.method")}</dt>
                <dd>{t(locale, `payments.method.${receipt.method}`)}</dd>
              </div>
              <div>
                <dt>{t(locale, "payments.receipts.reference")}</dt>
                <dd><code className="copyable">{receipt.reference}</code></dd>
              </div>
            </dl>
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
