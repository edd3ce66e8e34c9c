import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import type { InvoiceStatus } from "~/domain/invoice-status";
import type { Locale } from "~/i18n";
import type { PortalPage } from "~/features/portal/portal.server";
import { BRAND_TONES, brandTone } from "./brand";
import { InvoicePage } from "./invoice-page";
import { statusText } from "./status";

function samplePage(locale: Locale, changes: Partial<PortalPage["invoice"]> = {}, status?: InvoiceStatus): PortalPage {
  const invoice = {
    number: "1042",
    currency: "SEK" as const,
    issueDate: "2026-03-15",
    dueDate: "2026-03-31",
    totalNet: 989_800,
    totalVat: 239_888,
    rounding: 12,
    total: 1_229_700,
    amountPaid: 0,
    amountDue: 1_229_700,
    ocr: "10042",
    ...changes,
  };
  return {
    locale,
    supplier: {
      name: "Nordljus Konsult AB",
      orgNumber: "556677-8899",
      vatNumber: "SE556677889901",
      logoUrl: null,
      brandColor: "#0F766E",
    },
    customer: { name: "Fjällbacka Bygg AB" },
    invoice,
    lines: [
      { position: 1, description: "Consulting, March", quantity: "10.500", unit: "h", unitPrice: 95_000, vatRate: "25.00", net: 997_500, vat: 249_375 },
      { position: 2, description: "Book: Payment terms", quantity: "2.000", unit: null, unitPrice: 19_900, vatRate: "6.00", net: 39_800, vat: 2_388 },
    ],
    vatGroups: [
      { rate: "25.00", net: 997_500, vat: 249_375 },
      { rate: "6.00", net: 39_800, vat: 2_388 },
    ],
    status: status ?? { kind: "due", days: 5, amountDue: invoice.amountDue, partlyPaid: invoice.amountPaid > 0, disputed: false },
    payment: { bankgiro: "5050-1055", plusgiro: null, iban: "SE4550000000058398257466", bic: "ESSESESS" },
  };
}

function render(page: PortalPage): { html: string; text: string } {
  const html = renderToString(<InvoicePage page={page} />);
  const text = html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/\s+/g, " ");
  return { html, text };
}

