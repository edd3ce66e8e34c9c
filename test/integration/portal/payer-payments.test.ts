// The payer's payment section on real PostgreSQL: "I have paid" (validation per field, nothing
// written on errors, double submit, supplier told, reminders paused, never money) and the page
// showing what the ledger holds (payments applied through applyPaymentUpdate, as webhooks do).
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { invoices, paymentReports, suppliers } from "../../../db/schema";
import { connect } from "../../../db/client";
import { InvoicePage } from "~/components/invoice/invoice-page";
import { todayIn } from "~/domain/invoice-status";
import { newPublicId } from "~/domain/public-id";
import { insertPaymentAccount } from "~/features/payments/db/payment-accounts.server";
import { loader } from "~/routes/i.$token";
import { encryptCredentials } from "~/platform/credentials.server";
import { applyPaymentUpdate, createPendingPayment, type PaymentUpdate } from "~/features/payments/payments.server";
import { loadPortalPage } from "~/features/portal/portal.server";
import { evaluateReminders } from "~/features/reminders/reminders.server";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { addDays, STANDARD_INVOICE } from "../../support/fixtures";
import {
  BILLING_EMAIL, SUPPLIER_INBOX, emailsOf, eventsOf, newSubmissionId, openPage, payerFixture, post, snapshot,
  webhookMessagesOf, type LoadedPage, type PayerFixture,
} from "./payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

const TOTAL = STANDARD_INVOICE.total; // 12 297.00 SEK
const DAY_MS = 86_400_000;
const today = () => todayIn("Europe/Stockholm", new Date());
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async function invoiceRow(id: string) {
  const [row] = await db().select().from(invoices).where(eq(invoices.id, id));
  return row!;
}

const reportsOf = (invoiceId: string) => db().select().from(paymentReports).where(eq(paymentReports.invoiceId, invoiceId));

/** The page as the payer sees it: loader data, HTML and its text (plain spaces). */
function rendered(page: LoadedPage) {
  const { panel, ...data } = page;
  const html = renderToString(createElement(InvoicePage, { page: data, panel }));
  const text = html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ");
  return { html, text };
}

async function openOn(fixture: PayerFixture, query = "", userAgent?: string): Promise<LoadedPage> {
  if (!userAgent) return openPage(context(), fixture.token, query);
  const ctx = { ...context(), request: { ...context().request, userAgent } };
  const response = await callRoute(loader, ctx, {
    path: `/i/${fixture.token}${query}`,
    params: { token: fixture.token },
    headers: { accept: "text/html", "sec-fetch-mode": "navigate", "user-agent": userAgent },
  });
  return (await response.json()) as LoadedPage;
}

async function cardAccount(fixture: PayerFixture, methods: string[] = ["card"]) {
  return insertPaymentAccount(db(), {
    id: newPublicId("pac"),
    supplierId: fixture.supplier.id,
    provider: "stripe",
    methods,
    credentialsCiphertext: encryptCredentials(config, { secretKey: "sk_test_portal", webhookSecret: "whsec_portal" }),
  });
}

/** One fact into the ledger, the way a verified provider event or the supplier's API puts it there. */
function ledger(fixture: PayerFixture, update: Omit<PaymentUpdate, "supplierId" | "currency" | "occurredAt"> & { occurredAt?: Date }) {
  return db().transaction((tx) =>
    applyPaymentUpdate(tx, { supplierId: fixture.supplier.id, currency: "SEK", occurredAt: new Date(), ...update }),
  );
}

function pendingCheckout(fixture: PayerFixture, accountId: string, method: "card" | "swish" = "card") {
  return db().transaction((tx) =>
    createPendingPayment(tx, { supplierId: fixture.supplier.id, invoiceId: fixture.invoice.id, accountId, provider: "stripe", method, currency: "SEK", amount: TOTAL }),
  );
}

