// To the supplier: the payer confirmed the invoice, by whom and with which reference.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, instant, optionalText, text } from "./components/template";
import { EmailLayout, Facts, Paragraph } from "./components/layout";
import { formatInstant } from "./components/format";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  invoiceId: text(),
  customerName: text(),
  confirmedBy: optionalText(),
  reference: optionalText(),
  costCentre: optionalText(),
  confirmedAt: instant,
});

export const invoiceConfirmed = defineEmail({
  audience: "supplier",
  schema,
  subject: (props, { locale }) =>
    t(locale, "email.invoiceConfirmed.subject", { number: props.invoiceNumber, customer: props.customerName }),
  render: (props, context) => {
    const { locale, brand } = context;
    const intro = t(locale, "email.invoiceConfirmed.intro", {
      number: props.invoiceNumber,
      customer: props.customerName,
      date: formatInstant(props.confirmedAt, locale, brand.timeZone),
    });
    return (
      <EmailLayout context={context} preview={intro}>
        <Paragraph>{intro}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.label.invoice", props.invoiceNumber],
            ["email.label.invoiceId", props.invoiceId],
            ["email.invoiceConfirmed.confirmedBy", props.confirmedBy],
            ["email.invoiceConfirmed.reference", props.reference],
            ["email.invoiceConfirmed.costCentre", props.costCentre],
          ]}
        />
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    invoiceId: "inv_0000000000000000000001",
    customerName: "Fjällbacka Bygg AB",
    confirmedBy: "Anna Berg",
    reference: "PO-778",
    costCentre: "4410",
    confirmedAt: "2026-11-24T11:05:00Z",
  },
});

export default emailPreview(invoiceConfirmed);
