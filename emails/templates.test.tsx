import { createElement, type FunctionComponent } from "react";
import { render } from "@react-email/render";
import { describe, expect, it } from "vitest";
import { EMAIL_TEMPLATE_NAMES, EmailPropsError, emailTemplates, parseEmailProps, renderEmail, type EmailTemplateName } from "./index";
import { SAMPLE_BRAND as brand, SAMPLE_INVOICE, SAMPLE_PORTAL_URL as PORTAL, previewContext } from "./components/preview";
import type { z } from "zod";
import type { EmailContext, EmailTemplate } from "./components/template";

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
    sv: ["Nordljus Konsult AB har tagit emot din betalning på 12 500,00 kr för faktura 2026-1001", "Betald: 24 november 2026 12:05", "Betalsätt: Kort", "Betalningsreferens: pi_3QxExample0001", "Faktura 2026-1001 är betald – det finns inget kvar att betala."],
    en: ["Nordljus Konsult AB has received your payment of SEK 12,500.00 for invoice 2026-1001", "Paid: 24 November 2026 at 12:05", "Paid by: Card", "Payment reference: pi_3QxExample0001", "Invoice 2026-1001 is paid: there is nothing left to pay."],
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
  "invoice-notice": {
    sv: ["Nordljus Konsult AB har skickat faktura 2026-1001 till dig, med förfallodag 20 november 2026", "Fakturadatum: 21 oktober 2026", "Fakturabelopp: 12 500,00 kr", "Tack för er beställning!", "anmäla ett problem med fakturan", "uppdatera vem som tar emot era fakturor"],
    en: ["Nordljus Konsult AB has sent you invoice 2026-1001, due on 20 November 2026", "Invoice date: 21 October 2026", "Invoice total: SEK 12,500.00", "Tack för er beställning!", "report a problem with the invoice", "update who receives your invoices"],
    subject: { sv: "Faktura 2026-1001 från Nordljus Konsult AB", en: "Invoice 2026-1001 from Nordljus Konsult AB" },
  },
  "payment-reminder": {
    sv: ["Betalningspåminnelse", "som förföll den 20 november 2026, ännu inte betalats", "Påminnelseavgift: 60,00 kr", "Totalt att betala: 12 560,00 kr", "Dröjsmålsränta med 10,5 % per år från den 20 november 2026: hittills 34,25 kr", "En kopia av fakturan är bifogad."],
    en: ["Payment reminder", "which was due on 20 November 2026, has not been paid yet", "Reminder fee: SEK 60.00", "Total to pay: SEK 12,560.00", "Late-payment interest at 10.5% a year from 20 November 2026: SEK 34.25 so far", "A copy of the invoice is attached."],
    subject: { sv: "Påminnelse: faktura 2026-1001 förföll den 20 november 2026", en: "Reminder: invoice 2026-1001 was due on 20 November 2026" },
  },
  "new-link": {
    sv: ["Du eller en kollega har bett om en ny länk till faktura 2026-1001 från Nordljus Konsult AB", "Om du inte har bett om en ny länk kan du bortse från det här meddelandet."],
    en: ["You, or a colleague, asked for a new link to invoice 2026-1001 from Nordljus Konsult AB", "If you did not ask for a new link, you can ignore this email."],
    subject: { sv: "Din nya länk till faktura 2026-1001", en: "Your new link to invoice 2026-1001" },
  },
  "email-failing": {
    sv: ["Ett e-postmeddelande till ap@kund.example kunde inte levereras", "Vad som hände: Studsade", "Kund: Fjällbacka Bygg AB", "Kontakt: Anna Berg", "Faktura: 2026-1001", "550 5.1.1", "Vi har slutat skicka e-post till adressen", "Uppdatera kontaktens e-postadress via API:t"],
    en: ["An email to ap@kund.example could not be delivered", "What happened: Bounced", "Customer: Fjällbacka Bygg AB", "Contact: Anna Berg", "Invoice: 2026-1001", "550 5.1.1", "We have stopped sending email to this address", "Update the contact's email address through the API"],
    subject: { sv: "E-post till ap@kund.example studsade", en: "Email to ap@kund.example bounced" },
  },
  "campaign-request": {
    sv: ["Stämmer era fakturauppgifter?", "Nordljus Konsult AB vill att fakturorna till Fjällbacka Bygg AB når rätt person", "Kontaktuppgifter 2027", "Inför det nya året", "vem som tar emot fakturorna", "ert organisationsnummer", "Det tar en minut", "Svara senast 15 mars 2027."],
    en: ["Are your invoicing details right?", "Nordljus Konsult AB wants invoices to Fjällbacka Bygg AB to reach the right person", "Kontaktuppgifter 2027", "Inför det nya året", "who receives invoices", "your organisation number", "It takes a minute", "Please answer by 15 March 2027."],
    subject: { sv: "Stämmer våra uppgifter om er? – Nordljus Konsult AB", en: "Are your invoicing details right? – Nordljus Konsult AB" },
  },
  "campaign-closed": {
    sv: ["Svarstiden för er kontaktuppdatering ”Kontaktuppdatering 2026” gick ut", "Tillfrågade kunder: 412", "Bekräftade sina uppgifter: 170", "Rättade sina uppgifter: 31", "Svarade inte: 211", "E-post studsade: 7", "/api/v1/campaigns/cmp_4mZ7Qk2Vb9XcYtR1sPq3Lw/answers.csv", "sena svar"],
    en: ["The deadline of your contact-update campaign “Kontaktuppdatering 2026” passed", "Customers asked: 412", "Confirmed their details: 170", "Corrected their details: 31", "Did not answer: 211", "Email bounced: 7", "/api/v1/campaigns/cmp_4mZ7Qk2Vb9XcYtR1sPq3Lw/answers.csv", "late answers"],
    subject: { sv: "Kampanjen ”Kontaktuppdatering 2026” är avslutad: 201 av 412 kunder svarade", en: "Campaign “Kontaktuppdatering 2026” closed: 201 of 412 customers answered" },
  },
  "console-sign-in-link": {
    sv: ["Du har bjudits in att arbeta i Nordljus Konsult ABs fakturakonsol", "https://portal.example/app/link/preview-token", "inom 7 dagar"],
    en: ["You have been invited to work in Nordljus Konsult AB's invoice console", "https://portal.example/app/link/preview-token", "within 7 days"],
    subject: { sv: "Du är inbjuden till Nordljus Konsult ABs konsol", en: "You are invited to Nordljus Konsult AB's console" },
  },
  "console-account-locked": {
    sv: ["Efter 10 misslyckade inloggningar i rad är ditt konto låst till 7 december 2026 17:15", "logga in med en länk"],
    en: ["After 10 failed sign-ins in a row, your account is locked until 7 December 2026 at 17:15", "sign in with a link"],
    subject: { sv: "Ditt konsolkonto är låst en stund", en: "Your console account is locked for a while" },
  },
};

