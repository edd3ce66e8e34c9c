import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { t, type Locale } from "~/i18n";
import type { CampaignPage } from "~/features/campaigns/campaign-page.server";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import { Contacts } from "../invoice/contacts";
import { CampaignPageView } from "./campaign-page";
import { paragraphsOf } from "./campaign-message";

function samplePage(locale: Locale, changes: Partial<CampaignPage> = {}): CampaignPage {
  return {
    locale,
    supplier: { name: "Nordljus Konsult AB", logoUrl: null, brandColor: "#0F766E", timeZone: "Europe/Stockholm" },
    campaign: {
      name: "Annual check",
      message: "Hello!\n\nPlease check the details.\nThank you.",
      deadline: { at: "2026-03-31T22:00:00.000Z", date: "2026-03-31", endOfDay: true },
    },
    customer: { name: "Fjällbacka Bygg AB", orgNumber: "556016-0680" },
    contacts: [
      {
        id: "con_1", name: "Eva Ekonomi", email: "eva@fjallbacka.example", phone: null, invoiceReference: "Ref 55",
        addressLine1: "Hamngatan 1", addressLine2: null, postalCode: "457 40", city: "Fjällbacka", country: "SE",
        language: "sv", channel: "peppol", peppolId: "0007:5560160680", emailFailure: "bounced",
      },
    ],
    answer: null,
    notice: null,
    submissionIds: { "confirm-contacts": "a".repeat(22), "add-contact": "b".repeat(22), "update-organisation": "c".repeat(22), "update-contact:con_1": "d".repeat(22) },
    ...changes,
  };
}

const render = (page: CampaignPage, actionData?: PayerActionData) => renderToString(<CampaignPageView page={page} actionData={actionData} />);
const text = (html: string) => html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ");

describe("the campaign page", () => {
  it.each<[Locale, string, string]>([
    ["sv", "Svara senast 31 mars 2026.", "Allt stämmer"],
    ["en", "Please answer by 31 March 2026.", "All correct"],
  ])("in %s: deadline, company, every contact detail and one “All correct” button", (locale, deadline, button) => {
    const html = render(samplePage(locale));
    const shown = text(html);
    for (const expected of [
      deadline, button, "Fjällbacka Bygg AB", "556016-0680", "eva@fjallbacka.example", "Ref 55", "Hamngatan 1, 457 40 Fjällbacka, SE",
      "0007:5560160680", t(locale, "contacts.channel.peppol"), t(locale, "contacts.language.sv"),
      t(locale, "campaign.messageHeading", { supplier: "Nordljus Konsult AB" }),
    ]) {
      expect(shown).toContain(expected);
    }
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).toContain('<p>Please check the details.<br/>Thank you.</p>');
    expect(html).not.toMatch(/style=/);
    // The bounced address is pointed out and its correction form is open.
    expect(shown).toContain(t(locale, "contacts.emailFailing.bounced", { email: "eva@fjallbacka.example" }));
    expect(html.match(/name="intent" value="confirm-contacts"/g)).toHaveLength(1);
    expect(html).toMatch(/<button type="submit" class="button button--pay">/);
    // The one-tap answer comes first, before the company and the contacts.
    expect(html.indexOf('value="confirm-contacts"')).toBeLessThan(html.indexOf("Fjällbacka Bygg AB</"));
    expect(html.indexOf('value="confirm-contacts"')).toBeLessThan(html.indexOf('value="update-organisation"'));
  });

  it("gives a deadline that is not the end of a day with its time, on the supplier's clock", () => {
    const deadline = { at: "2026-03-31T10:30:00.000Z", date: "2026-03-31", endOfDay: false };
    const page = samplePage("en");
    expect(text(render({ ...page, campaign: { ...page.campaign, deadline } }))).toContain("Please answer by 31 March 2026 at 12:30.");
  });

  it("after an answer: thanks with the date, announced only right after answering, forms still there", () => {
    const answered = samplePage("en", { answer: { kind: "corrected", at: "2026-03-03T09:00:00.000Z", date: "2026-03-03" } });
    const later = render(answered);
    expect(text(later)).toContain("Thank you — your details are updated");
    expect(text(later)).toContain("Saved on 3 March 2026 and sent to Nordljus Konsult AB.");
    expect(later).not.toContain('role="status"');
    expect(later).toContain('value="update-contact"');
    // Done: neither the deadline nor the same "All correct" block again.
    expect(text(later)).not.toContain("Please answer by");
    expect(later).not.toContain('value="confirm-contacts"');
    const justNow = render({ ...answered, notice: "update-contact" });
    expect(justNow).toContain('<div class="notice" role="status">');
  });

  it("a refused form shows its error beside the field, with what was typed", () => {
    const html = render(samplePage("sv"), {
      form: "update-organisation",
      errors: { org_number: "campaign.error.orgNumber" },
      formError: null,
      values: { org_number: "556016-0681" },
    });
    expect(html).toContain(t("sv", "campaign.error.orgNumber"));
    expect(html).toMatch(/aria-invalid="true" aria-describedby="update-organisation-org_number-hint update-organisation-org_number-error"/);
    expect(html).toContain('value="556016-0681"');
  });

  it("keeps the message's paragraphs and line breaks, and drops blank lines", () => {
    expect(paragraphsOf("a\r\nb\r\n\r\n\r\n  c  \n\n \n")).toEqual([["a", "b"], ["c"]]);
    expect(paragraphsOf("   ")).toEqual([]);
  });
});

describe("the invoice page's contacts", () => {
  it("say when the customer last confirmed them, only once it has", () => {
    const props = { contacts: [], submissionIds: {}, supplier: "Nordljus Konsult AB" };
    expect(text(renderToString(<Contacts {...props} locale="en" confirmedOn="2026-03-03" />))).toContain("Confirmed by you on 3 March 2026.");
    expect(text(renderToString(<Contacts {...props} locale="sv" confirmedOn="2026-03-03" />))).toContain("Bekräftade av er den 3 mars 2026.");
    expect(renderToString(<Contacts {...props} locale="en" confirmedOn={null} />)).not.toContain('class="confirmed"');
  });
});