const report = (fields: Record<string, string> = {}) => ({
  intent: "report-payment",
  paid_on: today(),
  amount: "12 297,00",
  method: "bank_transfer",
  ...fields,
});

describe("I have paid", () => {
  it("records the report, pauses reminders for the supplier's days, tells supplier and payer, and counts no money", async () => {
    const fixture = await payerFixture(db(), config);
    await db().update(suppliers).set({ paymentReportPauseDays: 10 }).where(eq(suppliers.id, fixture.supplier.id));
    const before = await openPage(context(), fixture.token);
    expect(before.pay?.options).toEqual(["bank_transfer"]);
    const paidOn = addDays(today(), -1);

    const started = Date.now();
    const response = await post(context(), fixture.token, report({ submission_id: before.panel.submissionIds["report-payment"]!, paid_on: paidOn, amount: "12 297,00" }), { query: "?lang=en" });
    const finished = Date.now();

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/i/${fixture.token}?lang=en&done=report-payment`);
    const reports = await reportsOf(fixture.invoice.id);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ supplierId: fixture.supplier.id, paidOn, amount: TOTAL, currency: "SEK", method: "bank_transfer" });
    expect(reports[0]!.id).toMatch(/^prp_/);

    const row = await invoiceRow(fixture.invoice.id);
    expect(row.amountPaid).toBe(0);
    expect(row.paidAt).toBeNull();
    const until = row.paymentReportedUntil!.getTime();
    expect(until).toBeGreaterThanOrEqual(started + 10 * DAY_MS);
    expect(until).toBeLessThanOrEqual(finished + 10 * DAY_MS);

    const [event] = await eventsOf(db(), fixture.invoice.id, "payment.reported");
    expect(event).toMatchObject({ actor: "payer", actorId: fixture.linkId, data: { report_id: reports[0]!.id, amount: TOTAL, method: "bank_transfer", paid_on: paidOn } });
    const webhooks = await webhookMessagesOf(db(), fixture.supplier.id, "payment.reported");
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]!.payload).toMatchObject({
      payment_report: { id: reports[0]!.id, invoice_id: fixture.invoice.id, paid_on: paidOn, amount: TOTAL, currency: "SEK", method: "bank_transfer" },
      invoice: { id: fixture.invoice.id, number: fixture.invoice.number },
    });

    const emails = await emailsOf(db(), fixture.invoice.id);
    expect(emails.map((email) => [email.template, email.toAddress, email.locale])).toEqual(
      expect.arrayContaining([
        ["payment-reported", BILLING_EMAIL, "sv"],
        ["payment-reported-supplier", SUPPLIER_INBOX, "sv"],
      ]),
    );
    expect(emails).toHaveLength(2);
    expect(emails.find((email) => email.template === "payment-reported-supplier")!.props).toMatchObject({
      invoiceId: fixture.invoice.id, reportId: reports[0]!.id, amount: TOTAL, method: "bank_transfer", paidOn,
    });
    // Stored emails carry no working link.
    for (const email of emails) expect(JSON.stringify(email.props)).not.toContain("/i/");

    const after = await openPage(context(), fixture.token, "?lang=en&done=report-payment");
    expect(after.panel.notice).toBe("report-payment");
    expect(after.pay?.reported).toMatchObject({ paidOn, amount: TOTAL, method: "bank_transfer" });
    expect(after.panel.timeline.map((item) => item.kind)).toContain("paymentReported");
    const { text } = rendered(after);
    expect(text).toContain("Status: Payment reported, waiting for the bank");
    expect(text).toContain(`You reported paying SEK 12,297.00`);
    expect(text).toContain("Thank you. Nordljus Konsult AB has been told that you have paid.");
    expect(text).toContain("Payment of SEK 12,297.00 reported as made");
    expect(text).not.toMatch(/Status: Paid\b/);
  });

  it("sends no supplier email when the supplier has no notification address", async () => {
    const fixture = await payerFixture(db(), config, { notificationEmail: null });
    expect((await post(context(), fixture.token, report())).status).toBe(303);
    expect((await emailsOf(db(), fixture.invoice.id)).map((email) => email.template)).toEqual(["payment-reported"]);
  });

  it.each([
    ["paid_on", { paid_on: "" }, "actions.error.required"],
    ["paid_on", { paid_on: "2026-02-30" }, "payments.report.error.date"],
    ["paid_on", { paid_on: "28/03/2026" }, "payments.report.error.date"],
    ["paid_on", { paid_on: "tomorrow" }, "payments.report.error.future"],
    ["paid_on", { paid_on: "2026-02-28" }, "payments.report.error.beforeIssue"],
    ["amount", { amount: "" }, "actions.error.required"],
    ["amount", { amount: "twelve" }, "payments.report.error.amount"],
    ["amount", { amount: "1,234,50" }, "payments.report.error.amount"],
    ["amount", { amount: "0,00" }, "payments.report.error.zero"],
    ["amount", { amount: "20 000" }, "payments.report.error.tooMuch"],
    ["method", { method: "cheque" }, "payments.report.error.method"],
    ["method", { method: "" }, "payments.report.error.method"],
  ] as [string, Record<string, string>, string][])("a wrong %s (%j) → 422 naming the field, nothing written", async (field, change, message) => {
    const fixture = await payerFixture(db(), config);
    const fields = report(change.paid_on === "tomorrow" ? { paid_on: addDays(today(), 1) } : change);
    const submissionId = newSubmissionId();
    const before = await snapshot(db());

    const response = await post(context(), fixture.token, { ...fields, submission_id: submissionId });

    expect(response.status).toBe(422);
    const data = (await response.json()) as { form: string; errors: Record<string, string>; values: Record<string, string> };
    expect(data.form).toBe("report-payment");
    expect(data.errors).toEqual({ [field]: message });
    expect(data.values[field]).toBe(fields[field as keyof typeof fields]);
    expect(await snapshot(db())).toEqual(before);
    expect(await reportsOf(fixture.invoice.id)).toEqual([]);
    expect((await invoiceRow(fixture.invoice.id)).paymentReportedUntil).toBeNull();

    // The refused submission id is still good for the corrected form.
    expect((await post(context(), fixture.token, { ...report(), submission_id: submissionId })).status).toBe(303);
    expect(await reportsOf(fixture.invoice.id)).toHaveLength(1);
  });

  it("names every wrong field at once", async () => {
    const fixture = await payerFixture(db(), config);
    const response = await post(context(), fixture.token, report({ paid_on: addDays(today(), 3), amount: "-5", method: "gold" }));
    expect(response.status).toBe(422);
    const { errors } = (await response.json()) as { errors: Record<string, string> };
    // Each field's format at once; the date's range is checked once the form parses.
    expect(errors).toEqual({ amount: "payments.report.error.amount", method: "payments.report.error.method" });
  });

  it("a double submit (sequential and concurrent) makes one report, one event, one webhook, one email each", async () => {
    const fixture = await payerFixture(db(), config);
    const submission_id = newSubmissionId();
    const first = await post(context(), fixture.token, report({ submission_id }));
    const second = await post(context(), fixture.token, report({ submission_id }));
    expect([first.status, second.status]).toEqual([303, 303]);

    const concurrentId = newSubmissionId();
    const other = await fixture.another();
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(context(), other.token, report({ submission_id: concurrentId }))));
    expect(responses.map((response) => response.status)).toEqual([303, 303, 303, 303, 303]);

    for (const invoiceId of [fixture.invoice.id, other.invoice.id]) {
      expect(await reportsOf(invoiceId)).toHaveLength(1);
      expect(await eventsOf(db(), invoiceId, "payment.reported")).toHaveLength(1);
      expect((await emailsOf(db(), invoiceId)).map((email) => email.template).sort()).toEqual(["payment-reported", "payment-reported-supplier"]);
    }
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "payment.reported")).toHaveLength(2);
  });

  it("is refused on a paid or cancelled invoice, and from another site", async () => {
    const fixture = await payerFixture(db(), config);
    const paid = await fixture.another({ amountPaid: TOTAL, paidAt: new Date() });
    const cancelled = await fixture.another({ cancelledAt: new Date() });
    const before = await snapshot(db());

    const settled = await post(context(), paid.token, report());
    expect(settled.status).toBe(409);
    expect(await settled.json()).toMatchObject({ form: "report-payment", formError: "actions.error.settled" });
    const gone = await post(context(), cancelled.token, report());
    expect(gone.status).toBe(409);
    expect(await gone.json()).toMatchObject({ formError: "actions.error.cancelled" });
    const crossSite = await post(context(), fixture.token, report(), { headers: { "sec-fetch-site": "cross-site", origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);

    expect(await snapshot(db())).toEqual(before);
    for (const invoiceId of [fixture.invoice.id, paid.invoice.id, cancelled.invoice.id]) expect(await reportsOf(invoiceId)).toEqual([]);
  });

  it("pauses the invoice's reminders until the pause ends, while others still get theirs", async () => {
    // The next weekday at 10:00 Stockholm (09:00Z in winter, 11:00 in summer), some days ahead.
    const weekdayAt9Z = (daysAhead: number) => {
      const at = new Date(Date.now() + daysAhead * DAY_MS);
      at.setUTCHours(9, 0, 0, 0);
      while (at.getUTCDay() === 0 || at.getUTCDay() === 6) at.setTime(at.getTime() + DAY_MS);
      return at;
    };
    const during = weekdayAt9Z(1);
    const afterPause = weekdayAt9Z(8);
    // "first" comes due 7 days after the due date: due 8 days before `during`.
    const dueDate = addDays(todayIn("Europe/Stockholm", during), -8);
    const issueDate = addDays(dueDate, -30);
    const fixture = await payerFixture(db(), config, { invoice: { dueDate, issueDate } });
    const control = await fixture.another({ dueDate, issueDate });
    expect((await post(context(), fixture.token, report())).status).toBe(303);

    const run = async (now: Date) => {
      const { queued } = await evaluateReminders(db(), { now });
      return queued.filter((reminder) => reminder.supplierId === fixture.supplier.id).map((reminder) => reminder.invoiceId);
    };
    expect(await run(during)).toEqual([control.invoice.id]);
    expect(await run(afterPause)).toEqual(expect.arrayContaining([fixture.invoice.id]));
  });
});

describe("the page shows the ledger", () => {
  it("partly paid, then paid, then a refund: statuses, receipts and timeline follow", async () => {
    const fixture = await payerFixture(db(), config);
    const first = await ledger(fixture, {
      provider: "manual", providerReference: "BG-2026-0001", invoiceId: fixture.invoice.id, method: "bank_transfer",
      amount: 1_000_000, status: "succeeded", occurredAt: new Date("2026-11-10T09:00:00Z"),
    });
    expect(first.outcome).toBe("applied");

    let page = await openPage(context(), fixture.token);
    expect(page.invoice).toMatchObject({ amountPaid: 1_000_000, amountDue: 229_700 });
    let view = rendered(page);
    expect(view.text).toContain("Status: Partly paid, SEK 2,297.00 left");
    expect(view.text).toContain("Thank you — SEK 10,000.00 paid by bank transfer on 10 November 2026");
    expect(view.text).toContain("Reference BG-2026-0001");
    expect(view.text).toContain("Amount due SEK 2,297.00");

    await ledger(fixture, {
      provider: "manual", providerReference: "BG-2026-0002", invoiceId: fixture.invoice.id, method: "bank_transfer",
      amount: 229_700, status: "succeeded", occurredAt: new Date("2026-11-12T09:00:00Z"),
    });
    page = await openPage(context(), fixture.token);
    view = rendered(page);
    expect(view.text).toContain("Status: Paid ");
    expect(view.text).toContain("Nothing is left to pay on this invoice.");
    expect(page.pay?.receipts.map((receipt) => receipt.reference)).toEqual(["BG-2026-0001", "BG-2026-0002"]);
    expect(page.panel.timeline.map((item) => item.kind)).toEqual(expect.arrayContaining(["paymentReceived", "invoicePaid"]));
    expect(view.text).toContain("Payment received: SEK 10,000.00 (Bank transfer)");
    expect(view.text).toContain("Invoice paid in full");
    expect(view.html).not.toContain("payment-report");

    await ledger(fixture, { provider: "manual", providerReference: "BG-2026-0002", amount: 229_700, amountRefunded: 29_700 });
    page = await openPage(context(), fixture.token);
    view = rendered(page);
    expect(view.text).toContain("Status: Partly paid, SEK 297.00 left");
    expect(view.text).toContain("SEK 297.00 of this payment has been refunded.");
    expect(view.text).toContain("Refund made: SEK 297.00 refunded in total");
  });

  it("shows an overpayment", async () => {
    const fixture = await payerFixture(db(), config);
    await ledger(fixture, { provider: "manual", providerReference: "BG-OVER", invoiceId: fixture.invoice.id, method: "bank_transfer", amount: TOTAL + 5_000, status: "succeeded" });
    const view = rendered(await openPage(context(), fixture.token));
    expect(view.text).toContain("Status: Paid – SEK 50.00 more than the total was received");
  });

  it("a checkout the payer came back from is 'processing' until the provider's event, never 'paid' from the return alone", async () => {
    const fixture = await payerFixture(db(), config);
    const account = await cardAccount(fixture);
    const checkout = await pendingCheckout(fixture, account.id);

    const back = await openPage(context(), fixture.token, `?checkout=${checkout.id}`);
    expect(back.pay?.processing).toBe(true);
    let view = rendered(back);
    expect(view.text).toContain("Status: Payment pending");
    expect(view.text).toContain("We are processing your payment");
    expect(view.text).not.toMatch(/Status: Paid\b/);
    expect(back.invoice.amountPaid).toBe(0);

    // Without the return (an abandoned checkout): no "processing".
    expect((await openPage(context(), fixture.token)).pay?.processing).toBe(false);
    // A made-up checkout id changes nothing either.
    expect((await openPage(context(), fixture.token, "?checkout=pay_000000000000000000000000")).pay?.processing).toBe(false);

    await ledger(fixture, { provider: "stripe", paymentId: checkout.id, providerReference: "pi_portal_1", method: "card", amount: TOTAL, status: "succeeded" });
    const confirmed = await openPage(context(), fixture.token, `?checkout=${checkout.id}`);
    expect(confirmed.pay?.processing).toBe(false);
    view = rendered(confirmed);
    expect(view.text).toContain("Status: Paid ");
    expect(view.text).toMatch(/Thank you — SEK [\d,.]+ paid by card on/);
    expect(view.text).toContain("Reference pi_portal_1");
  });

  it("a failed card attempt says why and offers the pay button again; a cancelled return says so", async () => {
    const fixture = await payerFixture(db(), config);
    const account = await cardAccount(fixture);
    const failed = await pendingCheckout(fixture, account.id);
    await ledger(fixture, { provider: "stripe", paymentId: failed.id, providerReference: "pi_portal_2", amount: TOTAL, status: "failed", failureReason: "card_declined" });

    const page = await openPage(context(), fixture.token, `?checkout=${failed.id}`);
    expect(page.pay?.failedAttempt).toEqual({ method: "card", status: "failed", reason: "card_declined" });
    const view = rendered(page);
    expect(view.text).toContain("Your card payment did not go through (card_declined). Nothing was charged. Try again:");
    const alert = view.html.slice(view.html.indexOf('role="alert"'));
    expect(alert).toContain('name="intent" value="pay-card"');
    expect(alert).toContain(`name="submission_id" value="${page.panel.submissionIds["pay-card"]}"`);
    expect(page.panel.timeline.map((item) => item.kind)).toContain("paymentFailed");

    const abandoned = await pendingCheckout(fixture, account.id);
    const cancelled = await openPage(context(), fixture.token, `?checkout=${abandoned.id}&cancelled=1`);
    expect(cancelled.pay).toMatchObject({ processing: false, failedAttempt: { method: "card", status: "cancelled" } });
    expect(rendered(cancelled).text).toContain("Your card payment was cancelled.");
  });

  it("offers what the supplier switched on and can take, in the order that suits the device", async () => {
    const fixture = await payerFixture(db(), config);
    await db().update(suppliers).set({ swishNumber: "1231181189" }).where(eq(suppliers.id, fixture.supplier.id));
    // No provider account: no card; Swish by QR.
    expect((await openOn(fixture)).pay?.options).toEqual(["bank_transfer", "swish_qr"]);

    await cardAccount(fixture, ["card"]);
    expect((await openOn(fixture)).pay?.options).toEqual(["card", "bank_transfer", "swish_qr"]);
    expect((await openOn(fixture, "", IPHONE)).pay?.options).toEqual(["swish_qr", "card", "bank_transfer"]);

    // The account takes Swish too: Swish through the provider replaces the QR code.
    await db().execute(sql`update payment_accounts set methods = '{card,swish}' where supplier_id = ${fixture.supplier.id}`);
    const phone = await openOn(fixture, "", IPHONE);
    expect(phone.pay?.options).toEqual(["swish_checkout", "card", "bank_transfer"]);
    const phoneView = rendered(phone);
    expect(phoneView.html.indexOf("Pay with Swish")).toBeLessThan(phoneView.html.indexOf("Pay by card"));
    expect(phoneView.html).not.toContain("/qr/swish.svg");

    // Switched off by the supplier: gone, whatever accounts exist.
    await db().update(suppliers).set({ paymentOptions: ["bank_transfer"] }).where(eq(suppliers.id, fixture.supplier.id));
    const bankOnly = await openOn(fixture);
    expect(bankOnly.pay?.options).toEqual(["bank_transfer"]);
    expect(rendered(bankOnly).html).not.toContain('value="pay-card"');
  });

  it("still loads everything in one query plus the view event", async () => {
    const fixture = await payerFixture(db(), config);
    const account = await cardAccount(fixture, ["card", "swish"]);
    await pendingCheckout(fixture, account.id);
    await ledger(fixture, { provider: "manual", providerReference: "BG-Q", invoiceId: fixture.invoice.id, method: "bank_transfer", amount: 1_000, status: "succeeded" });
    expect((await post(context(), fixture.token, report({ amount: "10" }))).status).toBe(303);

    const queries: string[] = [];
    const counted = connect(database.url(), { max: 1, onQuery: (query) => queries.push(query) });
    try {
      const request = () => new Request(`https://pay.example.test/i/${fixture.token}`, { headers: { accept: "text/html" } });
      const load = () => loadPortalPage(counted.db, config, { token: fixture.token, request: request(), ip: "203.0.113.7", userAgent: "vitest" });
      // The first use of a connection also reads PostgreSQL's type catalogue: count a warm one.
      await load();
      queries.length = 0;
      const result = await load();
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.page.pay?.receipts).toHaveLength(1);
        expect(result.page.pay?.reported).not.toBeNull();
        expect(result.page.pay?.options).toEqual(["card", "bank_transfer", "swish_checkout"]);
      }
      expect(queries).toHaveLength(2);
    } finally {
      await counted.close();
    }
  });
});
