// The invoice copy read back with pdfjs (legacy build, for Node), as a payer's PDF reader would
// show it: what is asked for, in both languages; the same bytes for the same data; long and many
// lines flowing over pages; characters the standard fonts lack replaced, not garbled.
import { describe, expect, it } from "vitest";
import type { InvoiceDocument } from "~/features/invoices/db/invoice-document.server";
import { pdfQrCode, pdfText as read } from "../../../../test/support/pdf-text";
import { buildPaymentInstructions } from "../../payments/payment-instructions.server";
import { invoicePdfFilename, renderInvoicePdf, winAnsiText } from "./invoice-pdf.server";

const SAMPLE: InvoiceDocument = {
  invoice: {
    id: "inv_sample",
    number: "2026-1001",
    currency: "SEK",
    issueDate: "2026-03-01",
    dueDate: "2026-03-31",
    totalNet: 989_800,
    totalVat: 239_888,
    rounding: 12,
    total: 1_229_700,
    amountPaid: 200_000,
    ocr: "655969",
    cancelledAt: null,
    confirmedReference: null,
  },
  supplier: {
    name: "Åkerö Plåt & Söner AB",
    orgNumber: "556016-0680",
    vatNumber: "SE556016068001",
    bankgiro: "991-2346",
    plusgiro: null,
    iban: "SE4550000000058398257466",
    bic: "ESSESESS",
    swishNumber: "1231181189",
    language: "sv",
  },
  customer: { name: "Fjällbacka Bygg AB", orgNumber: "556123-4567", language: null },
  billingContact: {
    name: "Örjan Ek", invoiceReference: "PO 4711", addressLine1: "Storgatan 1", addressLine2: null,
    postalCode: "452 30", city: "Strömstad", country: null,
  },
  lines: [
    { position: 1, description: "Consulting, March", quantity: "10.000", unit: "h", unitPrice: 95_000, vatRate: "25.00", net: 950_000, vat: 237_500 },
    { position: 2, description: "Book: Payment terms", quantity: "2.000", unit: "pcs", unitPrice: 19_900, vatRate: "6.00", net: 39_800, vat: 2_388 },
  ],
};

