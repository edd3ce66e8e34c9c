// The customer's company as the supplier has it on file (name, organisation number), with a form
// to correct the organisation number. Plain HTML: works without JavaScript.
import { t, type Locale } from "~/i18n";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import { PayerForm, TextField, formState, hasErrors } from "../invoice/form-fields";

export function Organisation(props: {
  customer: { name: string; orgNumber: string | null };
  submissionIds: Record<string, string>;
  locale: Locale;
  actionData?: PayerActionData;
}) {
  const { customer, locale } = props;
  const form = formState("update-organisation", props.submissionIds, props.actionData, locale);
  return (
    <section className="organisation" aria-labelledby="organisation-heading">
      <h2 id="organisation-heading">{t(locale, "campaign.customer.heading")}</h2>
      <dl className="facts">
        <div>
          <dt>{t(locale, "campaign.customer.name")}</dt>
          <dd>{customer.name}</dd>
        </div>
        <div>
          <dt>{t(locale, "campaign.customer.orgNumber")}</dt>
          <dd>{customer.orgNumber ?? t(locale, "campaign.customer.orgNumberMissing")}</dd>
        </div>
      </dl>
      <details className="disclosure" open={hasErrors(form)}>
        <summary>{t(locale, "campaign.org.edit")}</summary>
        <PayerForm form={form} intent="update-organisation">
          <TextField
            form={form}
            name="org_number"
            label={t(locale, "campaign.customer.orgNumber")}
            hint={t(locale, "campaign.org.hint")}
            defaultValue={customer.orgNumber}
            maxLength={40}
            required
          />
          <button type="submit" className="button button--secondary">{t(locale, "campaign.org.save")}</button>
        </PayerForm>
      </details>
    </section>
  );
}
