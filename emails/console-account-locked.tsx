// To a console user whose account locked after 10 failed sign-ins in a row (security C2): what
// happened, until when, and the way back in that needs no password (a sign-in link by email).
import { z } from "zod";
import { t } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { defineEmail, instant, text } from "./components/template";
import { EmailLayout, Heading, Paragraph } from "./components/layout";
import { emailPreview } from "./components/preview";

const schema = z.object({ supplierName: text(), until: instant });

export const consoleAccountLocked = defineEmail({
  audience: "supplier",
  schema,
  subject: (_props, { locale }) => t(locale, "email.consoleLocked.subject"),
  render: (props, context) => {
    const { locale } = context;
    const until = formatDateTime(props.until, locale, context.brand.timeZone ?? "Europe/Stockholm");
    const intro = t(locale, "email.consoleLocked.intro", { until });
    return (
      <EmailLayout context={context} preview={intro}>
        <Heading>{t(locale, "email.consoleLocked.subject")}</Heading>
        <Paragraph>{intro}</Paragraph>
        <Paragraph>{t(locale, "email.consoleLocked.notYou")}</Paragraph>
      </EmailLayout>
    );
  },
  previewProps: { supplierName: "Nordljus Konsult AB", until: "2026-12-07T16:15:00Z" },
});

export default emailPreview(consoleAccountLocked);
