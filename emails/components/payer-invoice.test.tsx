import { describe, expect, it } from "vitest";
import { render } from "@react-email/render";
import { EmailLayout, Paragraph } from "./layout";
import { SAMPLE_BRAND as brand, SAMPLE_INVOICE, SAMPLE_PORTAL_URL as PORTAL } from "./preview";
import type { EmailContext } from "./template";
import { emailTemplates, renderEmail } from "../index";

const normalise = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);

async function layout(context: EmailContext) {
  const element = (
    <EmailLayout context={context} preview="preview">
      <Paragraph>Body</Paragraph>
    </EmailLayout>
  );
  const html = await render(element);
  return { html, text: normalise(await render(element, { plainText: true })) };
}

describe("EmailLayout's portal link", () => {
  it("renders an http(s) link as a button and spelled out", async () => {
    for (const url of [PORTAL, "http://localhost:3000/i/abc"]) {
      const { html, text } = await layout({ locale: "en", brand, portalUrl: url });
      expect(hrefs(html)).toEqual([url, url]);
      expect(text).toContain(`Open the invoice ${url}`);
      expect(text).toContain(`copy this address into your browser: ${url}`);
    }
  });

  it("refuses anything else and renders no link at all", async () => {
    const refused = [
      "javascript:alert(1)",
      " javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "data:text/html;base64,PHNjcmlwdD4=",
      "vbscript:msgbox(1)",
      "ftp://pay.example.test/i/x",
      "//pay.example.test/i/x",
      "/i/token",
      "not a url",
    ];
    for (const portalUrl of refused) {
      const { html, text } = await layout({ locale: "en", brand, portalUrl });
      expect(hrefs(html)).toEqual([]);
      expect(html).not.toContain(portalUrl.trim());
      expect(text).not.toContain("Open the invoice");
    }
  });
});

describe("the payment block", () => {
  it("shows Plusgiro when that is the supplier's account", async () => {
    const { text } = await layout({ locale: "sv", brand, invoice: { ...SAMPLE_INVOICE, bankgiro: null, plusgiro: "4 78 90-1" } });
    expect(text).toContain("Plusgiro: 4 78 90-1");
    expect(text).toContain("OCR: 2026100103");
    expect(text).not.toContain("Bankgiro");
  });

  it("shows IBAN and the RF reference when the supplier has only an IBAN", async () => {
    const invoice = { ...SAMPLE_INVOICE, currency: "EUR" as const, bankgiro: null, iban: "SE4550000000058398257466", rf: "RF96 2026 1001 03" };
    const { text } = await layout({ locale: "en", brand, invoice });
    expect(text).toContain("Amount due: €12,500.00");
    expect(text).toContain("IBAN: SE45 5000 0000 0583 9825 7466");
    expect(text).toContain("Reference (RF): RF96 2026 1001 03");
    expect(text).not.toContain("Bankgiro");
    expect(text).not.toContain("OCR:");
  });

  it("gives the OCR as the reference for an IBAN without an RF reference", async () => {
    const invoice = { ...SAMPLE_INVOICE, bankgiro: null, iban: "SE4550000000058398257466", rf: null };
    const { text } = await layout({ locale: "sv", brand, invoice });
    expect(text).toContain("Referens: 2026100103");
  });

  it("shows both Bankgiro with OCR and IBAN with RF when the supplier has both", async () => {
    const invoice = { ...SAMPLE_INVOICE, iban: "SE4550000000058398257466", rf: "RF96 2026 1001 03" };
    const { text } = await layout({ locale: "sv", brand, invoice });
    for (const fact of ["Bankgiro: 5050-1055", "OCR: 2026100103", "IBAN: SE45 5000", "Referens (RF): RF96 2026 1001 03"]) expect(text).toContain(fact);
  });

  it("says the invoice is paid instead of asking for money when nothing is due", async () => {
    const { text } = await layout({ locale: "sv", brand, portalUrl: PORTAL, invoice: { ...SAMPLE_INVOICE, amountDue: 0 } });
    expect(text).toContain("Faktura 2026-1001 är betald – det finns inget kvar att betala.");
    for (const absent of ["Att betala", "Bankgiro", "OCR", "Förfallodag"]) expect(text).not.toContain(absent);
    expect(text).toContain(PORTAL);
  });
});

describe("invoice-notice buttons", () => {
  const notice = emailTemplates["invoice-notice"];

  it("lead to the confirm and pay parts of the invoice page", async () => {
    const email = await renderEmail("invoice-notice", notice.previewProps, { locale: "en", brand, portalUrl: PORTAL, invoice: SAMPLE_INVOICE });
    expect(hrefs(email.html)).toEqual([`${PORTAL}#actions-heading`, `${PORTAL}#pay`, PORTAL]);
    expect(email.text).toContain(`Confirm the invoice ${PORTAL}#actions-heading`);
    expect(email.text).toContain(`Pay ${PORTAL}#pay`);
    const sv = await renderEmail("invoice-notice", notice.previewProps, { locale: "sv", brand, portalUrl: PORTAL, invoice: SAMPLE_INVOICE });
    expect(sv.text).toContain(`Bekräfta fakturan ${PORTAL}#actions-heading`);
    expect(sv.text).toContain(`Betala ${PORTAL}#pay`);
  });

  it("offer no Pay button for an invoice already paid", async () => {
    const invoice = { ...SAMPLE_INVOICE, amountDue: 0 };
    const email = await renderEmail("invoice-notice", notice.previewProps, { locale: "en", brand, portalUrl: PORTAL, invoice });
    expect(hrefs(email.html)).toEqual([`${PORTAL}#actions-heading`, PORTAL]);
  });

  it("replace a fragment the link already has", async () => {
    const email = await renderEmail("invoice-notice", notice.previewProps, { locale: "en", brand, portalUrl: `${PORTAL}#top`, invoice: SAMPLE_INVOICE });
    expect(hrefs(email.html).slice(0, 2)).toEqual([`${PORTAL}#actions-heading`, `${PORTAL}#pay`]);
  });
});

describe("email-failing", () => {
  const template = emailTemplates["email-failing"];

  it("names the address and the reason, for a complaint too", async () => {
    const props = { ...template.previewProps, reason: "complained", detail: null };
    const en = await renderEmail("email-failing", props, { locale: "en", brand });
    expect(en.subject).toBe("Email to ap@kund.example was marked as spam");
    expect(en.text).toContain("The recipient at ap@kund.example marked an email from you as spam.");
    expect(en.text).toContain("What happened: Marked as spam");
    const sv = await renderEmail("email-failing", props, { locale: "sv", brand });
    expect(sv.subject).toBe("E-post till ap@kund.example markerades som skräppost");
    expect(sv.text).toContain("Vad som hände: Markerad som skräppost");
  });

  it("works with only the address known, and shortens a long provider message instead of failing", async () => {
    const email = await renderEmail("email-failing", { address: "x@kund.example", reason: "bounced", detail: "5".repeat(5000) }, { locale: "en", brand });
    expect(email.text).toContain("Address: x@kund.example");
    expect(email.text).not.toContain("Customer:");
    expect(email.text).toContain(`From the mail server: ${"5".repeat(1000)}`);
    expect(email.text).not.toContain("5".repeat(1001));
  });
});