// Intl may put a narrow no-break space or "kl." into times; compare on plain spaces without it.
const normalise = (text: string) => text.replace(/[\u00a0\u202f]/g, " ").replace(/ kl\. /g, " ");

/** Payer emails about the customer rather than one invoice: a link, never an invoice's payment facts. */
const ABOUT_THE_CUSTOMER: EmailTemplateName[] = ["campaign-request"];
const PAYER = EMAIL_TEMPLATE_NAMES.filter((name) => emailTemplates[name].audience === "payer" && !ABOUT_THE_CUSTOMER.includes(name));
const SUPPLIER = EMAIL_TEMPLATE_NAMES.filter((name) => emailTemplates[name].audience === "supplier");

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);

describe.each(EMAIL_TEMPLATE_NAMES)("email %s", (name) => {
  const template = emailTemplates[name];

  it.each(["sv", "en"] as const)("renders in %s with its subject, key facts and the supplier's name", async (locale) => {
    const email = await renderEmail(name, template.previewProps, previewContext(template, locale));
    expect(normalise(email.subject)).toBe(normalise(FACTS[name].subject[locale]));
    expect(email.html).toContain(`lang="${locale}"`);
    const text = normalise(email.text);
    for (const fact of FACTS[name][locale]) expect(text).toContain(normalise(fact));
    expect(email.text).toContain("Nordljus Konsult AB");
    expect(email.html).toContain("#1a5fb4");
  });

  it("speaks Swedish and English differently", async () => {
    const sv = await renderEmail(name, template.previewProps, previewContext(template, "sv"));
    const en = await renderEmail(name, template.previewProps, previewContext(template, "en"));
    expect(sv.text).toContain("Betalportalen");
    expect(en.text).toContain("Payer Portal");
    expect(sv.text).not.toBe(en.text);
    expect(sv.subject).not.toBe(en.subject);
  });

  it("is the same email in the react-email preview (its module's default export) as when sent", async () => {
    type Preview = FunctionComponent<Record<string, unknown>> & { PreviewProps: Record<string, unknown> };
    const module = (await import(/* @vite-ignore */ `./${name}.tsx`)) as { default: Preview };
    const preview = module.default;
    expect(preview.PreviewProps).toMatchObject({ locale: "sv", props: template.previewProps });
    const html = await render(createElement(preview, preview.PreviewProps));
    const sent = await renderEmail(name, template.previewProps, previewContext(template, "sv"));
    expect(html).toBe(sent.html);
    const english = await render(createElement(preview, { ...preview.PreviewProps, locale: "en" }));
    expect(english).toBe((await renderEmail(name, template.previewProps, previewContext(template, "en"))).html);
  });

  it("has the plain-text part react-email would make from the same tree", async () => {
    const context = previewContext(template, "en");
    const email = await renderEmail(name, template.previewProps, context);
    const generic: EmailTemplate<z.ZodTypeAny> = template;
    const element = generic.render(parseEmailProps(name, template.previewProps), context);
    expect(email.text).toBe(await render(element, { plainText: true }));
  });

  it("never renders a javascript: or data: link, whatever the context says", async () => {
    for (const portalUrl of ["javascript:alert(1)", "JavaScript:alert(document.domain)", "data:text/html,<b>x</b>", "/i/relative"]) {
      const email = await renderEmail(name, template.previewProps, { ...previewContext(template, "en"), portalUrl });
      expect(email.html.toLowerCase()).not.toContain("javascript:");
      expect(email.html).not.toContain("data:text");
      expect(hrefs(email.html).every((href) => href.startsWith("https://"))).toBe(true);
      expect(email.text).not.toMatch(/javascript:|data:text|\/i\/relative/i);
      expect(email.text).not.toContain("Open the invoice");
    }
  });
});

