// To the payer's billing contacts: the reminders of the supplier's policy, friendly before the due
// date, formal after it, the final one clearly the last (and no threat: collection is the
// supplier's decision, not ours to announce). The invoice copy is attached by the email job.
// A fee line only when the supplier charges one; the interest line only when it is computed.
import { Text } from "@react-email/components";
import { z } from "zod";
import type { CurrencyCode } from "~/domain/money";
import { t } from "~/i18n";
import { formatDate, formatPercent } from "~/i18n/format";
import { REMINDER_STEPS } from "~/domain/reminder-policy";
import { defineEmail, text, type EmailContext } from "./components/template";
import { EmailLayout, Fact, Heading, Paragraph } from "./components/layout";
import { calendarDate, currencyCode, minorAmount, money } from "./components/payment";
import { emailPreview } from "./components/preview";
import { styles } from "./components/elements";

const schema = z.object({
  step: z.enum(REMINDER_STEPS),
  invoiceNumber: text(),
  supplierName: text(),
  dueDate: calendarDate,
  /** As of queueing; the context's invoice (as of sending) wins when given. */
  amountDue: minorAmount,
  currency: currencyCode,
  /** The reminder fee in minor units; 0 = none (always none before the due date). */
  fee: minorAmount.default(0),
  interest: z
    .object({
      amount: minorAmount,
      /** Yearly rate in basis points: 1050 = 10.5 %. */
      rateBp: z.number().int().nonnegative().max(100_000),
      from: calendarDate,
    })
    .nullish()
    .transform((value) => value ?? null),
});

type Props = z.output<typeof schema>;

/** 1050 → "10.5" exactly (no float step), for the percent formatter. */
function rateOf(bp: number): string {
  return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, "0")}`;
}

/** The fee, the total with it, and the interest so far: the lines under the amount due. */
function Charges({ props, context, amountDue, currency }: { props: Props; context: EmailContext; amountDue: number; currency: CurrencyCode }) {
  const { locale } = context;
  const fee = props.step === "before_due" ? 0 : props.fee;
  return (
    <>
      {fee > 0 ? (
        <>
          <Fact label={t(locale, "email.reminder.fee")} value={money(locale, fee, currency)} />
          <Fact label={t(locale, "email.reminder.totalToPay")} value={<strong>{money(locale, amountDue + fee, currency)}</strong>} />
        </>
      ) : null}
      {props.interest && props.step !== "before_due" ? (
        <Text style={styles.fact}>
          {t(locale, "email.reminder.interest", {
            rate: formatPercent(rateOf(props.interest.rateBp), locale),
            date: formatDate(props.interest.from, locale),
            amount: money(locale, props.interest.amount, currency),
          })}
        </Text>
      ) : null}
    </>
  );
}

export const paymentReminder = defineEmail({
  audience: "payer",
  schema,
  subject: (props, { locale }) =>
    t(locale, `email.reminder.subject.${props.step}`, { number: props.invoiceNumber, date: formatDate(props.dueDate, locale) }),
  render: (props, context) => {
    const { locale } = context;
    const params = { number: props.invoiceNumber, supplier: props.supplierName, date: formatDate(props.dueDate, locale) };
    const intro = t(locale, `email.reminder.intro.${props.step}`, params);
    // What is due now (a part payment since queueing counts), in the invoice's currency.
    const amountDue = context.invoice?.amountDue ?? props.amountDue;
    const currency = context.invoice?.currency ?? props.currency;
    const charges = amountDue > 0 ? <Charges props={props} context={context} amountDue={amountDue} currency={currency} /> : null;
    return (
      <EmailLayout
        context={context}
        preview={intro}
        charges={charges}
        after={
          <>
            <Paragraph>{t(locale, "email.reminder.attached")}</Paragraph>
            <Paragraph>{t(locale, "email.reminder.alreadyPaid", params)}</Paragraph>
            {props.step === "before_due" ? null : <Paragraph>{t(locale, "email.reminder.problem", params)}</Paragraph>}
          </>
        }
      >
        <Heading>{t(locale, `email.reminder.heading.${props.step}`)}</Heading>
        <Paragraph>{intro}</Paragraph>
        {props.step === "final" ? <Paragraph>{t(locale, "email.reminder.contact", params)}</Paragraph> : null}
        {context.invoice ? null : (
          // Without the invoice in the context there is no payment block: the amounts go here.
          <>
            <Fact label={t(locale, "email.invoice.amountDue")} value={money(locale, amountDue, currency)} />
            {charges}
          </>
        )}
      </EmailLayout>
    );
  },
  previewProps: {
    step: "first",
    invoiceNumber: "2026-1001",
    supplierName: "Nordljus Konsult AB",
    dueDate: "2026-11-20",
    amountDue: 1250000,
    currency: "SEK",
    fee: 6000,
    interest: { amount: 3425, rateBp: 1050, from: "2026-11-20" },
  },
});

export default emailPreview(paymentReminder);
