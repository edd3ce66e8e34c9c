// The customer's billing contacts on file, each correctable, and a form to add one: on an
// invoice's page and on a contact-update campaign's page. Every change is confirmed by email to
// the old and the new address (said next to the forms).
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatDate } from "~/i18n/format";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PanelContact } from "~/features/portal/payer-panel.server";
import { PayerForm, SelectField, TextField, formState, hasErrors, type FormState } from "./form-fields";

const FIELD_LABEL = {
  name: "contacts.field.name",
  email: "contacts.field.email",
  phone: "contacts.field.phone",
  invoice_reference: "contacts.field.invoice_reference",
  address_line1: "contacts.field.address_line1",
  address_line2: "contacts.field.address_line2",
  postal_code: "contacts.field.postal_code",
  city: "contacts.field.city",
  country: "contacts.field.country",
  language: "contacts.field.language",
  channel: "contacts.field.channel",
  peppol_id: "contacts.field.peppol_id",
} as const satisfies Record<string, MessageKey>;

export function ContactFieldsInputs({ form, contact }: { form: FormState; contact: PanelContact | null }) {
  const { locale } = form;
  const text = (name: keyof typeof FIELD_LABEL, value: string | null | undefined, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField form={form} name={name} label={t(locale, FIELD_LABEL[name])} defaultValue={value} {...extra} />
  );
  return (
    <>
      {text("name", contact?.name, { autoComplete: "name", maxLength: 200 })}
      {text("email", contact?.email, { type: "email", autoComplete: "email", maxLength: 254 })}
      {text("phone", contact?.phone, { type: "tel", autoComplete: "tel", maxLength: 40 })}
      {text("invoice_reference", contact?.invoiceReference, { maxLength: 100 })}
      {text("address_line1", contact?.addressLine1, { autoComplete: "address-line1", maxLength: 200 })}
      {text("address_line2", contact?.addressLine2, { autoComplete: "address-line2", maxLength: 200 })}
      {text("postal_code", contact?.postalCode, { autoComplete: "postal-code", maxLength: 12 })}
      {text("city", contact?.city, { autoComplete: "address-level2", maxLength: 100 })}
      {text("country", contact?.country, { autoComplete: "country", maxLength: 2 })}
      <SelectField
        form={form}
        name="language"
        label={t(locale, FIELD_LABEL.language)}
        defaultValue={contact?.language ?? ""}
        options={[
          { value: "", label: t(locale, "contacts.language.none") },
          { value: "sv", label: t(locale, "contacts.language.sv") },
          { value: "en", label: t(locale, "contacts.language.en") },
        ]}
      />
      <SelectField
        form={form}
        name="channel"
        label={t(locale, FIELD_LABEL.channel)}
        hint={t(locale, "contacts.channelHint")}
        defaultValue={contact?.channel ?? "email"}
        options={(["email", "peppol", "post"] as const).map((channel) => ({ value: channel, label: t(locale, `contacts.channel.${channel}`) }))}
      />
      {text("peppol_id", contact?.peppolId, { maxLength: 55 })}
    </>
  );
}

function contactTitle(contact: PanelContact, index: number, locale: Locale): string {
  return contact.name ?? contact.email ?? t(locale, "contacts.unnamed", { number: index + 1 });
}

function ContactSummary({ contact, locale }: { contact: PanelContact; locale: Locale }) {
  const address = [contact.addressLine1, contact.addressLine2, [contact.postalCode, contact.city].filter(Boolean).join(" "), contact.country]
    .filter(Boolean)
    .join(", ");
  const rows: [MessageKey, string | null][] = [
    [FIELD_LABEL.email, contact.email],
    [FIELD_LABEL.phone, contact.phone],
    [FIELD_LABEL.invoice_reference, contact.invoiceReference],
    [FIELD_LABEL.address_line1, address || null],
    [FIELD_LABEL.language, contact.language ? t(locale, `contacts.language.${contact.language}`) : null],
    [FIELD_LABEL.channel, t(locale, `contacts.channel.${contact.channel}`) + (contact.peppolId ? ` (${contact.peppolId})` : "")],
  ];
  return (
    <dl className="contact__facts">
      {rows
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <div key={label}>
            <dt>{t(locale, label)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

export function Contacts(props: {
  contacts: readonly PanelContact[];
  /** One per form: `add-contact` and `update-contact:<contact id>`. */
  submissionIds: Record<string, string>;
  supplier: string;
  locale: Locale;
  actionData?: PayerActionData;
  /** When the customer last confirmed these contacts (YYYY-MM-DD), if ever. */
  confirmedOn?: string | null;
}) {
  const { contacts, submissionIds, locale } = props;
  const addForm = formState("add-contact", submissionIds, props.actionData, locale);
  return (
    <section className="contacts" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">{t(locale, "contacts.heading")}</h2>
      <p>{t(locale, "contacts.lead", { supplier: props.supplier })}</p>
      {props.confirmedOn && <p className="confirmed">{t(locale, "contacts.confirmedOn", { date: formatDate(props.confirmedOn, locale) })}</p>}
      {contacts.length === 0 && <p>{t(locale, "contacts.none")}</p>}
      <ul className="contact-list">
        {contacts.map((contact, index) => {
          const form = formState(`update-contact:${contact.id}`, submissionIds, props.actionData, locale);
          const title = contactTitle(contact, index, locale);
          return (
            <li key={contact.id}>
              <article className="contact" aria-labelledby={`contact-${contact.id}`}>
                <h3 id={`contact-${contact.id}`}>{title}</h3>
                <ContactSummary contact={contact} locale={locale} />
                {contact.emailFailure && contact.email ? (
                  <p className="notice notice--bad">{t(locale, `contacts.emailFailing.${contact.emailFailure}`, { email: contact.email })}</p>
                ) : null}
                <details className="disclosure" open={hasErrors(form) || Boolean(contact.emailFailure)}>
                  <summary>
                    {t(locale, "contacts.edit")}
                    <span className="visually-hidden">: {title}</span>
                  </summary>
                  <PayerForm form={form} intent="update-contact" hidden={{ contact_id: contact.id }}>
                    <ContactFieldsInputs form={form} contact={contact} />
                    <p className="hint">{t(locale, "contacts.notifyHint")}</p>
                    <button type="submit" className="button button--secondary">{t(locale, "contacts.save")}</button>
                  </PayerForm>
                </details>
              </article>
            </li>
          );
        })}
      </ul>
      <details className="disclosure" open={hasErrors(addForm)}>
        <summary>{t(locale, "contacts.add")}</summary>
        <PayerForm form={addForm} intent="add-contact">
          <ContactFieldsInputs form={addForm} contact={null} />
          <p className="hint">{t(locale, "contacts.notifyHint")}</p>
          <button type="submit" className="button button--secondary">{t(locale, "contacts.addButton")}</button>
        </PayerForm>
      </details>
    </section>
  );
}