describe("InvoicePage", () => {
  it("shows amounts, dates, quantities and rates the Swedish way", () => {
    const { text } = render(samplePage("sv"));
    expect(text).toContain("Faktura 1042");
    expect(text).toContain("Förfaller om 5 dagar");
    expect(text).toContain("Att betala 12 297,00 kr");
    expect(text).toContain("Förfallodatum 31 mars 2026");
    expect(text).toContain("Fakturadatum 15 mars 2026");
    expect(text).toContain("10,5 h");
    expect(text).toContain("950,00 kr");
    expect(text).toContain("25 %");
    expect(text).toContain("6 %");
    expect(text).toContain("Summa exkl. moms 9 898,00 kr");
    expect(text).toContain("Moms 2 398,88 kr");
    expect(text).toContain("Öresavrundning 0,12 kr");
    expect(text).toContain("Totalt 12 297,00 kr");
    expect(text).toContain("Bankgiro 5050-1055");
    expect(text).toContain("OCR-nummer 10042");
    expect(text).toContain("IBAN SE45 5000 0000 0583 9825 7466");
    expect(text).toContain("Org.nr 556677-8899");
    expect(text).not.toContain("Hittills betalt");
  });

  it("shows amounts, dates, quantities and rates the English way", () => {
    const { text } = render(samplePage("en"));
    expect(text).toContain("Invoice 1042");
    expect(text).toContain("Due in 5 days");
    expect(text).toContain("Amount due SEK 12,297.00");
    expect(text).toContain("Due date 31 March 2026");
    expect(text).toContain("Invoice date 15 March 2026");
    expect(text).toContain("10.5 h");
    expect(text).toContain("25%");
    expect(text).toContain("Total excl. VAT SEK 9,898.00");
    expect(text).toContain("Rounding SEK 0.12");
    expect(text).toContain("Total SEK 12,297.00");
    expect(text).toContain("OCR reference 10042");
  });

  it("shows the paid amount only when something was paid, and rounding only when non-zero", () => {
    const partly = render(samplePage("en", { amountPaid: 200_000, amountDue: 1_029_700, rounding: 0 }));
    expect(partly.text).toContain("Paid so far \u2212SEK 2,000.00");
    expect(partly.text).toContain("Amount due SEK 10,297.00");
    expect(partly.text).toContain("Partly paid, SEK 10,297.00 left · Due in 5 days");
    expect(partly.text).not.toContain("Rounding");
  });

  it("replaces payment details by a note when nothing is due or the invoice is cancelled", () => {
    const paid = render(samplePage("sv", { amountPaid: 1_229_700, amountDue: 0 }, { kind: "paid" }));
    expect(paid.text).toContain("Betald");
    expect(paid.text).toContain("Det finns inget kvar att betala");
    expect(paid.text).not.toContain("OCR-nummer");
    const cancelled = render(samplePage("en", { amountDue: 0 }, { kind: "cancelled" }));
    expect(cancelled.text).toContain("This invoice has been cancelled and should not be paid.");
  });

  it("orders the page for paying: amount, due date and the ways to pay before the details; once paid, the receipt first", () => {
    const due = render(samplePage("en")).html;
    expect(due.indexOf('id="pay-heading"')).toBeGreaterThan(due.indexOf("summary__due"));
    expect(due.indexOf('id="pay-heading"')).toBeLessThan(due.indexOf('class="facts"'));
    const receipt = { id: "pay_1", at: "2026-03-20T10:00:00.000Z", date: "2026-03-20", amount: 1_229_700, amountRefunded: 0, method: "card", reference: "pi_123", reversed: false, number: "pay_1", emailedTo: [] as string[] } as const;
    const paidPage = {
      ...samplePage("en", { amountPaid: 1_229_700, amountDue: 0 }, { kind: "paid" }),
      pay: { options: [], bankQr: true, receipts: [receipt], processing: false, failedAttempt: null, reported: null, today: "2026-03-21" },
    };
    const paid = render(paidPage);
    expect(paid.html.indexOf("pi_123")).toBeGreaterThan(paid.html.indexOf("summary__due"));
    expect(paid.html.indexOf("pi_123")).toBeLessThan(paid.html.indexOf('id="pay-heading"'));
  });

  it("shows the supplier's contact for questions and the due date's calendar link", () => {
    const page = samplePage("sv");
    page.supplier = { ...page.supplier, contactEmail: "fakturor@nordljus.example", contactPhone: "08-123 456 78" };
    const html = renderToString(<InvoicePage page={page} calendarHref="/i/tok/due-date.ics?lang=sv" />);
    expect(html).toContain('href="mailto:fakturor@nordljus.example"');
    expect(html).toContain('href="tel:081234567');
    expect(html).toMatch(/<a href="\/i\/tok\/due-date\.ics\?lang=sv"[^>]*>Lägg till förfallodagen i kalendern<\/a>/);
    expect(render(samplePage("sv")).text).not.toContain("Frågor om fakturan?");
  });

  it("is accessible and CSP-safe: one h1, captions, scoped headers, a language link, no inline styles", () => {
    const { html } = render({ ...samplePage("sv"), supplier: { ...samplePage("sv").supplier, logoUrl: "https://cdn.example.com/logo.png" } });
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain("<main");
    expect(html.match(/<caption>/g)).toHaveLength(2);
    expect(html).toMatch(/<th scope="col"/);
    expect(html).toMatch(/<th scope="row"/);
    expect(html).toMatch(/<a href="\?lang=en" hrefLang="en" lang="en">English<\/a>/i);
    expect(html).toMatch(/<img[^>]*src="https:\/\/cdn\.example\.com\/logo\.png"[^>]*alt="Nordljus Konsult AB"/);
    expect(html).toMatch(/referrerPolicy="no-referrer"/i);
    expect(html).toContain("brand--teal");
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).toContain('<time dateTime="2026-03-31">');
  });
});

describe("statusText", () => {
  it("uses singular and plural forms and mentions disputes and overpayments", () => {
    const open = { amountDue: 100, partlyPaid: false, disputed: false };
    expect(statusText({ kind: "overdue", days: 1, ...open }, "en", "SEK")).toBe("Overdue by 1 day");
    expect(statusText({ kind: "overdue", days: 1, ...open }, "sv", "SEK")).toBe("Förfallen sedan 1 dag");
    expect(statusText({ kind: "due_today", ...open, disputed: true }, "en", "SEK")).toBe("Due today · Disputed");
    expect(statusText({ kind: "overpaid", excess: 5_000 }, "en", "SEK")).toBe("Paid – SEK\u00a050.00 more than the total was received");
  });
});

describe("brandTone", () => {
  it.each([
    ["#ff0000", "red"],
    ["#b00020", "red"],
    ["#1f4fd1", "blue"],
    ["#0a1f5c", "navy"],
    ["#00a651", "green"],
    ["#0F766E", "teal"],
    ["#ff6600", "orange"],
    ["#7b2cbf", "purple"],
    ["#e91e63", "pink"],
    ["#ffcc00", "orange"],
    ["#3b82f6", "blue"],
    ["#777777", "slate"],
    [null, "blue"],
    ["not a colour", "blue"],
  ] as const)("%s → %s", (color, tone) => {
    expect(brandTone(color)).toBe(tone);
  });

  it("every tone has WCAG AA contrast (≥ 4.5:1) with white", () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((at) => {
        const c = parseInt(hex.slice(at, at + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const [tone, hex] of Object.entries(BRAND_TONES)) {
      expect(1.05 / (luminance(hex) + 0.05), tone).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("every tone has its class in the stylesheet, with the same colour", () => {
    const css = readFileSync(new URL("../../styles/app.css", import.meta.url), "utf8");
    for (const [tone, hex] of Object.entries(BRAND_TONES)) {
      expect(css, tone).toContain(`.brand--${tone} { --brand: ${hex}; }`);
    }
  });
});
