// To a billing contact on file, after someone asked for a new link on an expired or replaced one
// (security L6: only to addresses on file, never to one typed by the visitor). The link itself is
// the layout's button; the email says so and how to ignore it.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, text } from "./components/template";
import { EmailLayout, Heading, Paragraph } from "./components/layout";
import { emailPreview } from "./components/preview";

const schema = z.object({
  invoiceNumber: text(),
  supplierName: text(),
});

export const newLink = defineEmail({
  audience: "payer",
  schema,
  subject: (props, { locale }) => t(locale, "email.newLink.subject", { number: props.invoiceNumber }),
  render: (props, context) => {
    const { locale } = context;
    const params = { number: props.invoiceNumber, supplier: props.supplierName };
    const intro = t(locale, "email.newLink.intro", params);
    return (
      <EmailLayout
        context={context}
        preview={intro}
        after={
          <>
            <Paragraph>{t(locale, "email.newLink.ignore")}</Paragraph>
            <Paragraph>{t(locale, "email.newLink.onFile", params)}</Paragraph>
          </>
        }
      >
        <Heading>{t(locale, "email.newLink.heading")}</Heading>
        <Paragraph>{intro}</Paragraph>
      </EmailLayout>
    );
  },
  previewProps: {
    invoiceNumber: "2026-1001",
    supplierName: "Nordljus Konsult AB",
  },
});

export default emailPreview(newLink);
