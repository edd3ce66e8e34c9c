// To the payer's billing contacts: the receipt for a payment that arrived (queued by the ledger,
// app/features/payments/payments.server.ts). What is left to pay and the portal link come from the layout.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, instant, text } from "./components/template";
import { EmailLayout, Facts, Heading, Paragraph } from "./components/layout";
import { formatInstant } from "./components/format";
import { currencyCode, methodLabel, minorAmount, money, paymentMethod } from "./components/payment";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  supplierName: text(),
  amount: minorAmount,
  currency: currencyCode,
  method: paymentMethod,
  paidAt: instant,
  paymentReference: text(),
  /** What is left to pay on the invoice after this payment. */
  amountDue: minorAmount,
});

export const paymentReceipt = defineEmail({
  audience: "payer",
  schema,
  subject: (props, { locale }) =>
    t(locale, "email.paymentReceipt.subject", {
      number: props.invoiceNumber,
      amount: money(locale, props.amount, props.currency),
    }),
  render: (props, context) => {
    const { locale, brand } = context;
    const amount = money(locale, props.amount, props.currency);
    const intro = t(locale, "email.paymentReceipt.intro", { supplier: props.supplierName, amount, number: props.invoiceNumber });
    const balance =
      props.amountDue > 0
        ? t(locale, "email.paymentReceipt.left", { amount: money(locale, props.amountDue, props.currency) })
        : t(locale, "email.paymentReceipt.settled");
    return (
      <EmailLayout context={context} preview={intro}>
        <Heading>{t(locale, "email.paymentReceipt.heading")}</Heading>
        <Paragraph>{intro}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.label.invoice", props.invoiceNumber],
            ["email.paymentReceipt.amount", amount],
            ["email.paymentReceipt.paidAt", formatInstant(props.paidAt, locale, brand.timeZone)],
            ["email.paymentReceipt.method", methodLabel(locale, props.method)],
            ["email.paymentReceipt.reference", props.paymentReference],
          ]}
        />
        {/* With the invoice in the context the layout's block says what is left (as of sending). */}
        {context.invoice ? null : <Paragraph>{balance}</Paragraph>}
        <Paragraph>{t(locale, "email.paymentReceipt.keep")}</Paragraph>
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    supplierName: "Nordljus Konsult AB",
    amount: 1250000,
    currency: "SEK",
    method: "card",
    paidAt: "2026-11-24T11:05:00Z",
    paymentReference: "pi_3QxExample0001",
    amountDue: 0,
  },
  previewInvoice: { amountDue: 0 },
});

export default emailPreview(paymentReceipt);
