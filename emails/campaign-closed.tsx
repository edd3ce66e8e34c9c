// To the supplier's notification address when a contact-update campaign's deadline has passed:
// how its customers answered, and where to get the answers. No portal link: this mailbox is the
// supplier's own.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, instant, text } from "./components/template";
import { EmailLayout, Facts, Paragraph } from "./components/layout";
import { formatInstant } from "./components/format";
import { emailPreview } from "./components/preview";

const count = z.number().int().min(0);

const schema = z.object({
  campaignId: text(40),
  campaignName: text(200),
  deadline: instant,
  counts: z.object({ customers: count, confirmed: count, corrected: count, no_answer: count, bounced: count, opened: count }).passthrough(),
});

export const campaignClosed = defineEmail({
  audience: "supplier",
  schema,
  subject: (props, { locale }) =>
    t(locale, "email.campaignClosed.subject", {
      name: props.campaignName,
      answered: props.counts.confirmed + props.counts.corrected,
      customers: props.counts.customers,
    }),
  render: (props, context) => {
    const { locale, brand } = context;
    const { counts } = props;
    const intro = t(locale, "email.campaignClosed.intro", {
      name: props.campaignName,
      date: formatInstant(props.deadline, locale, brand.timeZone),
    });
    const number = (value: number) => value.toLocaleString(locale === "sv" ? "sv-SE" : "en-GB");
    return (
      <EmailLayout context={context} preview={intro}>
        <Paragraph>{intro}</Paragraph>
        <Facts
          locale={locale}
          rows={[
            ["email.campaignClosed.customers", number(counts.customers)],
            ["email.campaignClosed.confirmed", number(counts.confirmed)],
            ["email.campaignClosed.corrected", number(counts.corrected)],
            ["email.campaignClosed.noAnswer", number(counts.no_answer)],
            ["email.campaignClosed.bounced", number(counts.bounced)],
          ]}
        />
        <Paragraph>{t(locale, "email.campaignClosed.answers", { id: props.campaignId })}</Paragraph>
        {counts.no_answer > 0 ? <Paragraph>{t(locale, "email.campaignClosed.lateAnswers")}</Paragraph> : null}
      </EmailLayout>
    );
  },
  previewProps: {
    campaignId: "cmp_4mZ7Qk2Vb9XcYtR1sPq3Lw",
    campaignName: "Kontaktuppdatering 2026",
    deadline: "2026-12-31T23:00:00Z",
    counts: { customers: 412, confirmed: 170, corrected: 31, no_answer: 211, bounced: 7, opened: 240 },
  },
});

export default emailPreview(campaignClosed);
