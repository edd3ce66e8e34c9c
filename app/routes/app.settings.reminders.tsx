// The reminder policy (/app/settings/reminders): the standard steps or the supplier's own (a
// friendly note before the due date, up to three reminders after it), whether a reminder fee was
// agreed and how much (kronor; at most the statutory 60 kr), and how long an "I have paid" report
// pauses reminders, with what the saved policy will do in plain words. Owners and admins, through
// the API's own settings service (one validation, audited, nothing written when nothing changed).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatAmount } from "~/i18n/format";
import { todayIn } from "~/domain/invoice-status";
import { lateInterestRateBp, STATUTORY_REMINDER_FEE_CAP_SEK } from "~/domain/late-payment";
import { referenceRateOn } from "~/domain/reference-rates";
import { DEFAULT_REMINDER_POLICY, policySteps, REMINDER_STEP_LIMITS, REMINDER_STEPS, type ReminderPolicy } from "~/domain/reminder-policy";
import { consoleRoute, notFound } from "~/features/console/console-route.server";
import { supplierSettings } from "~/features/suppliers/suppliers.server";
import { PAYMENT_REPORT_PAUSE_DAYS } from "~/features/suppliers/api.schemas";
import { reminderValues, saveSettingsIntent, saveReminderSettings, type SettingsRefusal } from "~/features/suppliers/settings-console.server";
import { Field, Notice, Submit } from "~/components/console/console-form";
import { Checkbox, ErrorSummary, problemText } from "~/components/console/settings-fields";
import { ReminderPolicySummary, reminderPolicySentences } from "~/components/console/reminder-policy-summary";

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.settings.reminders.title") }];

const PATH = "/app/settings/reminders";

const route = consoleRoute({
  permission: "settings.read",
  load: async (call) => {
    const supplier = await supplierSettings(call.app.db, call.supplier.id);
    if (!supplier) throw notFound();
    const referenceRate = referenceRateOn(call.app.config.referenceRates, todayIn(supplier.timeZone, call.now));
    return {
      locale: call.locale,
      edit: call.can("settings.edit"),
      saved: new URL(call.request.url).searchParams.get("saved"),
      values: reminderValues(supplier, call.locale),
      summary: {
        policy: (supplier.reminderPolicy ?? DEFAULT_REMINDER_POLICY) as ReminderPolicy,
        isDefault: supplier.reminderPolicy === null,
        feeAgreed: supplier.reminderFeeAgreed,
        fee: supplier.reminderFee,
        pauseDays: supplier.paymentReportPauseDays,
        interestRateBp: referenceRate === undefined ? null : lateInterestRateBp(referenceRate),
      },
    };
  },
  intents: { save: saveSettingsIntent(PATH, saveReminderSettings) },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

const stepLabel = (locale: Locale, step: string) => t(locale, `console.settings.reminders.step.${step}` as MessageKey);

export default function ReminderSettingsPage() {
  const { locale, edit, saved, values, summary } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>() as SettingsRefusal | undefined;
  const typed = (name: string) => (refusal ? String(refusal.values[name] ?? "") : undefined);
  const error = (name: string) => problemText(locale, refusal?.errors[name]);
  const labelOf = (name: string) => {
    const step = /^(\w+)_days$/.exec(name)?.[1];
    return step && (REMINDER_STEPS as readonly string[]).includes(step) ? stepLabel(locale, step) : t(locale, `console.settings.field.${name}` as MessageKey);
  };
  const items = Object.keys(refusal?.errors ?? {}).map((name) => ({ id: `field-${name}`, label: labelOf(name), message: error(name) ?? "" }));
  const policy = typed("policy") ?? values.policy;
  const cap = formatAmount(STATUTORY_REMINDER_FEE_CAP_SEK, "SEK", locale);
  const standard = reminderPolicySentences(locale, { ...summary, policy: DEFAULT_REMINDER_POLICY, feeAgreed: false, interestRateBp: null }).slice(0, policySteps(DEFAULT_REMINDER_POLICY).length);
  return (
    <main className="page">
      <h1>{t(locale, "console.settings.reminders.title")}</h1>
      {saved === "1" ? <Notice>{t(locale, "console.settings.saved")}</Notice> : null}
      {saved === "0" ? <Notice>{t(locale, "console.settings.unchanged")}</Notice> : null}
      <ErrorSummary locale={locale} items={items} />
      <ReminderPolicySummary locale={locale} {...summary} />
      {edit ? (
        <Form method="post" reloadDocument noValidate>
          <fieldset className="settings-group">
            <legend>{t(locale, "console.settings.reminders.sectionSteps")}</legend>
            <Checkbox type="radio" name="policy" value="default" label={t(locale, "console.settings.reminders.useDefault", { steps: standard.join(" ") })} defaultChecked={policy === "default"} />
            <Checkbox type="radio" name="policy" value="custom" label={t(locale, "console.settings.reminders.useCustom")} defaultChecked={policy !== "default"} />
            {REMINDER_STEPS.map((step) => {
              const { min, max } = REMINDER_STEP_LIMITS[step];
              const on = refusal ? typed(`${step}_on`) === "yes" : values.steps[step].on;
              const before = step === "before_due";
              return (
                <fieldset key={step} className="settings-step">
                  <legend>{stepLabel(locale, step)}</legend>
                  <Checkbox name={`${step}_on`} value="yes" label={t(locale, "console.settings.reminders.send")} defaultChecked={on} />
                  <Field
                    name={`${step}_days`}
                    inputMode="numeric"
                    label={t(locale, before ? "console.settings.reminders.daysBefore" : "console.settings.reminders.daysAfter")}
                    hint={t(locale, "console.settings.reminders.daysRange", before ? { min: -max, max: -min } : { min, max })}
                    defaultValue={typed(`${step}_days`) ?? values.steps[step].days}
                    error={error(`${step}_days`)}
                  />
                </fieldset>
              );
            })}
          </fieldset>
          <fieldset className="settings-group">
            <legend>{t(locale, "console.settings.reminders.sectionFee")}</legend>
            <p className="field-hint">{t(locale, "console.settings.reminders.feeLaw", { cap })}</p>
            <Checkbox name="reminder_fee_agreed" value="yes" label={t(locale, "console.settings.field.reminder_fee_agreed")} defaultChecked={refusal ? typed("reminder_fee_agreed") === "yes" : values.reminder_fee_agreed} />
            <Field
              name="reminder_fee"
              inputMode="text"
              label={t(locale, "console.settings.field.reminder_fee")}
              hint={t(locale, "console.settings.hint.reminder_fee", { cap })}
              defaultValue={typed("reminder_fee") ?? values.reminder_fee}
              error={error("reminder_fee")}
            />
          </fieldset>
          <fieldset className="settings-group">
            <legend>{t(locale, "console.settings.reminders.sectionPause")}</legend>
            <Field
              name="payment_report_pause_days"
              inputMode="numeric"
              label={t(locale, "console.settings.field.payment_report_pause_days")}
              hint={t(locale, "console.settings.hint.payment_report_pause_days", { ...PAYMENT_REPORT_PAUSE_DAYS })}
              defaultValue={typed("payment_report_pause_days") ?? values.payment_report_pause_days}
              error={error("payment_report_pause_days")}
            />
          </fieldset>
          <Submit intent="save">{t(locale, "console.settings.save")}</Submit>
        </Form>
      ) : null}
    </main>
  );
}
