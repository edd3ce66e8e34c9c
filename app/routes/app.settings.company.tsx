// The company's details (/app/settings/company): name and numbers, how payers pay (bankgiro,
// plusgiro, IBAN/BIC, Swish, the ways to pay switched on), the brand on payers' pages, contact
// details, where notifications go, time zone and language. Owners and admins read it
// (settings.read) and change it (settings.edit) through the API's own settings service: one
// validation, an audit event with what changed, nothing written when nothing changed. A saved
// form redirects back with a flash; a refused one comes back with each field's error and what was typed.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { t, type Locale, type MessageKey } from "~/i18n";
import { methodName } from "~/i18n/format";
import { PAYMENT_OPTIONS } from "~/domain/payment-methods";
import { timeZoneChoices } from "~/domain/time-zones";
import { consoleRoute, notFound } from "~/features/console/console-route.server";
import { supplierSettings } from "~/features/suppliers/suppliers.server";
import { companyValues, saveSettingsIntent, saveCompanySettings, type SettingsRefusal } from "~/features/suppliers/settings-console.server";
import { Field, Notice, Submit } from "~/components/console/console-form";
import { Checkbox, ErrorSummary, SelectField, problemText } from "~/components/console/settings-fields";
import { BRAND_TONES, brandTone } from "~/components/invoice/brand";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.settings.company.title") }];

const PATH = "/app/settings/company";

