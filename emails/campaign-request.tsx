// To a customer's billing contacts: the supplier's yearly question "are your invoicing details
// right?", and its two follow-ups (halfway to the deadline, and near it). The link is the
// customer's campaign page (/c/…), given by the email job like an invoice's portal link. There is
// no invoice here, so the layout gets none: a context carrying one (the preview's) must not put
// an invoice's payment facts into this email.
import { Section, Text } from "@react-email/components";
import { z } from "zod";
import { deadlineReading } from "~/domain/campaign-schedule";
import { memoize } from "~/domain/memoize";
import { t, type Locale } from "~/i18n";
import { intlLocale } from "~/i18n/format";
import { defineEmail, instant, text } from "./components/template";
import { EmailLayout, Heading, Paragraph } from "./components/layout";
import { styles } from "./components/elements";
import { formatInstant } from "./components/format";
import { emailPreview } from "./components/preview";

export const CAMPAIGN_EMAIL_KINDS = ["request", "halfway", "final"] as const;

const schema = z.object({
  customerName: text(),
  campaignName: text(),
  /** The supplier's own words, plain text: shown as written (escaped), blank lines start paragraphs. */
  message: text(5000),
  deadline: instant,
  kind: z.enum(CAMPAIGN_EMAIL_KINDS).default("request"),
});

/** What the customer is asked to check: what the campaign page shows. */
const CHECKLIST = ["contacts", "reference", "address", "orgNumber", "einvoice"] as const;

const dayFormat = memoize((key) => {
  const [locale, timeZone] = key.split("|") as [Locale, string];
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "long", timeZone });
});

/**
 * The deadline for people, in the supplier's time zone: the day alone for the end of a day (the
 * API's "deadline": "2027-03-15" is midnight after the 15th: "by 15 March", not "by 16 March at
 * 00:00"), else the day and the time. `day` is for the subject line.
 */
function deadlineOf(iso: string, locale: Locale, timeZone = "Europe/Stockholm"): { day: string; full: string } {
  const reading = deadlineReading(new Date(iso), timeZone);
  const day = dayFormat(`${locale}|${timeZone}`).format(reading.day);
  return { day, full: reading.endOfDay ? day : formatInstant(iso, locale, timeZone) };
}

/** Paragraphs split at blank lines; single line breaks kept inside a paragraph. */
function paragraphsOf(message: string): string[][] {
  return message
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*(?:\n[ \t]*)+/)
    .map((paragraph) => paragraph.split("\n").map((line) => line.trimEnd()))
    .filter((lines) => lines.some((line) => line.trim() !== ""));
}

function SupplierMessage({ title, message }: { title: string; message: string }) {
  return (
    <Section style={styles.box}>
      <Text style={styles.subheading}>{title}</Text>
      {paragraphsOf(message).map((lines, index) => (
        <Text key={index} style={{ ...styles.paragraph, margin: "8px 0 0" }}>
          {lines.map((line, at) => (
            <span key={at}>
              {at > 0 ? <br /> : null}
              {line}
            </span>
          ))}
        </Text>
      ))}
    </Section>
  );
}

export const campaignRequest = defineEmail({
  audience: "payer",
  schema,
  subject: (props, { locale, brand }) =>
    t(locale, `email.campaign.subject.${props.kind}`, { supplier: brand.name, date: deadlineOf(props.deadline, locale, brand.timeZone).day }),
  render: (props, context) => {
    const { locale, brand } = context;
    const params = { supplier: brand.name, customer: props.customerName, date: deadlineOf(props.deadline, locale, brand.timeZone).full };
    const intro = t(locale, `email.campaign.intro.${props.kind}`, params);
    return (
      <EmailLayout
        // About the customer, not an invoice: never an invoice's payment block.
        context={{ ...context, invoice: null }}
        preview={intro}
        buttons={[{ label: t(locale, "email.campaign.button") }]}
        after={<Paragraph>{t(locale, "email.campaign.personal", params)}</Paragraph>}
      >
        <Heading>{t(locale, `email.campaign.heading.${props.kind}`)}</Heading>
        <Paragraph>{intro}</Paragraph>
        <SupplierMessage title={props.campaignName} message={props.message} />
        <Text style={{ ...styles.paragraph, marginBottom: 0 }}>{t(locale, "email.campaign.check")}</Text>
        <ul style={{ ...styles.paragraph, margin: "4px 0 12px", paddingLeft: "22px" }}>
          {CHECKLIST.map((item) => (
            <li key={item}>{t(locale, `email.campaign.item.${item}`)}</li>
          ))}
        </ul>
        <Paragraph>{t(locale, "email.campaign.minute")}</Paragraph>
        <Paragraph>
          <strong>{t(locale, "email.campaign.deadline", params)}</strong>
        </Paragraph>
      </EmailLayout>
    );
  },
  previewProps: {
    customerName: "Fjällbacka Bygg AB",
    campaignName: "Kontaktuppgifter 2027",
    message: "Hej!\n\nInför det nya året ser vi över vart våra fakturor går.\nTack för hjälpen!\n\nEkonomiavdelningen, Nordljus Konsult AB",
    // The end of 15 March 2027 in Stockholm, as the API makes "deadline": "2027-03-15".
    deadline: "2027-03-15T23:00:00Z",
    kind: "request",
  },
});

export default emailPreview(campaignRequest);
