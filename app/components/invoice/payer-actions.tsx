// "Is the invoice right?": confirm in one tap, or report what is wrong (optionally per line,
// with a file); reported problems and the supplier's answers below. Plain forms: no JavaScript
// needed, and every error sits next to its field.
import { t, type Locale, type MessageKey } from "~/i18n";
import { en } from "~/i18n/en";
import { formatDate } from "~/i18n/format";
import { UPLOAD_ACCEPT } from "~/domain/upload";
import type { PortalLine } from "~/features/portal/portal.server";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PanelDispute, PayerPanel } from "~/features/portal/payer-panel.server";
import {
  CheckboxGroup, FileField, PayerForm, SelectField, TextField, formState, hasErrors, type FormState,
} from "./form-fields";

export function reasonLabel(locale: Locale, code: string): string {
  const key = `disputes.reason.${code}`;
  return key in en ? t(locale, key as MessageKey) : code.replace(/_/g, " ");
}

/** People number lines 1, 2, 3 whatever the stored positions (the API's start at 0). */
export function lineNumbering(lines: readonly PortalLine[]): (position: number) => number {
  const numbers = new Map(lines.map((line, index) => [line.position, index + 1]));
  return (position) => numbers.get(position) ?? position;
}

function DateText({ date, at, locale }: { date: string; at?: string; locale: Locale }) {
  return <time dateTime={at ?? date}>{formatDate(date, locale)}</time>;
}

/** The report form, for the invoice or for one delivery. */
export function ReportForm(props: {
  form: FormState;
  intent: "report-problem" | "report-delivery-problem";
  reasons: readonly string[];
  lines: readonly PortalLine[];
  /** The number people see for a line, counted over the whole invoice. */
  numberOf: (position: number) => number;
  supplier: string;
  hidden?: Record<string, string>;
}) {
  const { form, lines, numberOf } = props;
  const { locale } = form;
  return (
    <PayerForm form={form} intent={props.intent} multipart hidden={props.hidden}>
      <SelectField
        form={form}
        name="reason"
        label={t(locale, "actions.report.reason")}
        required
        options={[
          { value: "", label: t(locale, "actions.report.chooseReason") },
          ...props.reasons.map((code) => ({ value: code, label: reasonLabel(locale, code) })),
        ]}
      />
      {lines.length > 0 && (
        <CheckboxGroup
          form={form}
          name="lines"
          label={t(locale, "actions.report.lines")}
          options={lines.map((line) => ({
            value: String(line.position),
            label: t(locale, "actions.report.line", { position: numberOf(line.position), description: line.description }),
          }))}
        />
      )}
      <TextField
        form={form}
        name="message"
        multiline
        maxLength={4000}
        label={t(locale, "actions.report.message", { supplier: props.supplier })}
        hint={t(locale, "actions.report.messageHint")}
      />
      <FileField
        form={form}
        name="attachment"
        accept={UPLOAD_ACCEPT}
        label={t(locale, props.intent === "report-problem" ? "actions.report.attachment" : "actions.report.photo")}
        hint={t(locale, "actions.report.attachmentHint")}
      />
      <TextField form={form} name="name" autoComplete="name" maxLength={200} label={t(locale, "actions.report.name")} />
      <TextField form={form} name="email" type="email" autoComplete="email" maxLength={254} label={t(locale, "actions.report.email")} />
      <button type="submit" className="button button--secondary">{t(locale, "actions.report.button")}</button>
    </PayerForm>
  );
}

function DisputeItem({ dispute, supplier, locale }: { dispute: PanelDispute; supplier: string; locale: Locale }) {
  const subject =
    dispute.kind === "delivery"
      ? t(locale, "disputes.kind.delivery", { description: dispute.deliveryDescription ?? "" })
      : t(locale, "disputes.kind.invoice");
  return (
    <li className={`dispute dispute--${dispute.status}`}>
      <p className="dispute__title">
        <strong>{reasonLabel(locale, dispute.reason)}</strong> · {subject}
      </p>
      <p className="dispute__status">{t(locale, `disputes.status.${dispute.status}`, { supplier })}</p>
      <p className="dispute__meta">
        {t(locale, "disputes.reported")} <DateText date={dispute.date} at={dispute.at} locale={locale} />
        {dispute.lineNumbers.length > 0 && <> · {t(locale, "disputes.lines", { lines: dispute.lineNumbers.join(", ") })}</>}
        {dispute.attachmentName && <> · {t(locale, "disputes.attachment", { name: dispute.attachmentName })}</>}
      </p>
      {dispute.message && (
        <blockquote className="dispute__message">{dispute.message}</blockquote>
      )}
      {dispute.answer && (
        <div className="dispute__answer">
          <p>
            {t(locale, "disputes.answer")} <DateText date={dispute.answer.date} at={dispute.answer.at} locale={locale} />
          </p>
          {dispute.answer.message && <blockquote>{dispute.answer.message}</blockquote>}
          {dispute.answer.creditNoteReference && (
            <p>{t(locale, "disputes.creditNote", { reference: dispute.answer.creditNoteReference })}</p>
          )}
          {dispute.answer.correctedInvoiceNumber && (
            <p>{t(locale, "disputes.correctedInvoice", { number: dispute.answer.correctedInvoiceNumber })}</p>
          )}
        </div>
      )}
    </li>
  );
}

