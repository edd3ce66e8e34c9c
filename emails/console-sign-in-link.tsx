// To a console user: an invitation to a supplier's team, or the sign-in link they asked for
// (a forgotten password). The link works once (security C3); the button and the address spelled out.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, text, webUrl } from "./components/template";
import { EmailLayout, Heading, Paragraph } from "./components/layout";
import { LinkButtons } from "./components/elements";
import { emailPreview } from "./components/preview";

const schema = z.object({
  url: webUrl,
  purpose: z.enum(["invite", "sign_in"]),
  supplierName: text(),
});

export const consoleSignInLink = defineEmail({
  audience: "supplier",
  schema,
  subject: (props, { locale }) => t(locale, `email.consoleLink.subject.${props.purpose}`, { supplier: props.supplierName }),
  render: (props, context) => {
    const { locale } = context;
    const intro = t(locale, `email.consoleLink.intro.${props.purpose}`, { supplier: props.supplierName });
    return (
      <EmailLayout context={context} preview={intro}>
        <Heading>{t(locale, `email.consoleLink.subject.${props.purpose}`, { supplier: props.supplierName })}</Heading>
        <Paragraph>{intro}</Paragraph>
        <LinkButtons context={context} buttons={[{ href: props.url, label: t(locale, "email.consoleLink.button") }]} address={props.url} />
        <Paragraph>{t(locale, `email.consoleLink.expires.${props.purpose}`)}</Paragraph>
        <Paragraph>{t(locale, "email.consoleLink.ignore")}</Paragraph>
      </EmailLayout>
    );
  },
  previewProps: { url: "https://portal.example/app/link/preview-token", purpose: "invite", supplierName: "Nordljus Konsult AB" },
});

export default emailPreview(consoleSignInLink);
