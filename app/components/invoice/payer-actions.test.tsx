import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import type { Locale } from "~/i18n";
import type { PortalPage } from "~/features/portal/portal.server";
import type { PayerActionData } from "~/platform/forms/form-action.server";
import type { PayerPanel } from "~/features/portal/payer-panel.server";
import { FormTargetProvider } from "./form-fields";
import { InvoicePage } from "./invoice-page";
import { timelineText } from "./timeline";

function page(locale: Locale, status: PortalPage["status"] = { kind: "due", days: 5, amountDue: 12_500, partlyPaid: false, disputed: false }): PortalPage {
  return {
    locale,
    supplier: { name: "Nordljus AB", orgNumber: null, vatNumber: null, logoUrl: null, brandColor: null },
    customer: { name: "Kund AB" },
    invoice: {
      number: "1042", currency: "SEK", issueDate: "2026-03-01", dueDate: "2026-03-31", totalNet: 10_000, totalVat: 2_500,
      rounding: 0, total: 12_500, amountPaid: 0, amountDue: 12_500, ocr: "104257",
    },
    lines: [
      { position: 1, description: "Consulting", quantity: "1.000", unit: "h", unitPrice: 6_000, vatRate: "25.00", net: 6_000, vat: 1_500 },
      { position: 2, description: "Books", quantity: "2.000", unit: null, unitPrice: 2_000, vatRate: "25.00", net: 4_000, vat: 1_000 },
    ],
    vatGroups: [{ rate: "25.00", net: 10_000, vat: 2_500 }],
    status,
    payment: { bankgiro: "5050-1055", plusgiro: null, iban: null, bic: null },
  };
}

function panel(changes: Partial<PayerPanel> = {}): PayerPanel {
  return {
    notice: null,
    can: { confirm: true, report: true, decideDeliveries: true },
    contentHash: "sha256:abc",
    confirmation: null,
    disputes: [],
    deliveries: [
      {
        id: "dlv_1", description: "Pallet of books", deliveredOn: "2026-03-10", location: "Göteborg", linePositions: [2], status: "pending",
        decided: null, canApprove: true, canReport: true,
      },
    ],
    contacts: [
      {
        id: "con_1", name: null, email: "ekonomi@kund.example", phone: null, invoiceReference: null, addressLine1: null,
        addressLine2: null, postalCode: null, city: null, country: null, language: "sv", channel: "email", peppolId: null,
      },
    ],
    timeline: [],
    submissionIds: {
      confirm: "s-confirm-0000000000000", "report-problem": "s-report-00000000000000", "add-contact": "s-add-0000000000000000",
      "approve-delivery:dlv_1": "s-approve-0000000000000", "report-delivery-problem:dlv_1": "s-dreport-0000000000000",
      "update-contact:con_1": "s-contact-0000000000000",
    },
    reasons: { invoice: ["wrong_amount", "other"], delivery: ["damaged"] },
    ...changes,
  };
}

function render(portal: PortalPage, payer: PayerPanel, actionData?: PayerActionData) {
  const html = renderToString(<InvoicePage page={portal} panel={payer} actionData={actionData} />);
  const text = html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ");
  return { html, text };
}

/** The <form> element that carries the given intent (and target id). */
function formWith(html: string, intent: string, target = ""): string {
  const forms = html.match(/<form[\s\S]*?<\/form>/g) ?? [];
  const form = forms.find((candidate) => candidate.includes(`name="intent" value="${intent}"`) && candidate.includes(target));
  if (!form) throw new Error(`no form for ${intent} ${target}`);
  return form;
}

