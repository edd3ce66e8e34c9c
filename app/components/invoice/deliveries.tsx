// The deliveries the supplier registered: the payer approves each ("received and accepted") or
// reports a problem with it, for the whole delivery or some of its lines.
import { t, type Locale } from "~/i18n";
import { formatDate } from "~/i18n/format";
import type { PortalLine } from "~/features/portal/portal.server";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PanelDelivery, PayerPanel } from "~/features/portal/payer-panel.server";
import { PayerForm, formState, hasErrors } from "./form-fields";
import { lineNumbering, ReportForm } from "./payer-actions";

function Delivery(props: {
  delivery: PanelDelivery;
  panel: PayerPanel;
  lines: readonly PortalLine[];
  supplier: string;
  locale: Locale;
  actionData?: PayerActionData;
}) {
  const { delivery, panel, locale } = props;
  const approveForm = formState(`approve-delivery:${delivery.id}`, panel.submissionIds, props.actionData, locale);
  const reportForm = formState(`report-delivery-problem:${delivery.id}`, panel.submissionIds, props.actionData, locale);
  const headingId = `delivery-${delivery.id}`;
  const numberOf = lineNumbering(props.lines);
  const covered =
    delivery.linePositions.length > 0 ? props.lines.filter((line) => delivery.linePositions.includes(line.position)) : props.lines;
  return (
    <li>
      <article className={`delivery delivery--${delivery.status}`} aria-labelledby={headingId}>
        <h3 id={headingId}>{delivery.description}</h3>
        <dl className="delivery__facts">
          {delivery.deliveredOn && (
            <div>
              <dt>{t(locale, "actions.delivery.deliveredOn")}</dt>
              <dd><time dateTime={delivery.deliveredOn}>{formatDate(delivery.deliveredOn, locale)}</time></dd>
            </div>
          )}
          {delivery.location && (
            <div>
              <dt>{t(locale, "actions.delivery.location")}</dt>
              <dd>{delivery.location}</dd>
            </div>
          )}
          <div>
            <dt>{t(locale, "actions.delivery.lines")}</dt>
            <dd>
              {delivery.linePositions.length > 0
                ? covered.map((line) => t(locale, "actions.report.line", { position: numberOf(line.position), description: line.description })).join("; ")
                : t(locale, "actions.delivery.wholeInvoice")}
            </dd>
          </div>
          <div>
            <dt>{t(locale, "portal.status.label")}</dt>
            <dd className="delivery__status">{t(locale, `actions.delivery.status.${delivery.status}`)}</dd>
          </div>
        </dl>
        {(delivery.canApprove || hasErrors(approveForm)) && (
          <PayerForm form={approveForm} intent="approve-delivery" hidden={{ delivery_id: delivery.id }}>
            <button type="submit" className="button">
              {t(locale, "actions.delivery.approve")}
              <span className="visually-hidden">: {delivery.description}</span>
            </button>
          </PayerForm>
        )}
        {(delivery.canReport || hasErrors(reportForm)) && (
          <details className="disclosure" open={hasErrors(reportForm)}>
            <summary>
              {t(locale, "actions.delivery.report")}
              <span className="visually-hidden">: {delivery.description}</span>
            </summary>
            <ReportForm
              form={reportForm}
              intent="report-delivery-problem"
              reasons={panel.reasons.delivery}
              lines={covered}
              numberOf={numberOf}
              supplier={props.supplier}
              hidden={{ delivery_id: delivery.id }}
            />
          </details>
        )}
      </article>
    </li>
  );
}

export function Deliveries(props: {
  panel: PayerPanel;
  lines: readonly PortalLine[];
  supplier: string;
  locale: Locale;
  actionData?: PayerActionData;
}) {
  const { panel, locale } = props;
  if (panel.deliveries.length === 0) return null;
  return (
    <section className="deliveries" aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">{t(locale, "actions.delivery.heading")}</h2>
      {panel.can.decideDeliveries && <p>{t(locale, "actions.delivery.lead", { supplier: props.supplier })}</p>}
      <ul className="delivery-list">
        {panel.deliveries.map((delivery) => (
          <Delivery key={delivery.id} {...props} delivery={delivery} />
        ))}
      </ul>
    </section>
  );
}
