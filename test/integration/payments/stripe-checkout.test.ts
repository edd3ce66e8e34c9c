// Paying by card from the portal page through Stripe Checkout: the real `stripe` SDK against the
// local fake, the fake's hosted page sending signed webhooks to our route over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { customers, invoices } from "../../../db/schema";
import { failureText } from "~/components/invoice/payment-status";
import { setStripeClientSettings } from "~/integrations/stripe.server";
import { applyPaymentUpdate } from "~/features/payments/payments.server";
import { useTestDatabase } from "../../support/database";
import { TEST_BASE_URL } from "../../support/context";
import { STANDARD_INVOICE } from "../../support/fixtures";
import {
  countEvents, invoiceRow, payCard, paymentsOf, receipts, sessionOf, startStripeWorld, stripeSupplier, type StripeWorld,
} from "./stripe-helpers";
import { BILLING_EMAIL, openPage, post } from "../portal/payer-helpers";

const database = useTestDatabase();
const TOTAL = STANDARD_INVOICE.total;
let world: StripeWorld;

beforeAll(async () => {
  world = await startStripeWorld(database.get());
});
afterAll(() => world.close());
afterEach(() => setStripeClientSettings(null));

/** The fake's hosted page, as the payer's browser uses it. */
async function press(url: string, button: "pay" | "decline" | "cancel") {
  const response = await fetch(`${url}/${button}`, { method: "POST", redirect: "manual" });
  return { status: response.status, location: response.headers.get("location") };
}

