// "I have already paid": for a bank transfer or a Swish QR payment the page cannot see. The form
// sits in a <details> (rarely used, and light to render); reminders pause once it is sent.
import { toMajorUnitString, type CurrencyCode } from "~/domain/money";
import { REPORTED_METHODS, type ReportedMethod } from "~/domain/payment-methods";
import { t, type Locale } from "~/i18n";
import { methodName } from "~/i18n/format";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PayerPanel } from "~/features/portal/payer-panel.server";
import { PayerForm, SelectField, TextField, formState, hasErrors } from "./form-fields";

/** The amount due as a person would type it: "12297,00" in Swedish, "12297.00" in English. */
export function typedAmount(minor: number, currency: CurrencyCode, locale: Locale): string {
  const major = toMajorUnitString(minor, currency);
  return locale === "sv" ? major.replace(".", ",") : major;
}

export function PaymentReportForm(props: {
  panel: PayerPanel;
  actionData?: PayerActionData;
  locale: Locale;
  supplier: string;
  amountDue: number;
  currency: CurrencyCode;
  issueDate: string;
  today: string;
  /** Swish first when the page offers Swish QR before the bank. */
  defaultMethod: ReportedMethod;
}) {
  const { locale } = props;
  const form = formState("report-payment", props.panel.submissionIds, props.actionData, locale);
  return (
    <details className="disclosure payment-report" open={hasErrors(form)}>
      <summary>{t(locale, "payments.report.summary")}</summary>
      <p>{t(locale, "payments.report.lead", { supplier: props.supplier })}</p>
      <PayerForm form={form} intent="report-payment">
        <TextField
          form={form}
          name="paid_on"
          type="date"
          required
          min={props.issueDate}
          max={props.today}
          defaultValue={props.today}
          label={t(locale, "payments.report.paidOn")}
          hint={t(locale, "payments.report.paidOnHint")}
        />
        <TextField
          form={form}
          name="amount"
          required
          inputMode="decimal"
          maxLength={40}
          defaultValue={typedAmount(props.amountDue, props.currency, locale)}
          label={t(locale, "payments.report.amount", { currency: props.currency })}
        />
        <SelectField
          form={form}
          name="method"
          required
          defaultValue={props.defaultMethod}
          label={t(locale, "payments.report.method")}
          options={REPORTED_METHODS.map((method) => ({ value: method, label: methodName(method, locale) }))}
        />
        <button type="submit" className="button button--secondary">{t(locale, "payments.report.button", { supplier: props.supplier })}</button>
      </PayerForm>
    </details>
  );
}
