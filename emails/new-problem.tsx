// To the supplier's notification address: what the payer reported. No portal link: the link is
// the payer's bearer token and does not belong in another mailbox.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, instant, optionalText, problemKind, reasonCode, text } from "./components/template";
import { EmailLayout, Facts, Paragraph, Quote } from "./components/layout";
import { formatInstant, reasonLabel } from "./components/format";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  invoiceId: text(),
  disputeId: optionalText(),
  customerName: text(),
  kind: problemKind,
  reason: reasonCode,
  deliveryDescription: optionalText(500),
  lines: z
    .array(z.object({ position: z.number().int().positive(), description: z.string().trim().max(500) }))
    .max(500)
    .default([]),
  message: optionalText(5000),
  reporterName: optionalText(),
  reporterEmail: z.string().trim().email().max(254).nullish().transform((value) => value ?? null),
  reportedAt: instant,
});

export const newProblem = defineEmail({
  audience: "supplier",
  schema,
  subject: (props, { locale }) => t(locale, `email.newProblem.subject.${props.kind}`, { number: props.invoiceNumber }),
  render: (props, context) => {
    const { locale, brand } = context;
    const params = { number: props.invoiceNumber, customer: props.customerName };
    const reporter = [props.reporterName, props.reporterEmail ? `<${props.reporterEmail}>` : null].filter(Boolean).join(" ");
    // Empty without lines: then no "Lines" fact at all.
    const lines = props.lines
      .map((line) => t(locale, "email.label.line", { position: line.position, description: line.description }))
      .join("; ");
    return (
      <EmailLayout context={context} preview={t(locale, `email.newProblem.intro.${props.kind}`, params)}>
        <Paragraph>{t(locale, `email.newProblem.intro.${props.kind}`, params)}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.label.invoice", props.invoiceNumber],
            ["email.label.invoiceId", props.invoiceId],
            ["email.label.delivery", props.deliveryDescription],
            ["email.label.reason", reasonLabel(locale, props.reason)],
            ["email.label.lines", lines],
            ["email.label.reportedBy", reporter],
            ["email.label.reportedAt", formatInstant(props.reportedAt, locale, brand.timeZone)],
            ["email.label.disputeId", props.disputeId],
          ]}
        />
        <Quote label={t(locale, "email.label.message")}>{props.message}</Quote>
        <Paragraph>{t(locale, "email.newProblem.answer")}</Paragraph>
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    invoiceId: "inv_0000000000000000000001",
    disputeId: "dsp_0000000000000000000001",
    customerName: "Fjällbacka Bygg AB",
    kind: "delivery",
    reason: "damaged",
    deliveryDescription: "Pallet 2 of 3, Göteborg",
    lines: [{ position: 2, description: "Licence, 1 year" }],
    message: "The box was crushed on arrival.",
    reporterName: "Anna Berg",
    reporterEmail: "anna@kund.example",
    reportedAt: "2026-11-24T11:05:00Z",
  },
});

export default emailPreview(newProblem);
