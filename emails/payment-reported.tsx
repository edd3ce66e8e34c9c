// To the payer's billing contacts: we noted your "I have paid", reminders wait while the money
// is on its way, and the invoice counts as paid only when the payment arrives.
import { z } from "zod";
import { t } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { defineEmail, instant, text } from "./components/template";
import { EmailLayout, Facts, Heading, Paragraph } from "./components/layout";
import { formatInstant } from "./components/format";
import { currencyCode, methodLabel, minorAmount, money, reportedMethod, calendarDate } from "./components/payment";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  supplierName: text(),
  amount: minorAmount,
  currency: currencyCode,
  method: reportedMethod,
  paidOn: calendarDate,
  /** Reminders wait until then. */
  pausedUntil: instant,
});

export const paymentReported = defineEmail({
  audience: "payer",
  schema,
  subject: (props, { locale }) => t(locale, "email.paymentReported.subject", { number: props.invoiceNumber }),
  render: (props, context) => {
    const { locale, brand } = context;
    const params = { number: props.invoiceNumber, supplier: props.supplierName };
    return (
      <EmailLayout context={context} preview={t(locale, "email.paymentReported.intro", params)}>
        <Heading>{t(locale, "email.paymentReported.heading")}</Heading>
        <Paragraph>{t(locale, "email.paymentReported.intro", params)}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.label.invoice", props.invoiceNumber],
            ["email.paymentReported.amount", money(locale, props.amount, props.currency)],
            ["email.paymentReported.paidOn", formatDate(props.paidOn, locale)],
            ["email.paymentReported.method", methodLabel(locale, props.method)],
          ]}
        />
        <Paragraph>
          {t(locale, "email.paymentReported.paused", { ...params, date: formatInstant(props.pausedUntil, locale, brand.timeZone) })}
        </Paragraph>
        <Paragraph>{t(locale, "email.paymentReported.notMoney", params)}</Paragraph>
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    supplierName: "Nordljus Konsult AB",
    amount: 1250000,
    currency: "SEK",
    method: "bank_transfer",
    paidOn: "2026-11-23",
    pausedUntil: "2026-12-01T11:05:00Z",
  },
});

export default emailPreview(paymentReported);
