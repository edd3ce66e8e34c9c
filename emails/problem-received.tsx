// To the payer: we received your report about an invoice or a delivery, what happens next, the link.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, optionalText, problemKind, reasonCode, text } from "./components/template";
import { EmailLayout, Facts, Heading, Paragraph, Quote, portalUrlOf } from "./components/layout";
import { reasonLabel } from "./components/format";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  kind: problemKind,
  reason: reasonCode,
  deliveryDescription: optionalText(500),
  message: optionalText(5000),
});

export const problemReceived = defineEmail({
  audience: "payer",
  schema,
  subject: (props, { locale }) => t(locale, "email.problemReceived.subject", { number: props.invoiceNumber }),
  render: (props, context) => {
    const { locale, brand } = context;
    const params = { number: props.invoiceNumber, supplier: brand.name };
    return (
      <EmailLayout context={context} preview={t(locale, "email.problemReceived.subject", params)}>
        <Heading>{t(locale, "email.problemReceived.heading")}</Heading>
        <Paragraph>{t(locale, `email.problemReceived.intro.${props.kind}`, params)}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.label.invoice", props.invoiceNumber],
            ["email.label.delivery", props.deliveryDescription],
            ["email.label.reason", reasonLabel(locale, props.reason)],
            ["email.label.status", t(locale, "email.problemReceived.status", params)],
          ]}
        />
        <Quote label={t(locale, "email.problemReceived.yourMessage")}>{props.message}</Quote>
        {portalUrlOf(context) ? <Paragraph>{t(locale, "email.problemReceived.follow")}</Paragraph> : null}
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    kind: "invoice",
    reason: "wrong_amount",
    message: "Line 2 should be 10 hours, not 12.5.",
  },
});

export default emailPreview(problemReceived);
