// The payer's payment section and statuses, rendered to a string in both languages: which ways
// to pay, in which order, what each ledger state says, the receipt and "I have paid".
import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import type { InvoiceStatus } from "~/domain/invoice-status";
import type { Locale } from "~/i18n";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PayerPanel } from "~/features/portal/payer-panel.server";
import type { PortalPayments } from "~/features/portal/portal-payments.server";
import type { PortalPage } from "~/features/portal/portal.server";
import { InvoicePage } from "./invoice-page";
import { timelineText } from "./timeline";

const DUE: InvoiceStatus = { kind: "due", days: 5, amountDue: 1_229_700, partlyPaid: false, disputed: false };

const SWISH = { number: "1231181189", numberPrinted: "123 118 11 89", message: "655969", payload: "C1231181189;12297,00;655969;0", appLink: "swish://payment?data=x" };

function pay(changes: Partial<PortalPayments> = {}): PortalPayments {
  return {
    options: ["card", "bank_transfer", "swish_qr"],
    bankQr: true,
    receipts: [],
    processing: false,
    failedAttempt: null,
    reported: null,
    today: "2026-03-20",
    ...changes,
  };
}

function page(locale: Locale, changes: { pay?: PortalPayments; status?: InvoiceStatus; amountPaid?: number; phone?: boolean } = {}): PortalPage {
  const amountPaid = changes.amountPaid ?? 0;
  return {
    locale,
    supplier: { name: "Nordljus AB", orgNumber: null, vatNumber: null, logoUrl: null, brandColor: null },
    customer: { name: "Kund AB" },
    invoice: {
      number: "1042", currency: "SEK", issueDate: "2026-03-01", dueDate: "2026-03-31", totalNet: 983_760, totalVat: 245_940,
      rounding: 0, total: 1_229_700, amountPaid, amountDue: Math.max(1_229_700 - amountPaid, 0), ocr: "655969",
    },
    lines: [{ position: 1, description: "Consulting", quantity: "1.000", unit: "h", unitPrice: 983_760, vatRate: "25.00", net: 983_760, vat: 245_940 }],
    vatGroups: [{ rate: "25.00", net: 983_760, vat: 245_940 }],
    status: changes.status ?? DUE,
    payment: { bankgiro: "5050-1055", plusgiro: null, iban: null, bic: null },
    instructions: {
      currency: "SEK", amountDue: 1_229_700, dueDate: "2026-03-31", bankgiro: "5050-1055", plusgiro: null, iban: null, bic: null,
      ocr: "655969", rf: null, rfPrinted: null, swish: SWISH, uqr: null, epc: null,
    },
    phone: changes.phone ?? false,
    pay: changes.pay ?? pay(),
  };
}

const PANEL: PayerPanel = {
  notice: null,
  can: { confirm: false, report: false, decideDeliveries: false },
  contentHash: "sha256:abc",
  confirmation: null,
  disputes: [],
  deliveries: [],
  contacts: [],
  timeline: [],
  submissionIds: { "pay-card": "s-pay-card-000000000000", "report-payment": "s-report-pay-0000000000" },
  reasons: { invoice: [], delivery: [] },
};

function render(portal: PortalPage, actionData?: PayerActionData, panel: PayerPanel | undefined = PANEL) {
  const html = renderToString(<InvoicePage page={portal} panel={panel} actionData={actionData} qrBase="/i/tok/qr" />);
  const text = html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&#x27;/g, "'")
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/\s+/g, " ");
  return { html, text };
}

/** Where each thing first appears in the payment section, to compare orders. */
function positions(html: string, markers: string[]) {
  const section = html.slice(html.indexOf('id="pay"'));
  return markers.map((marker) => section.indexOf(marker));
}