export function PayerActions(props: {
  panel: PayerPanel;
  lines: readonly PortalLine[];
  supplier: string;
  locale: Locale;
  actionData?: PayerActionData;
  /** Paid in full: a box holding only "report a problem" is noise then, so it is left out. */
  settled?: boolean;
}) {
  const { panel, locale, supplier } = props;
  const confirmForm = formState("confirm", panel.submissionIds, props.actionData, locale);
  const reportForm = formState("report-problem", panel.submissionIds, props.actionData, locale);
  const { confirmation } = panel;
  const confirmDetailsOpen = hasErrors(confirmForm) && Object.keys(confirmForm.errors).length > 0;
  const anyOpen = panel.disputes.some((dispute) => dispute.status === "open");
  const showConfirm = !confirmation && (panel.can.confirm || hasErrors(confirmForm));
  if (props.settled && !confirmation && !showConfirm && panel.disputes.length === 0 && !hasErrors(reportForm)) return null;
  return (
    <section className="payer-actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t(locale, "actions.heading")}</h2>
      {confirmation ? (
        <p className="confirmed">
          {confirmation.by
            ? t(locale, "actions.confirmed", { name: confirmation.by, date: formatDate(confirmation.date, locale) })
            : t(locale, "actions.confirmedAnonymous", { date: formatDate(confirmation.date, locale) })}
          {confirmation.reference && <span className="confirmed__extra">{t(locale, "actions.confirmed.reference", { reference: confirmation.reference })}</span>}
          {confirmation.costCentre && <span className="confirmed__extra">{t(locale, "actions.confirmed.costCentre", { costCentre: confirmation.costCentre })}</span>}
        </p>
      ) : showConfirm ? (
        <>
          <p>{t(locale, "actions.lead", { supplier })}</p>
          <PayerForm form={confirmForm} intent="confirm" hidden={{ content_hash: panel.contentHash }} className="confirm-form">
            <details className="disclosure" open={confirmDetailsOpen}>
              <summary>{t(locale, "actions.confirm.details")}</summary>
              <TextField form={confirmForm} name="name" autoComplete="name" maxLength={200} label={t(locale, "actions.confirm.name")} />
              <TextField form={confirmForm} name="reference" maxLength={100} label={t(locale, "actions.confirm.reference")} />
              <TextField form={confirmForm} name="cost_centre" maxLength={100} label={t(locale, "actions.confirm.costCentre")} />
            </details>
            <button type="submit" className="button">{t(locale, "actions.confirm.button")}</button>
          </PayerForm>
        </>
      ) : null}

      {panel.can.report && (
        <details className="disclosure report" open={hasErrors(reportForm)}>
          <summary>{t(locale, "actions.report.summary")}</summary>
          <ReportForm
            form={reportForm}
            intent="report-problem"
            reasons={panel.reasons.invoice}
            lines={props.lines}
            numberOf={lineNumbering(props.lines)}
            supplier={supplier}
          />
        </details>
      )}

      {panel.disputes.length > 0 && (
        <>
          <h3>{t(locale, "disputes.heading")}</h3>
          {anyOpen && <p className="hint">{t(locale, "disputes.remindersPaused")}</p>}
          <ul className="disputes">
            {panel.disputes.map((dispute) => (
              <DisputeItem key={dispute.id} dispute={dispute} supplier={supplier} locale={locale} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function ActionNotice({ panel, supplier, locale }: { panel: PayerPanel; supplier: string; locale: Locale }) {
  if (!panel.notice) return null;
  return (
    <p className="notice" role="status">
      {t(locale, `actions.notice.${panel.notice}`, { supplier })}
    </p>
  );
}