describe("renderInvoicePdf", () => {
  it("shows a Swedish payer the number, dates, lines, totals, amount due and how to pay, marked as a copy", async () => {
    const pdf = await renderInvoicePdf(SAMPLE, "sv");
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const { pages, text, title } = await read(pdf);
    expect(pages).toHaveLength(1);
    expect(title).toBe("Faktura 2026-1001 från Åkerö Plåt & Söner AB (kopia)");
    for (const expected of [
      "FAKTURA", "KOPIA", "Åkerö Plåt & Söner AB", "Org.nr 556016-0680", "Momsreg.nr SE556016068001",
      "Fakturamottagare", "Fjällbacka Bygg AB", "Org.nr 556123-4567", "Att. Örjan Ek", "Storgatan 1", "452 30 Strömstad",
      "Er referens: PO 4711",
      "Fakturanummer | 2026-1001", "Fakturadatum | 1 mars 2026", "Förfallodatum | 31 mars 2026", "OCR-nummer | 655969",
      "Consulting, March | 10 h | 950,00 kr | 25 % | 9 500,00 kr",
      "Book: Payment terms | 2 pcs | 199,00 kr | 6 % | 398,00 kr",
      "25 % | 9 500,00 kr | 2 375,00 kr", "6 % | 398,00 kr | 23,88 kr",
      "Summa exkl. moms | 9 898,00 kr", "Öresavrundning | 0,12 kr", "Totalt | 12 297,00 kr", "Hittills betalt | -2 000,00 kr",
      "Att betala | 10 297,00 kr",
      "Så betalar du", "Betala 10 297,00 kr senast 31 mars 2026", "Bankgiro | 991-2346", "OCR-nummer | 655969",
      "IBAN | SE45 5000 0000 0583 9825 7466", "BIC | ESSESESS", "Referens (RF) | RF71 6559 69",
      "Skanna koden med din bankapp:",
      "Kopia av faktura 2026-1001, sida 1 av 1",
    ]) {
      expect(text).toContain(expected);
    }
    // The bank apps' QR code, read back from the page: the invoice's payment, amount due included.
    expect(await pdfQrCode(pdf)).toBe(buildPaymentInstructions(SAMPLE).uqr!.payload);
    expect(JSON.parse((await pdfQrCode(pdf))!)).toMatchObject({ iref: "655969", due: 10297, acc: "991-2346", pt: "BG" });
  });

  it("shows an English payer the same in English", async () => {
    const { text, title } = await read(await renderInvoicePdf(SAMPLE, "en"));
    expect(title).toBe("Invoice 2026-1001 from Åkerö Plåt & Söner AB (copy)");
    for (const expected of [
      "INVOICE", "COPY", "Bill to", "Attn. Örjan Ek", "Your reference: PO 4711",
      "Invoice number | 2026-1001", "Due date | 31 March 2026", "OCR reference | 655969",
      "Consulting, March | 10 h | SEK 950.00 | 25% | SEK 9,500.00", "Book: Payment terms",
      "Total | SEK 12,297.00", "Paid so far | -SEK 2,000.00", "Amount due | SEK 10,297.00",
      "Pay SEK 10,297.00 by 31 March 2026", "Bankgiro | 991-2346", "Payment from abroad", "Reference (RF) | RF71 6559 69",
      "Copy of invoice 2026-1001, page 1 of 1",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("Faktura");
  });

  it("gives the same bytes for the same data (every retry of an email attaches the same file)", async () => {
    const first = await renderInvoicePdf(SAMPLE, "sv");
    const again = await renderInvoicePdf(structuredClone(SAMPLE), "sv");
    expect(again.equals(first)).toBe(true);
    const paidMore = await renderInvoicePdf({ ...SAMPLE, invoice: { ...SAMPLE.invoice, amountPaid: 300_000 } }, "sv");
    expect(paidMore.equals(first)).toBe(false);
    expect((await renderInvoicePdf(SAMPLE, "en")).equals(first)).toBe(false);
  });

  it("flows 151 lines, a 1000-character description and a row taller than a page over several pages, each with its footer", async () => {
    const long = `${"Montering av takplåt enligt ritning ".repeat(24)}${"X".repeat(136)}`.slice(0, 1000);
    expect(long).toHaveLength(1000);
    const lines = Array.from({ length: 150 }, (_, index) => ({
      ...SAMPLE.lines[0]!,
      position: index + 1,
      description: index === 40 ? long : `Rad ${index + 1}: arbete`,
    }));
    // Line breaks are kept: 90 of them make a row taller than a page, split with its amounts on its first part.
    lines.push({ ...SAMPLE.lines[1]!, position: 151, description: Array.from({ length: 90 }, (_, index) => `Del ${index + 1}`).join("\n") });
    const pdf = await renderInvoicePdf({ ...SAMPLE, lines }, "sv");
    const { pages, text } = await read(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    pages.forEach((page, index) => expect(page).toContain(`Kopia av faktura 2026-1001, sida ${index + 1} av ${pages.length}`));
    for (let number = 1; number <= 150; number++) {
      if (number !== 41) expect(text).toContain(`Rad ${number}: arbete`);
    }
    // The long description is all there, wrapped (the unbroken run cut where it stops fitting).
    const words = text.replace(/ \| /g, " ").replace(/\s+/g, " ");
    expect(words).toContain("Montering av takplåt enligt ritning Montering");
    expect(text.match(/X/g)?.length).toBeGreaterThanOrEqual(136);
    const parts = text.slice(text.indexOf("Del 1 |"), text.indexOf("Del 90") + 6);
    expect(parts.match(/Del \d+/g)).toEqual(Array.from({ length: 90 }, (_, index) => `Del ${index + 1}`));
    expect(text.match(/199,00 kr/g)).toHaveLength(1);
    // Continuation pages repeat the table's header; the totals and then the payment box follow the last line.
    expect(pages[1]).toContain("Beskrivning | Antal");
    expect(text.indexOf("Totalt | 12 297,00 kr")).toBeGreaterThan(text.indexOf("Rad 150: arbete"));
    expect(pages.at(-1)).toContain("Så betalar du");
    expect(pages.at(-1)).toContain("Bankgiro | 991-2346");
  });

  it("tells the payer when nothing is due or the invoice is cancelled, without a QR code", async () => {
    const paid = await renderInvoicePdf({ ...SAMPLE, invoice: { ...SAMPLE.invoice, amountPaid: 1_229_700 } }, "en");
    expect((await read(paid)).text).toContain("Nothing is left to pay on this invoice.");
    expect(await pdfQrCode(paid)).toBeNull();
    const cancelled = await renderInvoicePdf({ ...SAMPLE, invoice: { ...SAMPLE.invoice, cancelledAt: new Date("2026-03-10T10:00:00Z") } }, "sv");
    const { text } = await read(cancelled);
    expect(text).toContain("Fakturan är makulerad och ska inte betalas.");
    expect(text).toContain("Att betala | 0,00 kr");
  });

  it("gives a EUR invoice IBAN, BIC and the RF reference with the EPC code, and no Bankgiro", async () => {
    const eur: InvoiceDocument = {
      ...SAMPLE,
      invoice: { ...SAMPLE.invoice, currency: "EUR", amountPaid: 0 },
      supplier: { ...SAMPLE.supplier, bankgiro: null },
    };
    const pdf = await renderInvoicePdf(eur, "en");
    const { text } = await read(pdf);
    expect(text).toContain("Pay €12,297.00 by 31 March 2026");
    expect(text).toContain("IBAN | SE45 5000 0000 0583 9825 7466");
    expect(text).toContain("Reference (RF) | RF71 6559 69");
    expect(text).not.toContain("Bankgiro");
    expect(text).not.toContain("Payment from abroad");
    expect(await pdfQrCode(pdf)).toBe(buildPaymentInstructions(eur).epc!.payload);
  });

  it("prints names and descriptions outside WinAnsi with readable replacements", async () => {
    const pdf = await renderInvoicePdf(
      { ...SAMPLE, customer: { ...SAMPLE.customer, name: "Łódź Bygg Sp. z o.o." }, lines: [{ ...SAMPLE.lines[0]!, description: "Arbete → klart ✓ 中文" }] },
      "sv",
    );
    const { text } = await read(pdf);
    expect(text).toContain("Lódz Bygg Sp. z o.o.");
    expect(text).toContain("Arbete ? klart ? ??");
  });
});

describe("winAnsiText", () => {
  it.each([
    ["Åkerö Plåt & Söner", "Åkerö Plåt & Söner"],
    ["\u221212\u00a0297,00\u00a0kr", "-12\u00a0297,00\u00a0kr"], // Intl's minus sign
    ["12\u202f297", "12\u00a0297"], // Intl's narrow no-break space
    ["€ 5 – “quoted” …", "€ 5 – “quoted” …"], // WinAnsi's own extras stay
    ["Łódź, Kraków, Tőzsde, Ștefan", "Lódz, Kraków, Tozsde, Stefan"],
    ["ﬁle", "file"],
    ["line\nbreak\ttab", "line break tab"],
    ["bell\u0007zero\u200bwidth", "bellzerowidth"],
    ["中文 ✓ 😀", "?? ? ?"],
  ])("%j → %j", (input, expected) => {
    expect(winAnsiText(input)).toBe(expected);
  });
});

describe("invoicePdfFilename", () => {
  it.each([
    ["2026-1001", "sv", "faktura-2026-1001.pdf"],
    ["2026-1001", "en", "invoice-2026-1001.pdf"],
    ["Å/12 34", "en", "invoice-A-12-34.pdf"],
    ['"; rm -rf /', "sv", "faktura-rm-rf.pdf"],
    ["ÅÄÖ", "sv", "faktura-AAO.pdf"],
    ["中文", "en", "invoice.pdf"],
    ["9".repeat(200), "en", `invoice-${"9".repeat(80)}.pdf`],
  ] as const)("%j (%s) → %s", (number, locale, expected) => {
    expect(invoicePdfFilename(number, locale)).toBe(expected);
  });
});
