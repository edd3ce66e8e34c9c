// To the supplier's notification address: a payer says it has paid. Not money yet: reminders
// pause until the date shown, and the bank file or provider event settles it. No portal link.
import { z } from "zod";
import { t } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { defineEmail, instant, text } from "./components/template";
import { EmailLayout, Facts, Paragraph } from "./components/layout";
import { formatInstant } from "./components/format";
import { calendarDate, currencyCode, methodLabel, minorAmount, money, reportedMethod } from "./components/payment";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  invoiceId: text(),
  customerName: text(),
  reportId: text(),
  amount: minorAmount,
  currency: currencyCode,
  method: reportedMethod,
  paidOn: calendarDate,
  reportedAt: instant,
  pausedUntil: instant,
});

export const paymentReportedSupplier = defineEmail({
  audience: "supplier",
  schema,
  subject: (props, { locale }) =>
    t(locale, "email.paymentReportedSupplier.subject", { number: props.invoiceNumber, customer: props.customerName }),
  render: (props, context) => {
    const { locale, brand } = context;
    const intro = t(locale, "email.paymentReportedSupplier.intro", { number: props.invoiceNumber, customer: props.customerName });
    return (
      <EmailLayout context={context} preview={intro}>
        <Paragraph>{intro}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.label.invoice", props.invoiceNumber],
            ["email.label.invoiceId", props.invoiceId],
            ["email.paymentReported.amount", money(locale, props.amount, props.currency)],
            ["email.paymentReported.paidOn", formatDate(props.paidOn, locale)],
            ["email.paymentReported.method", methodLabel(locale, props.method)],
            ["email.label.reportedAt", formatInstant(props.reportedAt, locale, brand.timeZone)],
            ["email.label.reportId", props.reportId],
          ]}
        />
        <Paragraph>
          {t(locale, "email.paymentReportedSupplier.paused", { date: formatInstant(props.pausedUntil, locale, brand.timeZone) })}
        </Paragraph>
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    invoiceId: "inv_0000000000000000000001",
    customerName: "Fjällbacka Bygg AB",
    reportId: "prp_0000000000000000000001",
    amount: 1250000,
    currency: "SEK",
    method: "swish",
    paidOn: "2026-11-23",
    reportedAt: "2026-11-24T11:05:00Z",
    pausedUntil: "2026-12-01T11:05:00Z",
  },
});

export default emailPreview(paymentReportedSupplier);
