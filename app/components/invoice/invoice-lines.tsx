import type { CurrencyCode } from "~/domain/money";
import { t, type Locale } from "~/i18n";
import { formatAmount, formatPercent, formatQuantity } from "~/i18n/format";
import type { PortalLine } from "~/features/portal/portal.server";

/** The lines table; on narrow screens CSS turns each row into a stacked card labelled by data-label. */
export function InvoiceLines(props: { lines: readonly PortalLine[]; currency: CurrencyCode; locale: Locale }) {
  const { lines, currency, locale } = props;
  const label = {
    description: t(locale, "portal.lines.description"),
    quantity: t(locale, "portal.lines.quantity"),
    unitPrice: t(locale, "portal.lines.unitPrice"),
    vatRate: t(locale, "portal.lines.vatRate"),
    net: t(locale, "portal.lines.net"),
  };
  return (
    <div className="card">
      <table className="lines">
        <caption>{t(locale, "portal.lines.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{label.description}</th>
            <th scope="col" className="num">{label.quantity}</th>
            <th scope="col" className="num">{label.unitPrice}</th>
            <th scope="col" className="num">{label.vatRate}</th>
            <th scope="col" className="num">{label.net}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.position}>
              <th scope="row" className="lines__description">{line.description}</th>
              <td className="num" data-label={label.quantity}>
                {formatQuantity(line.quantity, locale)}
                {line.unit ? ` ${line.unit}` : ""}
              </td>
              <td className="num" data-label={label.unitPrice}>{formatAmount(line.unitPrice, currency, locale)}</td>
              <td className="num" data-label={label.vatRate}>{formatPercent(line.vatRate, locale)}</td>
              <td className="num" data-label={label.net}>{formatAmount(line.net, currency, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