describe("the payer's forms", () => {
  it("every action is a POST form with its intent and one-time submission id; no JavaScript needed, no inline styles", () => {
    const { html, text } = render(page("en"), panel());
    expect(formWith(html, "confirm")).toMatch(/^<form id="confirm-form" method="post" enctype="application\/x-www-form-urlencoded"/i);
    expect(formWith(html, "confirm")).toContain('name="submission_id" value="s-confirm-0000000000000"');
    expect(formWith(html, "confirm")).toContain('name="content_hash" value="sha256:abc"');
    expect(formWith(html, "report-problem")).toMatch(/enctype="multipart\/form-data"/i);
    expect(formWith(html, "report-problem")).toContain('type="file"');
    expect(formWith(html, "approve-delivery", "dlv_1")).toContain('name="delivery_id" value="dlv_1"');
    expect(formWith(html, "report-delivery-problem", "dlv_1")).toContain('value="s-dreport-0000000000000"');
    expect(formWith(html, "update-contact", "con_1")).toContain('value="ekonomi@kund.example"');
    expect(formWith(html, "add-contact")).toContain('name="channel"');
    expect(html).not.toMatch(/\sstyle=/);
    expect(text).toContain("The invoice is correct");
    expect(text).toContain("Received and accepted");
    // The delivery's report form offers only its own line.
    expect(formWith(html, "report-delivery-problem", "dlv_1")).toContain("Line 2: Books");
    expect(formWith(html, "report-delivery-problem", "dlv_1")).not.toContain("Line 1: Consulting");
  });

  it("every form posts to the page's own path (no ?done= notice) and lands at itself; the checkout form carries no fragment", () => {
    const portal = page("en");
    const html = renderToString(
      <FormTargetProvider value="?lang=en">
        <InvoicePage page={portal} panel={panel()} />
      </FormTargetProvider>,
    );
    const forms = html.match(/<form [^>]*>/g) ?? [];
    expect(forms.length).toBeGreaterThan(4);
    for (const form of forms) {
      const id = /id="([^"]+)"/.exec(form)?.[1];
      expect(form).toContain(`action="?lang=en#${id}"`);
    }
  });

  it("a paid invoice shows no box holding only the report link", () => {
    const paid = page("en", { kind: "paid" });
    paid.invoice = { ...paid.invoice, amountPaid: 12_500, amountDue: 0 };
    const { html } = render(paid, panel({ can: { confirm: false, report: true, decideDeliveries: false } }));
    expect(html).not.toContain('id="actions-heading"');
  });

  it("an error is shown next to its field, tied to it with aria-invalid and aria-describedby, and the form reopens with what was typed", () => {
    const actionData: PayerActionData = {
      form: "report-problem",
      errors: { reason: "actions.error.reason", email: "actions.error.email" },
      formError: null,
      values: { reason: "", message: "Too expensive", email: "anna@", lines: ["2"] },
    };
    const { html } = render(page("sv"), panel(), actionData);
    const form = formWith(html, "report-problem");
    expect(form).toMatch(/<select id="report-problem-reason" name="reason"[^>]*aria-invalid="true"[^>]*aria-describedby="report-problem-reason-error"/);
    expect(form).toContain('<span id="report-problem-reason-error" class="field-error">Välj vad som är fel.</span>');
    expect(form).toMatch(/<input id="report-problem-email" name="email" aria-invalid="true" aria-describedby="report-problem-email-error"[^>]*value="anna@"/);
    expect(form).toContain(">Too expensive</textarea>");
    expect(form).toMatch(/name="lines" checked="" value="2"/);
    expect(form).not.toMatch(/name="lines" checked="" value="1"/);
    expect(form).toContain('role="alert"');
    expect(html).toMatch(/<details class="disclosure report" open=""/);
    // Other forms stay clean.
    expect(formWith(html, "confirm")).not.toContain("aria-invalid");
  });

  it("numbers lines for people from 1 even when the stored positions start at 0 (invoices made through the API)", () => {
    const zeroBased = { ...page("en"), lines: page("en").lines.map((line) => ({ ...line, position: line.position - 1 })) };
    const { html } = render(zeroBased, panel({ deliveries: [{ ...panel().deliveries[0]!, linePositions: [1] }] }));
    expect(formWith(html, "report-problem")).toMatch(/value="0"\/><label[^>]*>Line 1: Consulting</);
    expect(formWith(html, "report-delivery-problem", "dlv_1")).toMatch(/value="1"\/><label[^>]*>Line 2: Books</);
  });

  it("a confirmed invoice says by whom and when instead of offering the button", () => {
    const { html, text } = render(page("sv"), panel({
      can: { confirm: false, report: true, decideDeliveries: true },
      confirmation: { at: "2026-03-15T09:00:00.000Z", date: "2026-03-15", by: "Anna", reference: "PO-1", costCentre: null },
    }));
    expect(text).toContain("Bekräftad av Anna den 15 mars 2026");
    expect(text).toContain("Referens: PO-1");
    expect(html).not.toContain('value="confirm"');
  });

  it("a cancelled invoice offers only the contacts", () => {
    const { html } = render(page("en", { kind: "cancelled" }), panel({
      can: { confirm: false, report: false, decideDeliveries: false },
      deliveries: [{ ...panel().deliveries[0]!, canApprove: false, canReport: false }],
    }));
    const intents = [...html.matchAll(/name="intent" value="([^"]+)"/g)].map((match) => match[1]);
    expect(intents).toEqual(["update-contact", "add-contact"]);
  });

  it("shows open and answered problems with their status", () => {
    const { text } = render(page("en"), panel({
      disputes: [
        {
          id: "dsp_1", kind: "invoice", deliveryDescription: null, reason: "wrong_amount", message: "We agreed 900", lineNumbers: [1],
          attachmentName: "agreement.pdf", status: "open", answer: null, at: "2026-03-15T09:00:00.000Z", date: "2026-03-15",
        },
        {
          id: "dsp_2", kind: "delivery", deliveryDescription: "Pallet of books", reason: "damaged", message: null, lineNumbers: [],
          attachmentName: null, status: "accepted", at: "2026-03-16T09:00:00.000Z", date: "2026-03-16",
          answer: { at: "2026-03-17T09:00:00.000Z", date: "2026-03-17", message: "Sorry", creditNoteReference: "KF-7", correctedInvoiceNumber: null },
        },
      ],
    }));
    expect(text).toContain("Wrong amount or price · the invoice");
    expect(text).toContain("Open – waiting for an answer from Nordljus AB");
    expect(text).toContain("lines 1 · attached: agreement.pdf");
    expect(text).toContain("Damaged · delivery: Pallet of books");
    expect(text).toContain("Accepted by Nordljus AB");
    expect(text).toContain("Credit note: KF-7");
    expect(text).toContain("No reminders are sent for this invoice while a problem is open.");
  });

  it("says what was just done, once, as a status message", () => {
    const { html } = render(page("sv"), panel({ notice: "report-problem" }));
    expect(html).toContain('<p class="notice" role="status">Tack! Din rapport har skickats till Nordljus AB.</p>');
  });
});

