// The page's "Download the invoice (PDF)": a plain link (works without JavaScript) to the copy
// under the page's own path, in the page's language.
import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import type { Locale } from "~/i18n";
import type { PortalPage } from "~/features/portal/portal.server";
import { InvoicePage } from "./invoice-page";

function page(locale: Locale): PortalPage {
  return {
    locale,
    supplier: { name: "Nordljus Konsult AB", orgNumber: null, vatNumber: null, logoUrl: null, brandColor: null },
    customer: { name: "Fjällbacka Bygg AB" },
    invoice: {
      number: "1042", currency: "SEK", issueDate: "2026-03-15", dueDate: "2026-03-31", totalNet: 100_000, totalVat: 25_000,
      rounding: 0, total: 125_000, amountPaid: 0, amountDue: 125_000, ocr: "10042",
    },
    lines: [{ position: 1, description: "Consulting", quantity: "1.000", unit: null, unitPrice: 100_000, vatRate: "25.00", net: 100_000, vat: 25_000 }],
    vatGroups: [{ rate: "25.00", net: 100_000, vat: 25_000 }],
    status: { kind: "due", days: 5, amountDue: 125_000, partlyPaid: false, disputed: false },
    payment: { bankgiro: "5050-1055", plusgiro: null, iban: null, bic: null },
  };
}

describe("the invoice page's PDF link", () => {
  it.each([
    ["sv", "Ladda ned fakturan (PDF)"],
    ["en", "Download the invoice (PDF)"],
  ] as const)("links to the copy in %s", (locale, label) => {
    const href = `/i/the-token/invoice.pdf?lang=${locale}`;
    const html = renderToString(<InvoicePage page={page(locale)} pdfHref={href} />);
    expect(html).toContain(
      `<a class="button button--secondary" href="/i/the-token/invoice.pdf?lang=${locale}" type="application/pdf" download="">${label}</a>`,
    );
    // With the invoice's details, after the totals (the ways to pay come first).
    expect(html.indexOf(label)).toBeGreaterThan(html.indexOf('id="totals-heading"'));
    expect(html.indexOf('id="pay-heading"')).toBeLessThan(html.indexOf('id="totals-heading"'));
  });

  it("shows no link without one (previews, tests)", () => {
    expect(renderToString(<InvoicePage page={page("en")} />)).not.toContain("invoice.pdf");
  });
});