describe("pay by card from the portal", () => {
  it("redirects to Stripe's hosted page for the amount due; Pay → webhooks → paid, receipt queued", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const response = await payCard(world, fixture.token);
    expect(response.status).toBe(303);
    const location = response.headers.get("location")!;
    expect(location.startsWith(`${world.fake.url}/checkout/cs_test_`)).toBe(true);
    // An explicit empty fragment: the browser does not carry the page's `#pay` over to the provider.
    expect(location.endsWith("#")).toBe(true);

    const session = sessionOf(world, response);
    const [pending] = await paymentsOf(db, fixture.invoice.id);
    expect(session).toMatchObject({ amount: TOTAL, currency: "sek", method: "card", locale: "en", clientReferenceId: pending!.id });
    expect(session.intentMetadata).toEqual({ payment_id: pending!.id, invoice_id: fixture.invoice.id, supplier_id: fixture.supplier.id });
    expect(pending).toMatchObject({ status: "pending", amount: TOTAL, provider: "stripe", checkoutUrl: session.url });
    expect(location).toBe(`${session.url}#`);
    // The return alone changes nothing: still pending until a verified event arrives.
    expect(session.successUrl).toBe(`${TEST_BASE_URL}/i/${fixture.token}?checkout=${pending!.id}&lang=en`);

    const page = await fetch(location);
    expect(await page.text()).toContain("12297.00 SEK");
    const paid = await press(session.url, "pay");
    expect(paid).toEqual({ status: 303, location: session.successUrl });
    expect(world.fake.deliveries.filter((delivery) => delivery.eventId.startsWith("evt_")).slice(-2).map((d) => [d.type, d.status])).toEqual([
      ["payment_intent.succeeded", 200],
      ["checkout.session.completed", 200],
    ]);

    const [payment] = await paymentsOf(db, fixture.invoice.id);
    expect(payment).toMatchObject({ status: "succeeded", amount: TOTAL, providerReference: session.paymentIntentId, checkoutUrl: null });
    expect(await invoiceRow(db, fixture.invoice.id)).toMatchObject({ amountPaid: TOTAL });
    expect((await invoiceRow(db, fixture.invoice.id)).paidAt).not.toBeNull();
    expect(await countEvents(db, fixture.invoice.id, "payment.succeeded")).toBe(1);
    expect(await countEvents(db, fixture.invoice.id, "invoice.paid")).toBe(1);
    const mails = await receipts(db, fixture.invoice.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.props).toMatchObject({ amount: TOTAL, currency: "SEK", method: "card", amountDue: 0 });

    // Paid: no second checkout.
    const again = await payCard(world, fixture.token);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ form: "pay", formError: "portal.pay.nothingDue" });
  });

  it("reuses the open checkout on a second press and under a double submit: one session, one payment", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const before = world.fake.sessionsCreated();
    const [first, second] = await Promise.all([payCard(world, fixture.token), payCard(world, fixture.token)]);
    const third = await payCard(world, fixture.token);
    expect([first!.status, second!.status, third.status]).toEqual([303, 303, 303]);
    expect(new Set([first, second, third].map((response) => response!.headers.get("location"))).size).toBe(1);
    expect(world.fake.sessionsCreated() - before).toBe(1);
    expect(await paymentsOf(db, fixture.invoice.id)).toHaveLength(1);
  });

  it("EUR invoice: the session asks for the stored minor units in eur", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db, { currency: "EUR" });
    const response = await payCard(world, fixture.token);
    const session = sessionOf(world, response);
    expect(session).toMatchObject({ amount: TOTAL, currency: "eur" });
    await press(session.url, "pay");
    expect(await paymentsOf(db, fixture.invoice.id)).toMatchObject([{ status: "succeeded", currency: "EUR", amount: TOTAL }]);
    expect(await invoiceRow(db, fixture.invoice.id)).toMatchObject({ amountPaid: TOTAL });
  });

  it("Swish through Stripe: a swish-only session for SEK; refused for EUR", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const session = sessionOf(world, await payCard(world, fixture.token, "swish"));
    expect(session).toMatchObject({ method: "swish", currency: "sek" });
    await press(session.url, "pay");
    expect(await paymentsOf(db, fixture.invoice.id)).toMatchObject([{ status: "succeeded", method: "swish" }]);
    expect((await receipts(db, fixture.invoice.id))[0]!.props).toMatchObject({ method: "swish" });

    const euro = await stripeSupplier(world, db, { currency: "EUR" });
    const refused = await payCard(world, euro.token, "swish");
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ formError: "pay.checkout.notOffered" });
  });

  it("a declined card is recorded as failed; the payer's retry gets a new checkout and can pay", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const session = sessionOf(world, await payCard(world, fixture.token));
    expect(await press(session.url, "decline")).toEqual({ status: 303, location: session.cancelUrl });
    expect(session.cancelUrl).toContain("cancelled=1");
    const [failed] = await paymentsOf(db, fixture.invoice.id);
    expect(failed).toMatchObject({ status: "failed", failureReason: "Your card has insufficient funds." });
    expect(await countEvents(db, fixture.invoice.id, "payment.failed")).toBe(1);
    expect((await invoiceRow(db, fixture.invoice.id)).amountPaid).toBe(0);

    const retry = sessionOf(world, await payCard(world, fixture.token));
    expect(retry.id).not.toBe(session.id);
    await press(retry.url, "pay");
    expect((await paymentsOf(db, fixture.invoice.id)).map((row) => row.status)).toEqual(["failed", "succeeded"]);
    expect((await invoiceRow(db, fixture.invoice.id)).amountPaid).toBe(TOTAL);
  });

  it("partial then full: a bank payment in between makes the next checkout ask only for the rest", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const first = sessionOf(world, await payCard(world, fixture.token));
    expect(first.amount).toBe(TOTAL);

    const partial = 400_000;
    await db.transaction((tx) =>
      applyPaymentUpdate(tx, {
        supplierId: fixture.supplier.id, provider: "manual", invoiceId: fixture.invoice.id, providerReference: "bank-1",
        method: "bank_transfer", currency: "SEK", amount: partial, status: "succeeded", occurredAt: new Date(),
      }),
    );
    expect(await invoiceRow(db, fixture.invoice.id)).toMatchObject({ amountPaid: partial, paidAt: null });

    const rest = sessionOf(world, await payCard(world, fixture.token));
    expect(rest.id).not.toBe(first.id);
    expect(rest.amount).toBe(TOTAL - partial);
    await press(rest.url, "pay");
    expect(await invoiceRow(db, fixture.invoice.id)).toMatchObject({ amountPaid: TOTAL });
    expect(await countEvents(db, fixture.invoice.id, "invoice.paid")).toBe(1);
    const mails = await receipts(db, fixture.invoice.id);
    expect(mails.map((mail) => mail.props)).toMatchObject([{ amount: partial, amountDue: TOTAL - partial }, { amount: TOTAL - partial, amountDue: 0 }]);

    // The first tab, still open, is paid too: recorded, and the invoice flagged as overpaid.
    await press(first.url, "pay");
    expect(await invoiceRow(db, fixture.invoice.id)).toMatchObject({ amountPaid: TOTAL + TOTAL });
    expect(await countEvents(db, fixture.invoice.id, "invoice.overpaid")).toBe(1);
  });

  it("a refund after payment takes the invoice back to unpaid", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const session = sessionOf(world, await payCard(world, fixture.token));
    await press(session.url, "pay");
    expect((await invoiceRow(db, fixture.invoice.id)).amountPaid).toBe(TOTAL);

    expect(await world.fake.sendEvent(fixture.secretKey, world.fake.buildEvent(session.id, { type: "charge.refunded", amountRefunded: 200_000 }))).toBe(200);
    expect(await invoiceRow(db, fixture.invoice.id)).toMatchObject({ amountPaid: TOTAL - 200_000, paidAt: null });
    expect(await world.fake.sendEvent(fixture.secretKey, world.fake.buildEvent(session.id, { type: "charge.refunded", amountRefunded: TOTAL }))).toBe(200);
    expect(await invoiceRow(db, fixture.invoice.id)).toMatchObject({ amountPaid: 0, paidAt: null });
    expect(await paymentsOf(db, fixture.invoice.id)).toMatchObject([{ status: "succeeded", amountRefunded: TOTAL }]);
    expect(await countEvents(db, fixture.invoice.id, "payment.refunded")).toBe(2);
  });
});