describe("a billing contact whose email bounces", () => {
  it("is asked to correct the address, with the form open, in both languages", () => {
    const failing = (locale: Locale) =>
      render(page(locale), panel({ contacts: [{ ...panel().contacts[0]!, emailFailure: "bounced" }] }));
    const en = failing("en");
    expect(en.text).toContain("Email to ekonomi@kund.example cannot be delivered, so we have stopped sending to it. Please correct the address.");
    expect(en.html).toMatch(/<details class="disclosure" open=""><summary>Change this contact/);
    expect(failing("sv").text).toContain("E-post till ekonomi@kund.example går inte fram");
    expect(render(page("en"), panel()).text).not.toContain("cannot be delivered");
  });
});

describe("timelineText", () => {
  const at = { at: "2026-03-15T09:00:00.000Z", date: "2026-03-15" };
  it.each<[Parameters<typeof timelineText>[0], string, string]>([
    [{ ...at, kind: "viewed" }, "Invoice opened", "Fakturan öppnades"],
    [{ ...at, kind: "confirmed", name: "Anna" }, "Invoice confirmed by Anna", "Fakturan bekräftades av Anna"],
    [{ ...at, kind: "disputed", reason: "wrong_amount" }, "Problem reported: Wrong amount or price", "Problem rapporterat: Fel belopp eller pris"],
    [{ ...at, kind: "deliveryApproved", description: "Pallet" }, "Delivery approved: Pallet", "Leverans godkänd: Pallet"],
    [{ ...at, kind: "answered", status: "rejected" }, "Acme answered: rejected", "Acme svarade: avvisat"],
    [{ ...at, kind: "contactUpdated" }, "Billing contact changed", "Fakturamottagare ändrad"],
    [{ ...at, kind: "invoiceSent" }, "Invoice sent by email", "Fakturan skickad via e-post"],
    [{ ...at, kind: "reminderSent", step: "first" }, "Payment reminder sent", "Betalningspåminnelse skickad"],
    [{ ...at, kind: "reminderSent", step: "final" }, "Final payment reminder sent", "Sista betalningspåminnelsen skickad"],
    [{ ...at, kind: "paymentReceived", amount: 1_927_500, currency: "SEK" }, "Payment received: SEK 19,275.00", "Betalning mottagen: 19 275,00 kr"],
  ])("%j", (item, english, swedish) => {
    expect(timelineText(item, "en", "Acme").replace(/[\u00a0\u202f]/g, " ")).toBe(english);
    expect(timelineText(item, "sv", "Acme").replace(/[\u00a0\u202f]/g, " ")).toBe(swedish);
  });
});
