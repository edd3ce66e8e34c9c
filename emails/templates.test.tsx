import { describe, expect, it } from "vitest";
import { EMAIL_TEMPLATE_NAMES, EmailPropsError, emailTemplates, parseEmailProps, renderEmail, type EmailTemplateName } from "./index";

const brand = { name: "Nordljus Konsult AB", brandColor: "#1a5fb4", timeZone: "Europe/Stockholm" };
const PORTAL = "https://pay.example.test/i/preview-token";

/** What a reader must find in each email's plain-text part, per language. */
const FACTS: Record<EmailTemplateName, { sv: string[]; en: string[]; subject: { sv: string; en: string } }> = {
  "problem-received": {
    sv: ["2026-1001", "Fel belopp eller pris", "Väntar på svar från Nordljus Konsult AB", "Line 2 should be 10 hours"],
    en: ["2026-1001", "Wrong amount or price", "Waiting for an answer from Nordljus Konsult AB", "Line 2 should be 10 hours"],
    subject: { sv: "Vi har tagit emot din anmälan om faktura 2026-1001", en: "We have received your report on invoice 2026-1001" },
  },
  "new-problem": {
    sv: ["Fjällbacka Bygg AB har anmält ett problem med en leverans", "Skadad", "Rad 2: Licence, 1 year", "Anna Berg <anna@kund.example>", "24 november 2026 12:05", "The box was crushed", "inv_0000000000000000000001", "Pallet 2 of 3"],
    en: ["Fjällbacka Bygg AB reported a problem with a delivery", "Damaged", "Line 2: Licence, 1 year", "Anna Berg <anna@kund.example>", "24 November 2026 at 12:05", "The box was crushed", "inv_0000000000000000000001", "Pallet 2 of 3"],
    subject: { sv: "Leveransproblem anmält på faktura 2026-1001", en: "Delivery problem reported on invoice 2026-1001" },
  },
  "dispute-answered": {
    sv: ["Nordljus Konsult AB har godkänt din anmälan om faktura 2026-1001", "Löst: godkänd", "CN-2026-0042", "credited the extra hours"],
    en: ["Nordljus Konsult AB has accepted your report on invoice 2026-1001", "Resolved: accepted", "CN-2026-0042", "credited the extra hours"],
    subject: { sv: "Svar på din anmälan om faktura 2026-1001", en: "Answer to your report on invoice 2026-1001" },
  },
  "contact-changed": {
    sv: ["Fakturakontakten för Fjällbacka Bygg AB hos Nordljus Konsult AB ändrades", "24 november 2026", "ap@kund.example", "faktura@kund.example", "PO-778", "kontakta Nordljus Konsult AB omgående"],
    en: ["The billing contact for Fjällbacka Bygg AB at Nordljus Konsult AB was changed", "24 November 2026", "ap@kund.example", "faktura@kund.example", "PO-778", "contact Nordljus Konsult AB at once"],
    subject: { sv: "Fakturakontakten för Fjällbacka Bygg AB har ändrats", en: "The billing contact for Fjällbacka Bygg AB was changed" },
  },
  "invoice-confirmed": {
    sv: ["Fjällbacka Bygg AB bekräftade faktura 2026-1001 den 24 november 2026", "Bekräftad av: Anna Berg", "Deras referens: PO-778", "Kostnadsställe: 4410"],
    en: ["Fjällbacka Bygg AB confirmed invoice 2026-1001 on 24 November 2026", "Confirmed by: Anna Berg", "Their reference: PO-778", "Cost centre: 4410"],
    subject: { sv: "Faktura 2026-1001 bekräftad av Fjällbacka Bygg AB", en: "Invoice 2026-1001 confirmed by Fjällbacka Bygg AB" },
  },
  "payment-receipt": {
    sv: ["Nordljus Konsult AB har tagit emot din betalning på 12 500,00 kr för faktura 2026-1001", "Betald: 24 november 2026 12:05", "Betalsätt: Kort", "Betalningsreferens: pi_3QxExample0001", "Fakturan är nu helt betald"],
    en: ["Nordljus Konsult AB has received your payment of SEK 12,500.00 for invoice 2026-1001", "Paid: 24 November 2026 at 12:05", "Paid by: Card", "Payment reference: pi_3QxExample0001", "The invoice is now fully paid"],
    subject: { sv: "Kvitto: 12 500,00 kr betalt på faktura 2026-1001", en: "Receipt: SEK 12,500.00 paid on invoice 2026-1001" },
  },
  "payment-reported": {
    sv: ["Du har meddelat Nordljus Konsult AB att du har betalat faktura 2026-1001", "Belopp: 12 500,00 kr", "Betald den: 23 november 2026", "Betalsätt: Banköverföring", "förrän 1 december 2026 12:05"],
    en: ["You told Nordljus Konsult AB that you have paid invoice 2026-1001", "Amount: SEK 12,500.00", "Paid on: 23 November 2026", "Paid by: Bank transfer", "until 1 December 2026 at 12:05"],
    subject: { sv: "Vi har noterat din betalning av faktura 2026-1001", en: "We have noted your payment of invoice 2026-1001" },
  },
  "payment-reported-supplier": {
    sv: ["Fjällbacka Bygg AB har meddelat att faktura 2026-1001 är betald", "Belopp: 12 500,00 kr", "Betald den: 23 november 2026", "Betalsätt: Swish", "prp_0000000000000000000001", "pausade till 1 december 2026 12:05"],
    en: ["Fjällbacka Bygg AB reported that invoice 2026-1001 is paid", "Amount: SEK 12,500.00", "Paid on: 23 November 2026", "Paid by: Swish", "prp_0000000000000000000001", "paused until 1 December 2026 at 12:05"],
    subject: { sv: "Fjällbacka Bygg AB meddelar att faktura 2026-1001 är betald", en: "Fjällbacka Bygg AB says invoice 2026-1001 is paid" },
  },
};