describe("ways to pay", () => {
  it.each([
    ["en", "Pay by card", "Bankgiro", "Swish number"],
    ["sv", "Betala med kort", "Bankgiro", "Swishnummer"],
  ] as const)("at a desk (%s): card, then bank transfer, then Swish", (locale, card, bank, swish) => {
    const { html } = render(page(locale));
    const [a, b, c] = positions(html, [card, bank, swish]);
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThan(b!);
    expect(b).toBeLessThan(c!);
  });

  it.each([
    ["en", "Swish number", "Pay by card", "Bankgiro"],
    ["sv", "Swishnummer", "Betala med kort", "Bankgiro"],
  ] as const)("on a phone (%s): Swish first, then card, then bank transfer", (locale, swish, card, bank) => {
    const portal = page(locale, { phone: true, pay: pay({ options: ["swish_qr", "card", "bank_transfer"] }) });
    const { html } = render(portal);
    const [a, b, c] = positions(html, [swish, card, bank]);
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThan(b!);
    expect(b).toBeLessThan(c!);
  });

  it("posts the card button as a form the route sends on to the hosted page, with a one-time id", () => {
    const { html } = render(page("en"));
    expect(html).toMatch(
      /<form id="pay-card-form" method="post"[^>]*class="payer-form checkout-form"[^>]*><input type="hidden" name="intent" value="pay-card"\/><input type="hidden" name="submission_id" value="s-pay-card-000000000000"\/><input type="hidden" name="method" value="card"\/>/,
    );
    // No card field of ours anywhere (security P7).
    expect(html).not.toMatch(/name="(card|cc|pan|cvc|cvv)/i);
  });

  it.each([
    ["en", "Pay with Swish", "Swish number"],
    ["sv", "Betala med Swish", "Swishnummer"],
  ] as const)("offers Swish through the provider instead of the QR code where the account has it (%s)", (locale, button, qrNumber) => {
    const { html, text } = render(page(locale, { pay: pay({ options: ["card", "bank_transfer", "swish_checkout"] }) }));
    expect(text).toContain(button);
    expect(html).toContain('name="method" value="swish"');
    expect(text).not.toContain(qrNumber);
    expect(html).not.toContain("/qr/swish.svg");
  });

  it("shows only the options the supplier switched on", () => {
    const { html, text } = render(page("en", { pay: pay({ options: ["bank_transfer"] }) }));
    expect(text).not.toContain("Pay by card");
    expect(text).not.toContain("Swish number");
    expect(html).not.toContain('value="pay-card"');
    expect(text).toContain("Bankgiro 5050-1055");
  });

  it("says whom to contact when no way to pay is on", () => {
    const { text } = render(page("sv", { pay: pay({ options: [] }) }));
    expect(text).toContain("Kontakta Nordljus AB för betalningsuppgifter.");
  });

  it.each([
    ["en", "Pay now"],
    ["sv", "Betala nu"],
  ] as const)("puts the amount due and a pay link to the payment section at the top (%s)", (locale, label) => {
    const { html } = render(page(locale));
    const link = html.indexOf(`href="#pay">${label}</a>`);
    expect(link).toBeGreaterThan(0);
    expect(link).toBeLessThan(html.indexOf('id="pay"'));
    expect(html).toContain('<section id="pay" class="payment"');
  });

  it("makes references one-tap copyable and says so", () => {
    const { html, text } = render(page("en"));
    expect(html).toContain('<code class="copyable">655969</code>');
    expect(text).toContain("Tap a number or reference to select all of it");
  });

  it("shows the provider's refusal in the form that was sent, and only there", () => {
    const refused: PayerActionData = { form: "pay", errors: {}, formError: "pay.checkout.unavailable", values: { method: "card" } };
    const { html } = render(page("en"), refused);
    expect(html.match(/role="alert"/g)).toHaveLength(1);
    expect(html).toContain("Card payment is not available right now");
  });
});

describe("payment statuses", () => {
  it.each([
    ["en", "Paid", "Nothing is left to pay on this invoice."],
    ["sv", "Betald", "Det finns inget kvar att betala på den här fakturan."],
  ] as const)("paid (%s): says so and offers no way to pay", (locale, status, note) => {
    const { html, text } = render(page(locale, { status: { kind: "paid" }, amountPaid: 1_229_700, pay: pay({ options: [] }) }));
    expect(text).toContain(`Status: ${status} `);
    expect(text).toContain(note);
    expect(html).not.toContain('value="pay-card"');
    expect(html).not.toContain('href="#pay"');
  });

  it.each([
    ["en", "Partly paid, SEK 2,297.00 left · Due in 5 days"],
    ["sv", "Delvis betald, 2 297,00 kr kvar · Förfaller om 5 dagar"],
  ] as const)("partly paid (%s): what is left", (locale, expected) => {
    const status: InvoiceStatus = { kind: "due", days: 5, amountDue: 229_700, partlyPaid: true, disputed: false };
    const { text } = render(page(locale, { status, amountPaid: 1_000_000 }));
    expect(text).toContain(expected);
  });

  it.each([
    ["en", "Paid – SEK 50.00 more than the total was received"],
    ["sv", "Betald – 50,00 kr mer än totalbeloppet har kommit in"],
  ] as const)("overpaid (%s)", (locale, expected) => {
    const { text } = render(page(locale, { status: { kind: "overpaid", excess: 5_000 }, amountPaid: 1_234_700, pay: pay({ options: [] }) }));
    expect(text).toContain(expected);
  });

  it.each([
    ["en", "Payment pending · Due in 5 days", "We are processing your payment", "Paid"],
    ["sv", "Betalning pågår · Förfaller om 5 dagar", "Vi behandlar din betalning", "Betald"],
  ] as const)("back from a checkout the provider has not confirmed (%s): processing, never paid", (locale, status, notice, paid) => {
    const { html, text } = render(page(locale, { pay: pay({ processing: true }) }));
    expect(text).toContain(`Status: ${status}`);
    expect(text).toContain(notice);
    expect(text).not.toMatch(new RegExp(`Status: ${paid}\\b`));
    expect(html).toContain('class="notice notice--info" role="status"');
    expect(html).not.toContain('href="#pay"');
  });

  it.each([
    ["en", "Your card payment did not go through (card_declined).", "Nothing was charged. Try again:"],
    // The provider's reason is English: a Swedish page says it in its own words instead.
    ["sv", "Din kortbetalning gick inte igenom.", "Inget har dragits. Försök igen:"],
  ] as const)("a failed card attempt (%s): the reason and the pay button to retry", (locale, message, retry) => {
    const failed = pay({ failedAttempt: { method: "card", status: "failed", reason: "card_declined" } });
    const { html, text } = render(page(locale, { pay: failed }));
    expect(text).toContain(`${message} ${retry}`);
    const notice = html.slice(html.indexOf('role="alert"'), html.indexOf("</div>", html.indexOf('role="alert"')));
    expect(notice).toContain('value="pay-card"');
    expect(notice).toContain('name="method" value="card"');
  });

  it.each([
    ["en", "Your Swish payment was cancelled."],
    ["sv", "Din Swish-betalning avbröts."],
  ] as const)("a cancelled Swish checkout (%s)", (locale, message) => {
    const cancelled = pay({ options: ["card", "bank_transfer", "swish_checkout"], failedAttempt: { method: "swish", status: "cancelled", reason: null } });
    const { html, text } = render(page(locale, { pay: cancelled }));
    expect(text).toContain(message);
    expect(html.slice(html.indexOf('role="alert"'))).toContain('name="method" value="swish"');
  });

  it.each([
    ["en", "Payment reported, waiting for the bank · Due in 5 days", "You reported paying SEK 12,297.00 on 18 March 2026. No reminders are sent until 27 March 2026"],
    ["sv", "Betalning anmäld, väntar på banken · Förfaller om 5 dagar", "Du har anmält att du betalade 12 297,00 kr den 18 mars 2026. Inga påminnelser skickas förrän 27 mars 2026"],
  ] as const)("payment reported (%s): waiting for the bank, reminders paused", (locale, status, body) => {
    const reported = pay({
      reported: { until: "2026-03-27T08:00:00.000Z", untilDate: "2026-03-27", paidOn: "2026-03-18", amount: 1_229_700, method: "bank_transfer" },
    });
    const { text } = render(page(locale, { pay: reported }));
    expect(text).toContain(`Status: ${status}`);
    expect(text).toContain(body);
  });
});

describe("receipts", () => {
  const receipts: PortalPayments["receipts"] = [
    { id: "pay_1", date: "2026-03-10", at: "2026-03-10T09:00:00.000Z", amount: 1_000_000, amountRefunded: 0, method: "card", reference: "pi_123", reversed: false, number: "pay_1", emailedTo: [] },
    { id: "pay_2", date: "2026-03-12", at: "2026-03-12T09:00:00.000Z", amount: 229_700, amountRefunded: 29_700, method: "swish", reference: "PSP-9", reversed: false, number: "pay_2", emailedTo: [] },
  ];

  it.each([
    ["en", ["Thank you — SEK 2,297.00 paid with Swish on 12 March 2026", "Receipt number pay_2 Reference PSP-9", "SEK 297.00 of this payment has been refunded.", "SEK 10,000.00 paid by card on 10 March 2026", "Receipt number pay_1 Reference pi_123"]],
    ["sv", ["Tack — 2 297,00 kr betalt med Swish 12 mars 2026", "Kvittonummer pay_2 Referens PSP-9", "297,00 kr av betalningen har återbetalats.", "10 000,00 kr betalt med kort 10 mars 2026", "Kvittonummer pay_1 Referens pi_123"]],
  ] as const)("lists each payment, newest first, with its sentence, number, reference and refunds (%s)", (locale, expected) => {
    const { text } = render(page(locale, { status: { kind: "due", days: 5, amountDue: 29_700, partlyPaid: true, disputed: false }, amountPaid: 1_200_000, pay: pay({ receipts }) }));
    for (const fact of expected) expect(text).toContain(fact);
  });

  it("keeps the receipt on a paid invoice", () => {
    const { text } = render(page("en", { status: { kind: "paid" }, amountPaid: 1_229_700, pay: pay({ options: [], receipts: receipts.slice(0, 1) }) }));
    expect(text).toContain("Thank you — SEK 10,000.00 paid by card on 10 March 2026");
    expect(text).toContain("pi_123");
  });
});

describe("I have paid", () => {
  it.each([
    ["en", "I have already paid", "Date you paid", "Amount paid (SEK)", "Paid by", 'value="12297.00"'],
    ["sv", "Jag har redan betalat", "Datum då du betalade", "Betalt belopp (SEK)", "Betalsätt", 'value="12297,00"'],
  ] as const)("is a labelled form inside a closed disclosure (%s)", (locale, summary, date, amount, method, typed) => {
    const { html, text } = render(page(locale));
    const details = html.slice(html.indexOf('<details class="disclosure payment-report"'));
    expect(details.startsWith('<details class="disclosure payment-report">')).toBe(true);
    expect(text).toContain(summary);
    expect(details).toContain(`<label for="report-payment-paid_on">${date}</label>`);
    expect(details).toContain(`<label for="report-payment-amount">${amount}</label>`);
    expect(details).toContain(`<label for="report-payment-method">${method}</label>`);
    expect(details).toMatch(/type="date"[^>]*min="2026-03-01"[^>]*max="2026-03-20"/);
    expect(details).toContain(typed);
    expect(details).toContain('inputMode="decimal"');
    expect(details).toContain('name="intent" value="report-payment"');
  });

  it("is offered only with bank transfer or Swish QR, which the page cannot see arrive", () => {
    expect(render(page("en", { pay: pay({ options: ["card"] }) })).html).not.toContain("payment-report");
    expect(render(page("en", { pay: pay({ options: ["swish_qr"] }) })).html).toContain("payment-report");
  });

  it("opens with errors linked to their fields", () => {
    const data: PayerActionData = {
      form: "report-payment",
      errors: { paid_on: "payments.report.error.future", amount: "payments.report.error.amount" },
      formError: null,
      values: { paid_on: "2027-01-01", amount: "12,34,5", method: "swish" },
    };
    const { html, text } = render(page("en"), data);
    expect(html).toContain('<details class="disclosure payment-report" open="">');
    expect(html).toMatch(/id="report-payment-paid_on"[^>]*aria-invalid="true"[^>]*aria-describedby="report-payment-paid_on-hint report-payment-paid_on-error"/);
    expect(html).toMatch(/id="report-payment-amount"[^>]*aria-invalid="true"[^>]*aria-describedby="report-payment-amount-error"/);
    expect(text).toContain("The date cannot be in the future.");
    expect(text).toContain("Enter an amount such as 1 234,50 or 1234.50.");
    expect(html).toContain('value="12,34,5"');
  });
});

describe("timeline of payments", () => {
  const at = { at: "2026-03-10T09:00:00.000Z", date: "2026-03-10" };
  it.each([
    [{ ...at, kind: "paymentReceived", amount: 1_000_000, currency: "SEK", method: "card" }, "Payment received: SEK 10,000.00 (Card)", "Betalning mottagen: 10 000,00 kr (Kort)"],
    [{ ...at, kind: "paymentRefunded", amountRefunded: 29_700, currency: "SEK" }, "Refund made: SEK 297.00 refunded in total", "Återbetalning gjord: totalt 297,00 kr återbetalt"],
    [{ ...at, kind: "paymentReported", amount: 1_229_700, currency: "SEK" }, "Payment of SEK 12,297.00 reported as made", "Betalning på 12 297,00 kr anmäld som gjord"],
    [{ ...at, kind: "invoicePaid" }, "Invoice paid in full", "Fakturan är helt betald"],
    [{ ...at, kind: "paymentFailed" }, "A payment attempt did not go through", "Ett betalningsförsök gick inte igenom"],
  ] as const)("%j", (item, en, sv) => {
    const clean = (value: string) => value.replace(/[\u00a0\u202f]/g, " ");
    expect(clean(timelineText(item, "en", "Nordljus AB"))).toBe(en);
    expect(clean(timelineText(item, "sv", "Nordljus AB"))).toBe(sv);
  });
});
