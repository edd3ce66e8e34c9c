import { describe, expect, it } from "vitest";
import { EmailPropsError, emailTemplates, parseEmailProps, renderEmail } from "./index";
import { SAMPLE_BRAND as brand, SAMPLE_INVOICE, previewContext } from "./components/preview";
import type { EmailContext } from "./components/template";

const template = emailTemplates["campaign-request"];
const base = template.previewProps;
const CAMPAIGN_URL = "https://pay.example.test/c/preview-token";

// Intl may put a narrow no-break space or "kl." into times; compare on plain spaces without it.
const normalise = (text: string) => text.replace(/[\u00a0\u202f]/g, " ").replace(/ kl\. /g, " ");
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);

async function campaignEmail(props: object = {}, locale: "sv" | "en" = "en", context: Partial<EmailContext> = {}) {
  const email = await renderEmail("campaign-request", { ...base, ...props }, { locale, brand, portalUrl: CAMPAIGN_URL, ...context });
  return { ...email, subject: normalise(email.subject), text: normalise(email.text) };
}

describe("campaign-request", () => {
  it("asks the customer to check its details through one button to its campaign page, with the address spelled out", async () => {
    for (const [locale, label] of [["en", "Check your details"], ["sv", "Kontrollera era uppgifter"]] as const) {
      const email = await campaignEmail({}, locale);
      expect(hrefs(email.html)).toEqual([CAMPAIGN_URL, CAMPAIGN_URL]);
      expect(email.text).toContain(`${label} ${CAMPAIGN_URL}`);
      expect(email.html).toContain(`>${CAMPAIGN_URL}</a>`);
    }
    const en = await campaignEmail();
    for (const item of ["who receives invoices", "invoice reference", "postal invoice address", "organisation number", "e-invoice (Peppol) id"]) {
      expect(en.text).toContain(item);
    }
    expect(en.text).toContain("It takes a minute");
  });

  it("never shows an invoice's payment facts, even when the context has an invoice", async () => {
    const email = await campaignEmail({}, "sv", { invoice: SAMPLE_INVOICE });
    const preview = await renderEmail("campaign-request", base, previewContext(template, "sv"));
    for (const text of [email.text, normalise(preview.text)]) {
      for (const absent of ["Att betala", "Bankgiro", "OCR", "Förfallodag", "2026-1001", "Öppna fakturan"]) expect(text).not.toContain(absent);
    }
  });

  it("has no button at all without a link", async () => {
    const email = await campaignEmail({}, "en", { portalUrl: null });
    expect(hrefs(email.html)).toEqual([]);
    expect(email.text).not.toContain("Check your details");
  });

  it("names the supplier, and says reminder, then that the deadline is near", async () => {
    const subjects = { sv: [] as string[], en: [] as string[] };
    for (const kind of ["request", "halfway", "final"]) {
      for (const locale of ["sv", "en"] as const) subjects[locale].push((await campaignEmail({ kind }, locale)).subject);
    }
    expect(subjects.en).toEqual([
      "Are your invoicing details right? – Nordljus Konsult AB",
      "Reminder: are your invoicing details right? – Nordljus Konsult AB",
      "Final reminder: please check your invoicing details by 15 March 2027 – Nordljus Konsult AB",
    ]);
    expect(subjects.sv).toEqual([
      "Stämmer våra uppgifter om er? – Nordljus Konsult AB",
      "Påminnelse: stämmer våra uppgifter om er? – Nordljus Konsult AB",
      "Sista påminnelsen: kontrollera era fakturauppgifter senast 15 mars 2027 – Nordljus Konsult AB",
    ]);
    const halfway = await campaignEmail({ kind: "halfway" });
    expect(halfway.text).toContain("Nordljus Konsult AB has not heard from Fjällbacka Bygg AB yet.");
    const final = await campaignEmail({ kind: "final" }, "sv");
    expect(final.text).toContain("Snart är det sista dagen");
    expect(final.text).toContain("Svara senast 15 mars 2027.");
  });

  it("gives the deadline in the supplier's time zone: a time of day as such, the end of a day as that day", async () => {
    const deadline = "2027-03-16T03:30:00Z";
    const stockholm = await campaignEmail({ deadline, kind: "final" });
    expect(stockholm.text).toContain("Please answer by 16 March 2027 at 04:30.");
    expect(stockholm.subject).toContain("by 16 March 2027");
    const newYork = await campaignEmail({ deadline, kind: "final" }, "en", { brand: { ...brand, timeZone: "America/New_York" } });
    expect(newYork.text).toContain("Please answer by 15 March 2027 at 23:30.");
    expect(newYork.subject).toContain("by 15 March 2027");

    // Midnight where the supplier is (summer time in Stockholm, winter time in New York) ends the day before.
    const summer = await campaignEmail({ deadline: "2027-06-30T22:00:00Z" }, "sv");
    expect(summer.text).toContain("Svara senast 30 juni 2027.");
    const winter = await campaignEmail({ deadline: "2027-01-16T05:00:00Z", kind: "final" }, "en", { brand: { ...brand, timeZone: "America/New_York" } });
    expect(winter.text).toContain("Please answer by 15 January 2027.");
    expect(winter.subject).toContain("by 15 January 2027 –");
  });

  it("keeps the supplier's paragraphs and line breaks, and shows markup as typed, never as HTML", async () => {
    const message = `First paragraph.\r\n\r\nSecond, line one\nline two\n\n\n<b>bold?</b> <a href="https://evil.example">x</a><script>alert(1)</script>`;
    const email = await campaignEmail({ message });
    expect(email.text).toMatch(/First paragraph\.\n\nSecond, line one\nline two\n\n<b>bold\?<\/b>/);
    expect(email.html).not.toContain("<b>bold");
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;");
    expect(hrefs(email.html)).not.toContain("https://evil.example");
  });

  it("takes a message of up to 5,000 characters and names each wrong field", () => {
    expect(parseEmailProps("campaign-request", { ...base, message: "x".repeat(5000) }).message).toHaveLength(5000);
    expect(parseEmailProps("campaign-request", { ...base, kind: undefined }).kind).toBe("request");
    expect(parseEmailProps("campaign-request", { ...base, deadline: new Date("2027-03-15T23:00:00Z") }).deadline).toBe("2027-03-15T23:00:00.000Z");
    try {
      parseEmailProps("campaign-request", { customerName: " ", message: "x".repeat(5001), deadline: "15 March", kind: "third" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EmailPropsError);
      const issues = (error as EmailPropsError).issues.join("\n");
      for (const field of ["customerName", "campaignName", "message", "deadline", "kind"]) expect(issues).toContain(`${field}:`);
    }
  });
});