// Intl may put a narrow no-break space or "kl." into times; compare on plain spaces without it.
const normalise = (text: string) => text.replace(/[\u00a0\u202f]/g, " ").replace(/ kl\. /g, " ");

describe.each(EMAIL_TEMPLATE_NAMES)("email %s", (name) => {
  const template = emailTemplates[name];

  it.each(["sv", "en"] as const)("renders in %s with its subject, key facts and the supplier's name", async (locale) => {
    const email = await renderEmail(name, template.previewProps, { locale, brand });
    expect(normalise(email.subject)).toBe(normalise(FACTS[name].subject[locale]));
    expect(email.html).toContain(`lang="${locale}"`);
    const text = normalise(email.text);
    for (const fact of FACTS[name][locale]) expect(text).toContain(normalise(fact));
    expect(email.text).toContain("Nordljus Konsult AB");
    expect(email.html).toContain("#1a5fb4");
  });

  it("speaks Swedish and English differently", async () => {
    const sv = await renderEmail(name, template.previewProps, { locale: "sv", brand });
    const en = await renderEmail(name, template.previewProps, { locale: "en", brand });
    expect(sv.text).toContain("Betalportalen");
    expect(en.text).toContain("Payer Portal");
    expect(sv.text).not.toBe(en.text);
  });

  // Payment emails to payers carry no link at all: their rows are stored, and a stored link works.
  const carriesLink = "portalUrl" in template.previewProps;
  if (template.audience === "payer" && carriesLink) {
    it("shows the portal link in the HTML and the plain text, and leaves it out when none is given", async () => {
      const email = await renderEmail(name, template.previewProps, { locale: "sv", brand });
      expect(email.html).toContain(`href="${PORTAL}"`);
      expect(email.text).toContain(PORTAL);
      const without = await renderEmail(name, { ...template.previewProps, portalUrl: null }, { locale: "sv", brand });
      expect(without.text).not.toContain("/i/");
      expect(without.text).not.toContain("Öppna fakturan");
    });

    it("refuses a link that is not http(s)", () => {
      expect(() => parseEmailProps(name, { ...template.previewProps, portalUrl: "javascript:alert(1)" })).toThrow(EmailPropsError);
    });
  } else {
    it("never carries a portal link: the link is a bearer token", async () => {
      const email = await renderEmail(name, { ...template.previewProps, portalUrl: PORTAL }, { locale: "en", brand });
      expect(email.html).not.toContain("/i/");
      expect(email.text).not.toContain("/i/");
    });
  }
});

describe("email props", () => {
  it("names every missing or wrong field at once", () => {
    try {
      parseEmailProps("new-problem", { invoiceNumber: "", kind: "parcel", reportedAt: "yesterday" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EmailPropsError);
      const issues = (error as EmailPropsError).issues.join("\n");
      for (const field of ["invoiceNumber", "invoiceId", "customerName", "kind", "reason", "reportedAt"]) {
        expect(issues).toContain(`${field}:`);
      }
    }
  });

  it("rejects an unknown template", () => {
    expect(() => parseEmailProps("welcome", {})).toThrow(/unknown template/);
  });

  it("normalises to JSON-safe values: dates become ISO strings, blanks become null", () => {
    const props = parseEmailProps("invoice-confirmed", {
      ...emailTemplates["invoice-confirmed"].previewProps,
      confirmedAt: new Date("2026-11-24T11:05:00Z"),
      reference: "  ",
    });
    expect(props.confirmedAt).toBe("2026-11-24T11:05:00.000Z");
    expect(props.reference).toBeNull();
    expect(JSON.parse(JSON.stringify(props))).toEqual(props);
  });

  it("escapes what people typed", async () => {
    const email = await renderEmail(
      "problem-received",
      { ...emailTemplates["problem-received"].previewProps, message: `<script>alert("x")</script><a href="https://evil.example">x</a>` },
      { locale: "en", brand },
    );
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain(`href="https://evil.example"`);
    expect(email.html).toContain("&lt;script&gt;");
  });

  it("shows an unknown reason code as given instead of failing", async () => {
    const email = await renderEmail(
      "problem-received",
      { ...emailTemplates["problem-received"].previewProps, reason: "wrong_vat_rate" },
      { locale: "en", brand },
    );
    expect(email.text).toContain("Reason: wrong vat rate");
  });

  it("uses the supplier's logo only over https", async () => {
    const props = emailTemplates["invoice-confirmed"].previewProps;
    const https = await renderEmail("invoice-confirmed", props, { locale: "en", brand: { ...brand, logoUrl: "https://cdn.example.com/logo.png" } });
    expect(https.html).toContain(`src="https://cdn.example.com/logo.png"`);
    const http = await renderEmail("invoice-confirmed", props, { locale: "en", brand: { ...brand, logoUrl: "http://cdn.example.com/logo.png" } });
    expect(http.html).not.toContain("cdn.example.com");
  });
});
