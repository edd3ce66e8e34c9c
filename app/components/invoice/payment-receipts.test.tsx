// The moment after paying: the newest receipt thanks the payer in one sentence, gives its number,
// says where its email went and links its PDF in the page's language; older ones follow, unthanked.
import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import type { PortalReceipt } from "~/features/portal/portal-payments.server";
import { PaymentReceipts } from "./payment-receipts";

const CARD: PortalReceipt = {
  id: "pay_card", date: "2026-12-07", at: "2026-12-07T09:00:00.000Z", amount: 1_927_500, amountRefunded: 0, method: "card",
  reference: "pi_123", reversed: false, number: "pay_card", emailedTo: ["ekonomi@kund.example", "anna@kund.example"],
};
const BANK: PortalReceipt = {
  id: "pay_bank", date: "2026-12-01", at: "2026-12-01T09:00:00.000Z", amount: 10_000, amountRefunded: 0, method: "bank_transfer",
  reference: "BG-1", reversed: false, number: "pay_bank", emailedTo: [],
};

function render(locale: "sv" | "en", receipts: PortalReceipt[], receiptBase?: string) {
  const html = renderToString(<PaymentReceipts receipts={receipts} currency="SEK" locale={locale} receiptBase={receiptBase} />);
  const text = html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ");
  return { html, text };
}

describe("PaymentReceipts", () => {
  it.each([
    ["sv", "Tack — 19 275,00 kr betalt med kort 7 december 2026", "Kvittonummer pay_card", "Ett kvitto skickades till ekonomi@kund.example och anna@kund.example.", "100,00 kr betalt med banköverföring 1 december 2026"],
    ["en", "Thank you — SEK 19,275.00 paid by card on 7 December 2026", "Receipt number pay_card", "A receipt was emailed to ekonomi@kund.example and anna@kund.example.", "SEK 100.00 paid by bank transfer on 1 December 2026"],
  ] as const)("thanks the payer for the newest payment, newest first (%s)", (locale, thanks, number, emailed, older) => {
    const { html, text } = render(locale, [BANK, CARD], "/i/tok/receipts");
    expect(text).toContain(thanks);
    expect(text).toContain(number);
    expect(text).toContain(emailed);
    expect(text).toContain(older);
    expect(text.indexOf(thanks)).toBeLessThan(text.indexOf(older));
    expect(text.match(/Tack|Thank you/g)).toHaveLength(1);
    expect(html).toContain(`href="/i/tok/receipts/pay_card.pdf?lang=${locale}"`);
    expect(html).toContain(`href="/i/tok/receipts/pay_bank.pdf?lang=${locale}"`);
  });

  it("links no PDF without a base, and thanks no one for a reversed payment", () => {
    const { html, text } = render("en", [{ ...CARD, reversed: true }]);
    expect(html).not.toContain(".pdf");
    expect(text).not.toContain("Thank you");
    expect(text).toContain("SEK 19,275.00 paid by card on 7 December 2026");
  });
});