describe.each(PAYER)("payer email %s", (name) => {
  const template = emailTemplates[name];
  const paid = template.previewInvoice?.amountDue === 0;

  it.each(["sv", "en"] as const)("shows the portal link, the amount due, due date, OCR and Bankgiro (%s) in HTML and text", async (locale) => {
    const email = await renderEmail(name, template.previewProps, previewContext(template, locale));
    // A button and the address spelled out, in both parts.
    expect(hrefs(email.html).filter((href) => href.startsWith(PORTAL)).length).toBeGreaterThanOrEqual(2);
    expect(email.html).toContain(`>${PORTAL}</a>`);
    expect(email.text).toContain(PORTAL);
    const facts = paid
      ? [{ sv: "Faktura 2026-1001 är betald", en: "Invoice 2026-1001 is paid" }[locale]]
      : locale === "sv"
        ? ["Att betala: 12 500,00 kr", "Förfallodag: 20 november 2026", "OCR: 2026100103", "Bankgiro: 5050-1055"]
        : ["Amount due: SEK 12,500.00", "Due date: 20 November 2026", "OCR: 2026100103", "Bankgiro: 5050-1055"];
    for (const fact of facts) {
      expect(normalise(email.text)).toContain(fact);
      expect(normalise(email.html.replace(/<[^>]+>/g, ""))).toContain(fact);
    }
  });

  it("uses the invoice as of sending, not the props as of queueing", async () => {
    const context = previewContext(template, "en");
    const email = await renderEmail(name, template.previewProps, { ...context, invoice: { ...SAMPLE_INVOICE, amountDue: 430000, ocr: "4455667788" } });
    expect(normalise(email.text)).toContain("Amount due: SEK 4,300.00");
    expect(email.text).toContain("OCR: 4455667788");
  });

  it("leaves out the link when there is none, and the payment block when there is no invoice", async () => {
    const email = await renderEmail(name, template.previewProps, { locale: "sv", brand });
    expect(email.text).not.toContain("/i/");
    expect(email.text).not.toContain("Öppna fakturan");
    expect(email.text).not.toContain("Betalningsuppgifter");
    expect(email.text).not.toContain("OCR");
  });
});

describe.each(SUPPLIER)("supplier email %s", (name) => {
  it("never carries the payer's link or payment block, even when the context has them", async () => {
    const template = emailTemplates[name];
    const context: EmailContext = { locale: "en", brand, portalUrl: PORTAL, invoice: SAMPLE_INVOICE };
    const email = await renderEmail(name, template.previewProps, context);
    expect(email.html).not.toContain("/i/");
    expect(email.text).not.toContain("/i/");
    expect(email.text).not.toContain("Payment details");
    expect(email.text).not.toContain("2026100103");
  });
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

describe("contact-changed from a campaign", () => {
  it("says the change was made on the page where the supplier asked to check the details", async () => {
    const template = emailTemplates["contact-changed"];
    const props = { ...template.previewProps, source: "campaign" };
    const en = await renderEmail("contact-changed", props, previewContext(template, "en"));
    expect(en.text).toContain("on the page where Nordljus Konsult AB asked you to check your invoicing details");
    expect(en.text).not.toContain("on the invoice page");
    const sv = await renderEmail("contact-changed", props, previewContext(template, "sv"));
    expect(sv.text).not.toBe(en.text);
  });
});
