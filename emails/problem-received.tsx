// To the payer: we received your report about an invoice or a delivery, what happens next, the link.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, optionalText, optionalWebUrl, problemKind, reasonCode, text } from "./components/template";
import { EmailLayout, Fact, Heading, Paragraph, PortalLink, Quote } from "./components/layout";
import { reasonLabel } from "./components/format";

const schema = z.object({
  invoiceNumber: text(),
  kind: problemKind,
  reason: reasonCode,
  deliveryDescription: optionalText(500),
  message: optionalText(5000),
  portalUrl: optionalWebUrl,
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
        <Fact label={t(locale, "email.label.invoice")} value={props.invoiceNumber} />
        <Fact label={t(locale, "email.label.delivery")} value={props.deliveryDescription} />
        <Fact label={t(locale, "email.label.reason")} value={reasonLabel(locale, props.reason)} />
        <Fact label={t(locale, "email.label.status")} value={t(locale, "email.problemReceived.status", params)} />
        <Quote label={t(locale, "email.problemReceived.yourMessage")}>{props.message}</Quote>
        {props.portalUrl ? <Paragraph>{t(locale, "email.problemReceived.follow")}</Paragraph> : null}
        <PortalLink context={context} href={props.portalUrl} />
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    kind: "invoice",
    reason: "wrong_amount",
    message: "Line 2 should be 10 hours, not 12.5.",
    portalUrl: "https://pay.example.test/i/preview-token",
  },
});
