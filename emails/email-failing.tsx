// To the supplier's notification address: mail to a billing contact bounced or was reported as
// spam (a verified provider event), so we suppress the address; sending resumes when the supplier
// corrects it. No portal link: this mailbox is not the payer's.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, optionalText } from "./components/template";
import { EmailLayout, Facts, Paragraph } from "./components/layout";
import { emailPreview } from "./components/preview";

const schema = z.object({
  address: z.string().trim().min(3).max(254),
  reason: z.enum(["bounced", "complained"]),
  customerName: optionalText(),
  contactName: optionalText(),
  /**
   * The provider's words (e.g. the receiving server's answer), shown as given. Shortened rather
   * than refused: a long bounce text must not stop the supplier from hearing about it.
   */
  detail: z
    .string()
    .nullish()
    .transform((value) => value?.trim().slice(0, 1000) || null),
  invoiceNumber: optionalText(),
});

export const emailFailing = defineEmail({
  audience: "supplier",
  schema,
  subject: (props, { locale }) => t(locale, `email.emailFailing.subject.${props.reason}`, { address: props.address }),
  render: (props, context) => {
    const { locale } = context;
    const intro = t(locale, `email.emailFailing.intro.${props.reason}`, { address: props.address });
    return (
      <EmailLayout context={context} preview={intro}>
        <Paragraph>{intro}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.emailFailing.address", props.address],
            ["email.emailFailing.what", t(locale, `email.emailFailing.reason.${props.reason}`)],
            ["email.emailFailing.customer", props.customerName],
            ["email.emailFailing.contact", props.contactName],
            ["email.label.invoice", props.invoiceNumber],
            ["email.emailFailing.detail", props.detail],
          ]}
        />
        <Paragraph>{t(locale, "email.emailFailing.stopped")}</Paragraph>
        <Paragraph>{t(locale, "email.emailFailing.resume")}</Paragraph>
      </EmailLayout>
    );
  },
  previewProps: {
    address: "ap@kund.example",
    reason: "bounced",
    customerName: "Fjällbacka Bygg AB",
    contactName: "Anna Berg",
    detail: "550 5.1.1 The email account that you tried to reach does not exist.",
    invoiceNumber: "2026-1001",
  },
});

export default emailPreview(emailFailing);
