// To the old and the new address: the billing contact changed, from what to what, when; if it
// was not you, contact the supplier. Sent to both so that a hijacked address is noticed.
import { z } from "zod";
import { t } from "~/i18n";
import { defineEmail, instant, text } from "./components/template";
import { EmailLayout, Paragraph } from "./components/layout";
import { contactFieldLabel, formatInstant } from "./components/format";
import { emailPreview } from "./components/preview";

const value = z.string().trim().max(500).nullable();

const schema = z.object({
  customerName: text(),
  /** True when a contact was added rather than changed. */
  added: z.boolean().default(false),
  /** Field codes such as `email`, `phone`, `invoice_reference`; known codes are translated. */
  changes: z.array(z.object({ field: text(100), from: value, to: value })).min(1).max(50),
  changedAt: instant,
  /** Where the change was made: an invoice's page or a contact-update campaign's. */
  source: z.enum(["invoice", "campaign"]).default("invoice"),
});

const INTRO = {
  invoice: { changed: "email.contactChanged.intro", added: "email.contactChanged.introAdded" },
  campaign: { changed: "email.contactChanged.introCampaign", added: "email.contactChanged.introAddedCampaign" },
} as const;

const cell = { padding: "4px 8px", borderBottom: "1px solid #d0d7de", textAlign: "left" as const, verticalAlign: "top" as const };

export const contactChanged = defineEmail({
  audience: "payer",
  // The new address may not be the payer's: it gets the change and the payment facts, no link.
  portalLink: false,
  schema,
  subject: (props, { locale }) =>
    t(locale, props.added ? "email.contactChanged.subjectAdded" : "email.contactChanged.subject", { customer: props.customerName }),
  render: (props, context) => {
    const { locale, brand } = context;
    const params = {
      customer: props.customerName,
      supplier: brand.name,
      date: formatInstant(props.changedAt, locale, brand.timeZone),
    };
    const intro = t(locale, INTRO[props.source][props.added ? "added" : "changed"], params);
    const none = t(locale, "email.none");
    return (
      <EmailLayout context={context} preview={intro}>
        <Paragraph>{intro}</Paragraph>
        <table data-text-format="dataTable" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", fontSize: "14px", margin: "8px 0" }}>
          <thead>
            <tr>
              <th scope="col" style={cell}>{t(locale, "email.contactChanged.field")}</th>
              <th scope="col" style={cell}>{t(locale, "email.contactChanged.before")}</th>
              <th scope="col" style={cell}>{t(locale, "email.contactChanged.after")}</th>
            </tr>
          </thead>
          <tbody>
            {props.changes.map((change) => (
              <tr key={change.field}>
                <th scope="row" style={cell}>{contactFieldLabel(locale, change.field)}</th>
                <td style={cell}>{change.from || none}</td>
                <td style={cell}>{change.to || none}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Paragraph>
          <strong>{t(locale, "email.contactChanged.notYou", params)}</strong>
        </Paragraph>
        <Paragraph>{t(locale, "email.contactChanged.why")}</Paragraph>
      </EmailLayout>
    );
  },
  previewProps: {
    customerName: "Fjällbacka Bygg AB",
    changes: [
      { field: "email", from: "ap@kund.example", to: "faktura@kund.example" },
      { field: "invoice_reference", from: null, to: "PO-778" },
    ],
    changedAt: "2026-11-24T11:05:00Z",
  },
});

export default emailPreview(contactChanged);