describe("refusals", () => {
  it("cross-site POST → 403, bad link → 404, unknown method → 400; no checkout made", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const before = world.fake.sessionsCreated();
    const crossSite = await payCard(world, fixture.token, "card", { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    const mutated = fixture.token.slice(0, -2) + (fixture.token.endsWith("AA") ? "BB" : "AA");
    expect((await payCard(world, mutated)).status).toBe(404);
    expect((await payCard(world, fixture.token, "bitcoin")).status).toBe(400);
    expect(world.fake.sessionsCreated()).toBe(before);
    expect(await paymentsOf(db, fixture.invoice.id)).toHaveLength(0);
  });

  it("no account for the method, option switched off, cancelled invoice → the page says why (409)", async () => {
    const db = database.get().db;
    const cardOnly = await stripeSupplier(world, db, { methods: ["card"] });
    const noSwish = await payCard(world, cardOnly.token, "swish");
    expect(noSwish.status).toBe(409);
    expect(await noSwish.json()).toEqual({ form: "pay", errors: {}, formError: "pay.checkout.notOffered", values: { method: "swish" } });

    const switchedOff = await stripeSupplier(world, db, { paymentOptions: ["bank_transfer"] });
    expect(await (await payCard(world, switchedOff.token)).json()).toMatchObject({ formError: "pay.checkout.notOffered" });

    const cancelled = await stripeSupplier(world, db);
    await db.update(invoices).set({ cancelledAt: new Date() }).where(eq(invoices.id, cancelled.invoice.id));
    expect(await (await payCard(world, cancelled.token)).json()).toMatchObject({ formError: "portal.pay.cancelled" });
    for (const fixture of [cardOnly, switchedOff, cancelled]) expect(await paymentsOf(db, fixture.invoice.id)).toHaveLength(0);
  });
});

describe("P4: the provider call carries the idempotency key stored before it", () => {
  it("Stripe times out, the payer tries again: the same session, created once", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    setStripeClientSettings({ timeoutMs: 300, maxNetworkRetries: 0 });
    const before = world.fake.sessionsCreated();
    world.fake.failNext({ kind: "timeout" });
    const first = await payCard(world, fixture.token);
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ form: "pay", formError: "pay.checkout.unavailable" });
    expect(world.fake.sessionsCreated() - before).toBe(1); // Stripe made it; we never heard back

    const retry = await payCard(world, fixture.token);
    expect(retry.status).toBe(303);
    expect(world.fake.sessionsCreated() - before).toBe(1);
    const [payment] = await paymentsOf(db, fixture.invoice.id);
    expect(await paymentsOf(db, fixture.invoice.id)).toHaveLength(1);
    expect(retry.headers.get("location")).toBe(`${payment!.checkoutUrl}#`);
    expect(sessionOf(world, retry).clientReferenceId).toBe(payment!.id);
  });

  it("the SDK's own retry after a timeout reuses the key too: one press, one session", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    setStripeClientSettings({ timeoutMs: 300, maxNetworkRetries: 2 });
    const before = world.fake.sessionsCreated();
    world.fake.failNext({ kind: "timeout" });
    const response = await payCard(world, fixture.token);
    expect(response.status).toBe(303);
    expect(world.fake.sessionsCreated() - before).toBe(1);
  });

  it("Stripe answers 500 (nothing made): the page says try again; the retry creates it", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    setStripeClientSettings({ maxNetworkRetries: 0 });
    const before = world.fake.sessionsCreated();
    world.fake.failNext({ kind: "error500" });
    expect((await payCard(world, fixture.token)).status).toBe(503);
    expect(world.fake.sessionsCreated() - before).toBe(0);
    expect((await payCard(world, fixture.token)).status).toBe(303);
    expect(world.fake.sessionsCreated() - before).toBe(1);
    expect(await paymentsOf(db, fixture.invoice.id)).toHaveLength(1);
  });
});

