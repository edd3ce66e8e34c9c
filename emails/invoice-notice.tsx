// To the payer's billing contacts: a new invoice. The two things we hope they do next, confirm it
// and pay it, are buttons to those parts of the invoice page; the payment facts and the link
// spelled out come from the layout. The supplier's own message, if any, is quoted as written.
import { z } from "zod";
import { t } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { defineEmail, optionalText, text } from "./components/template";
import { EmailLayout, Facts, Heading, Paragraph, Quote, portalUrlOf, type PortalButton } from "./components/layout";
import { calendarDate, currencyCode, minorAmount, money } from "./components/payment";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  supplierName: text(),
  issueDate: calendarDate,
  dueDate: calendarDate,
  total: minorAmount,
  currency: currencyCode,
  message: optionalText(2000),
});

export const invoiceNotice = defineEmail({
  audience: "payer",
  schema,
  subject: (props, { locale }) => t(locale, "email.invoiceNotice.subject", { number: props.invoiceNumber, supplier: props.supplierName }),
  render: (props, context) => {
    const { locale } = context;
    const params = { number: props.invoiceNumber, supplier: props.supplierName, date: formatDate(props.dueDate, locale) };
    const intro = t(locale, "email.invoiceNotice.intro", params);
    // Ids of the invoice page's sections (app/components/invoice/payer-actions.tsx, payment-details.tsx).
    const buttons: PortalButton[] = [{ label: t(locale, "email.invoiceNotice.confirm"), fragment: "actions-heading" }];
    if (context.invoice?.amountDue !== 0) buttons.push({ label: t(locale, "email.invoiceNotice.pay"), fragment: "pay" });
    return (
      <EmailLayout
        context={context}
        preview={intro}
        buttons={buttons}
        after={portalUrlOf(context) ? <Paragraph>{t(locale, "email.invoiceNotice.more")}</Paragraph> : null}
      >
        <Heading>{t(locale, "email.invoiceNotice.heading", params)}</Heading>
        <Paragraph>{intro}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.label.invoice", props.invoiceNumber],
            ["email.invoiceNotice.issueDate", formatDate(props.issueDate, locale)],
            ["email.invoiceNotice.total", money(locale, props.total, props.currency)],
          ]}
        />
        <Quote label={t(locale, "email.invoiceNotice.message", params)}>{props.message}</Quote>
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    supplierName: "Nordljus Konsult AB",
    issueDate: "2026-10-21",
    dueDate: "2026-11-20",
    total: 1250000,
    currency: "SEK",
    message: "Tack för er beställning! Frågor om fakturan besvaras på faktura@nordljus.example.",
  },
});

export default emailPreview(invoiceNotice);
