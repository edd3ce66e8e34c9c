import type { CurrencyCode } from "~/domain/money";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatPercent } from "~/i18n/format";
import type { PortalPage } from "~/features/portal/portal.server";

/** VAT per rate and the totals exactly as the supplier sent them (security P6). */
export function InvoiceTotals(props: { page: Pick<PortalPage, "invoice" | "vatGroups">; locale: Locale }) {
  const { invoice, vatGroups } = props.page;
  const { locale } = props;
  const currency: CurrencyCode = invoice.currency;
  const money = (minor: number) => formatAmount(minor, currency, locale);
  // The labels the stacked table shows on narrow screens (the header row is hidden there).
  const label = { rate: t(locale, "portal.vat.rate"), base: t(locale, "portal.vat.base"), amount: t(locale, "portal.vat.amount") };
  return (
    <section className="totals" aria-labelledby="totals-heading">
      <h2 id="totals-heading">{t(locale, "portal.totals.heading")}</h2>
      <table className="vat">
        <caption>{t(locale, "portal.vat.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{label.rate}</th>
            <th scope="col" className="num">{label.base}</th>
            <th scope="col" className="num">{label.amount}</th>
          </tr>
        </thead>
        <tbody>
          {vatGroups.map((group) => (
            <tr key={group.rate}>
              <th scope="row" data-label={label.rate}>{formatPercent(group.rate, locale)}</th>
              <td className="num" data-label={label.base}>{money(group.net)}</td>
              <td className="num" data-label={label.amount}>{money(group.vat)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="sums">
        <div>
          <dt>{t(locale, "portal.totals.net")}</dt>
          <dd>{money(invoice.totalNet)}</dd>
        </div>
        <div>
          <dt>{t(locale, "portal.totals.vat")}</dt>
          <dd>{money(invoice.totalVat)}</dd>
        </div>
        {invoice.rounding !== 0 && (
          <div>
            <dt>{t(locale, "portal.totals.rounding")}</dt>
            <dd>{money(invoice.rounding)}</dd>
          </div>
        )}
        <div className="sums__total">
          <dt>{t(locale, "portal.totals.total")}</dt>
          <dd>{money(invoice.total)}</dd>
        </div>
        {invoice.amountPaid > 0 && (
          <div>
            <dt>{t(locale, "portal.totals.paid")}</dt>
            <dd>{money(-invoice.amountPaid)}</dd>
          </div>
        )}
        <div className="sums__due">
          <dt>{t(locale, "portal.amountDue")}</dt>
          <dd>{money(invoice.amountDue)}</dd>
        </div>
      </dl>
    </section>
  );
}