const route = consoleRoute({
  permission: "settings.read",
  load: async (call) => {
    const supplier = await supplierSettings(call.app.db, call.supplier.id);
    if (!supplier) throw notFound();
    const values = companyValues(supplier);
    return {
      locale: call.locale,
      edit: call.can("settings.edit"),
      saved: new URL(call.request.url).searchParams.get("saved"),
      values,
      timeZones: timeZoneChoices(values.time_zone),
    };
  },
  intents: { save: saveSettingsIntent(PATH, saveCompanySettings) },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

type Section = { heading: MessageKey; fields: { name: string; type?: string; inputMode?: "email" | "text" | "numeric"; autoComplete?: string; required?: boolean; hint?: boolean }[] };

const SECTIONS: Section[] = [
  { heading: "console.settings.company.sectionCompany", fields: [{ name: "name", required: true, autoComplete: "organization" }, { name: "org_number", hint: true }, { name: "vat_number", hint: true }] },
  { heading: "console.settings.company.sectionPayment", fields: [{ name: "bankgiro", hint: true }, { name: "plusgiro", hint: true }, { name: "iban", hint: true }, { name: "bic", hint: true }, { name: "swish_number", hint: true }] },
  {
    heading: "console.settings.company.sectionContact",
    fields: [
      { name: "contact_email", type: "email", hint: true, autoComplete: "email" },
      { name: "contact_phone", type: "tel", hint: true, autoComplete: "tel" },
      { name: "notification_email", type: "email", hint: true },
    ],
  },
];

const label = (locale: Locale, name: string) => t(locale, `console.settings.field.${name}` as MessageKey);

export default function CompanySettingsPage() {
  const { locale, edit, saved, values: stored, timeZones } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>() as SettingsRefusal | undefined;
  const value = (name: string): string => {
    const typed = refusal?.values[name];
    return typeof typed === "string" ? typed : String((stored as Record<string, unknown>)[name] ?? "");
  };
  const options = (refusal?.values.payment_options as string[] | undefined) ?? stored.payment_options;
  const error = (name: string) => problemText(locale, refusal?.errors[name]);
  const summary = Object.keys(refusal?.errors ?? {}).map((name) => ({
    id: name === "payment_options" ? `field-payment_options-${PAYMENT_OPTIONS[0]}` : `field-${name}`,
    label: label(locale, name),
    message: error(name) ?? "",
  }));
  const tone = brandTone(stored.brand_color || null);
  return (
    <main className="page">
      <h1>{t(locale, "console.settings.company.title")}</h1>
      {saved === "1" ? <Notice>{t(locale, "console.settings.saved")}</Notice> : null}
      {saved === "0" ? <Notice>{t(locale, "console.settings.unchanged")}</Notice> : null}
      <ErrorSummary locale={locale} items={summary} />
      <section className="console-card" aria-labelledby="brand-preview-heading">
        <h2 id="brand-preview-heading" className="console-card__title">{t(locale, "console.settings.company.previewTitle")}</h2>
        <div className={`settings-preview brand--${tone}`}>
          {stored.logo_url ? (
            <img className="portal-header__logo" src={stored.logo_url} alt={t(locale, "console.settings.company.logoAlt", { name: stored.name })} referrerPolicy="no-referrer" />
          ) : (
            <p className="portal-header__name">{stored.name}</p>
          )}
          <span className="button settings-preview__button">{t(locale, "portal.summary.pay")}</span>
        </div>
        <p className="settings-swatches">
          {stored.brand_color ? (
            <>
              <svg className="settings-swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false"><rect width="10" height="10" fill={stored.brand_color} /></svg>
              {t(locale, "console.settings.company.colourChosen", { colour: stored.brand_color })}{" "}
            </>
          ) : null}
          <svg className="settings-swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false"><rect width="10" height="10" fill={BRAND_TONES[tone]} /></svg>
          {t(locale, "console.settings.company.colourShown", { colour: BRAND_TONES[tone] })}
        </p>
      </section>
      {edit ? (
        <Form method="post" reloadDocument noValidate>
          {SECTIONS.map((section) => (
            <fieldset key={section.heading} className="settings-group">
              <legend>{t(locale, section.heading)}</legend>
              {section.fields.map((f) => (
                <Field
                  key={f.name}
                  name={f.name}
                  type={f.type}
                  inputMode={f.inputMode}
                  autoComplete={f.autoComplete}
                  required={f.required}
                  label={label(locale, f.name)}
                  hint={f.hint ? t(locale, `console.settings.hint.${f.name}` as MessageKey) : undefined}
                  defaultValue={value(f.name)}
                  error={error(f.name)}
                />
              ))}
              {section.heading === "console.settings.company.sectionPayment" ? (
                <fieldset className="field field--group" aria-describedby={error("payment_options") ? "payment-options-error" : undefined}>
                  <legend>{label(locale, "payment_options")}</legend>
                  <span className="field-hint">{t(locale, "console.settings.hint.payment_options")}</span>
                  {PAYMENT_OPTIONS.map((option) => (
                    <Checkbox key={option} name="payment_options" value={option} label={methodName(option, locale)} defaultChecked={options.includes(option)} />
                  ))}
                  {error("payment_options") ? <span className="field-error" id="payment-options-error">{error("payment_options")}</span> : null}
                </fieldset>
              ) : null}
            </fieldset>
          ))}
          <fieldset className="settings-group">
            <legend>{t(locale, "console.settings.company.sectionBrand")}</legend>
            <Field name="brand_color" label={label(locale, "brand_color")} hint={t(locale, "console.settings.hint.brand_color")} defaultValue={value("brand_color")} error={error("brand_color")} />
            <Field name="logo_url" type="url" label={label(locale, "logo_url")} hint={t(locale, "console.settings.hint.logo_url")} defaultValue={value("logo_url")} error={error("logo_url")} />
          </fieldset>
          <fieldset className="settings-group">
            <legend>{t(locale, "console.settings.company.sectionRegion")}</legend>
            <SelectField name="time_zone" label={label(locale, "time_zone")} hint={t(locale, "console.settings.hint.time_zone")} defaultValue={value("time_zone")} error={error("time_zone")}>
              <optgroup label={t(locale, "console.settings.company.zonesEurope")}>
                {timeZones.europe.map((zone) => <option key={zone} value={zone}>{zone.replace(/_/g, " ")}</option>)}
              </optgroup>
              <optgroup label={t(locale, "console.settings.company.zonesOther")}>
                {timeZones.other.map((zone) => <option key={zone} value={zone}>{zone.replace(/_/g, " ")}</option>)}
              </optgroup>
            </SelectField>
            <SelectField name="language" label={label(locale, "language")} hint={t(locale, "console.settings.hint.language")} defaultValue={value("language")} error={error("language")}>
              <option value="sv" lang="sv">Svenska</option>
              <option value="en" lang="en">English</option>
            </SelectField>
          </fieldset>
          <Submit intent="save">{t(locale, "console.settings.save")}</Submit>
        </Form>
      ) : null}
    </main>
  );
}
