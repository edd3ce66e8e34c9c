// To the payer: the supplier accepted or rejected the report, with its message and what follows
// (a credit note, or a corrected invoice: then the email is about that invoice, so its link and
// payment details below are the corrected invoice's).
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, optionalText, text } from "./components/template";
import { EmailLayout, Facts, Paragraph, Quote } from "./components/layout";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  outcome: z.enum(["accepted", "rejected"]),
  message: optionalText(5000),
  creditNoteReference: optionalText(),
  correctedInvoiceNumber: optionalText(),
});

export const disputeAnswered = defineEmail({
  audience: "payer",
  schema,
  subject: (props, { locale }) => t(locale, "email.disputeAnswered.subject", { number: props.invoiceNumber }),
  render: (props, context) => {
    const { locale, brand } = context;
    const params = { number: props.invoiceNumber, supplier: brand.name };
    const intro = t(locale, `email.disputeAnswered.${props.outcome}`, params);
    return (
      <EmailLayout context={context} preview={intro}>
        <Paragraph>{intro}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.label.invoice", props.invoiceNumber],
            ["email.label.status", t(locale, `email.disputeAnswered.status.${props.outcome}`)],
            ["email.disputeAnswered.creditNote", props.creditNoteReference],
            ["email.disputeAnswered.correctedInvoice", props.correctedInvoiceNumber],
          ]}
        />
        <Quote label={t(locale, "email.disputeAnswered.messageFrom", params)}>{props.message}</Quote>
        {props.correctedInvoiceNumber ? (
          <Paragraph>{t(locale, "email.disputeAnswered.correctedBelow", { number: props.correctedInvoiceNumber })}</Paragraph>
        ) : null}
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    outcome: "accepted",
    message: "You are right, we have credited the extra hours.",
    creditNoteReference: "CN-2026-0042",
  },
});

export default emailPreview(disputeAnswered);