describe("back from the hosted page: the payer's language and only the latest attempt", () => {
  /** The portal page at the address the provider sent the payer back to. */
  const openReturn = async (token: string, url: string) => {
    const page = await openPage(world.context, token, url.slice(url.indexOf("?")));
    return { locale: page.locale, pay: page.pay! };
  };
  const payIn = (token: string, lang: "sv" | "en", method = "card") =>
    post(world.context, token, { intent: "pay-card", method }, { query: `?lang=${lang}` });

  it.each(["sv", "en"] as const)("keeps ?lang=%s through a success, a decline and a cancel", async (lang) => {
    const db = database.get().db;
    // The customer's language is English and the supplier's Swedish: only ?lang= makes it the chosen one.
    const other = lang === "sv" ? "en" : "sv";
    const fixture = await stripeSupplier(world, db);
    await db.update(customers).set({ language: other }).where(eq(customers.id, fixture.customerId));

    const declined = sessionOf(world, await payIn(fixture.token, lang));
    for (const url of [declined.successUrl, declined.cancelUrl]) expect(new URL(url).searchParams.get("lang")).toBe(lang);
    const afterDecline = await press(declined.url, "decline");
    const failedPage = await openReturn(fixture.token, afterDecline.location!);
    expect(failedPage.locale).toBe(lang);
    expect(failedPage.pay.failedAttempt).toMatchObject({ status: "failed", reason: "Your card has insufficient funds." });
    // The provider's English reason is quoted on an English page only.
    expect(failureText(failedPage.pay.failedAttempt!, lang)).toBe(
      lang === "sv" ? "Din kortbetalning gick inte igenom." : "Your card payment did not go through (Your card has insufficient funds.).",
    );

    const cancelled = sessionOf(world, await payIn(fixture.token, lang));
    const cancelledPage = await openReturn(fixture.token, (await press(cancelled.url, "cancel")).location!);
    expect(cancelledPage.locale).toBe(lang);
    expect(failureText(cancelledPage.pay.failedAttempt!, lang)).toBe(lang === "sv" ? "Din kortbetalning avbröts." : "Your card payment was cancelled.");

    const paid = sessionOf(world, await payIn(fixture.token, lang));
    expect(paid.id).toBe(cancelled.id); // the open page is reused
    const paidPage = await openReturn(fixture.token, (await press(paid.url, "pay")).location!);
    expect(paidPage.locale).toBe(lang);
    expect(paidPage.pay.failedAttempt).toBeNull();
    expect(paidPage.pay.receipts).toMatchObject([{ method: "card", amount: TOTAL, emailedTo: [BILLING_EMAIL] }]);
  });

  it("decline, cancel, a third checkout, Back: no notice about an older attempt", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const first = sessionOf(world, await payIn(fixture.token, "sv"));
    const firstReturn = (await press(first.url, "decline")).location!;
    const second = sessionOf(world, await payIn(fixture.token, "sv"));
    const secondReturn = (await press(second.url, "cancel")).location!;
    expect((await openReturn(fixture.token, secondReturn)).pay.failedAttempt).toMatchObject({ status: "cancelled", reason: null });

    // A third checkout (Swish this time), left with the browser's Back button.
    await payIn(fixture.token, "sv", "swish");
    expect((await paymentsOf(db, fixture.invoice.id)).map((row) => row.status)).toEqual(["failed", "pending", "pending"]);
    for (const back of [secondReturn, firstReturn, `${TEST_BASE_URL}/i/${fixture.token}?lang=sv`]) {
      const page = await openReturn(fixture.token, back);
      expect(page.pay.failedAttempt, back).toBeNull();
      expect(page.pay.processing).toBe(false);
    }
  });
});
