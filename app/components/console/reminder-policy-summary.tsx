// The saved reminder policy in plain words ("3 days before the due date: a friendly note; 7 days
// after: a reminder with a 60 kr fee"), with the interest reminders state and the pause after an
// "I have paid" report. What it says follows the rules the reminders use (domain/late-payment:
// no fee before the due date, a fee only when agreed and only on SEK invoices).
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatAmount, formatPercent, pluralForm } from "~/i18n/format";
import { policySteps, type ReminderPolicy } from "~/domain/reminder-policy";
import { reminderFee } from "~/domain/late-payment";

export type PolicySummaryInput = {
  policy: ReminderPolicy;
  isDefault: boolean;
  feeAgreed: boolean;
  /** Öre, or null. */
  fee: number | null;
  pauseDays: number;
  /** The late-payment interest rate in force today in basis points, or null when the reference rate is not configured. */
  interestRateBp: number | null;
};

export function reminderPolicySentences(locale: Locale, input: PolicySummaryInput): string[] {
  const steps = policySteps(input.policy);
  if (steps.length === 0) return [t(locale, "console.settings.reminders.plain.none")];
  const sentences = steps.map(({ step, days }) => {
    if (step === "before_due") {
      return t(locale, `console.settings.reminders.plain.before.${pluralForm(-days, locale)}` as MessageKey, { days: -days });
    }
    const fee = reminderFee({ step, currency: "SEK", agreed: input.feeAgreed, fee: input.fee });
    const what = t(locale, `console.settings.reminders.what.${step}` as MessageKey);
    const withFee = fee > 0 ? t(locale, "console.settings.reminders.withFee", { what, fee: formatAmount(fee, "SEK", locale) }) : what;
    return t(locale, `console.settings.reminders.plain.after.${pluralForm(days, locale)}` as MessageKey, { days, what: withFee });
  });
  if (steps.some(({ step }) => step !== "before_due")) {
    sentences.push(
      input.interestRateBp === null
        ? t(locale, "console.settings.reminders.plain.interestUnknown")
        : t(locale, "console.settings.reminders.plain.interest", { rate: formatPercent((input.interestRateBp / 100).toFixed(2), locale) }),
    );
  }
  sentences.push(t(locale, `console.settings.reminders.plain.pause.${pluralForm(input.pauseDays, locale)}` as MessageKey, { days: input.pauseDays }));
  return sentences;
}

export function ReminderPolicySummary(props: { locale: Locale } & PolicySummaryInput) {
  return (
    <section className="console-card" aria-labelledby="policy-summary-heading">
      <h2 id="policy-summary-heading" className="console-card__title">{t(props.locale, "console.settings.reminders.summaryTitle")}</h2>
      <ul className="console-list">
        {reminderPolicySentences(props.locale, props).map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
      {props.isDefault ? <p>{t(props.locale, "console.settings.reminders.isDefault")}</p> : null}
    </section>
  );
}
