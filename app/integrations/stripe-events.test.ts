import { describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { mapStripeEvent } from "./stripe-events";

const SUPPLIER = "sup_0000000000000000000001";
const PAY = "pay_0000000000000000000001";
const INV = "inv_0000000000000000000001";
const metadata = { payment_id: PAY, invoice_id: INV, supplier_id: SUPPLIER };

function event(type: string, object: Record<string, unknown>): Stripe.Event {
  return { id: "evt_1", object: "event", type, created: 1_760_000_000, data: { object } } as unknown as Stripe.Event;
}

const session = (extra: Record<string, unknown> = {}) => ({
  object: "checkout.session", mode: "payment", metadata, client_reference_id: PAY, payment_intent: "pi_1",
  currency: "sek", amount_total: 1000, payment_method_types: ["card"], payment_status: "paid", ...extra,
});
const intent = (extra: Record<string, unknown> = {}) => ({
  id: "pi_1", object: "payment_intent", metadata, currency: "eur", amount: 1000, amount_received: 1000,
  payment_method_types: ["card"], last_payment_error: null, ...extra,
});
const charge = (extra: Record<string, unknown> = {}) => ({
  id: "ch_1", object: "charge", metadata, currency: "sek", amount: 1000, amount_refunded: 250, paid: true,
  payment_intent: "pi_1", payment_method_details: { type: "swish" }, ...extra,
});
const dispute = (status: string) => ({ id: "dp_1", object: "dispute", metadata: {}, currency: "sek", amount: 400, payment_intent: "pi_1", status });

describe("mapStripeEvent", () => {
  it.each([
    ["checkout.session.completed", session(), { status: "succeeded", paymentId: PAY, invoiceId: INV, providerReference: "pi_1", amount: 1000, currency: "sek", method: "card" }],
    ["checkout.session.completed", session({ payment_status: "unpaid" }), { status: undefined }],
    ["checkout.session.async_payment_succeeded", session(), { status: "succeeded" }],
    ["checkout.session.async_payment_failed", session(), { status: "failed" }],
    ["checkout.session.expired", session({ payment_intent: null, payment_status: "unpaid" }), { status: "cancelled", providerReference: null }],
    ["checkout.session.completed", session({ payment_method_types: ["swish"] }), { method: "swish" }],
    ["payment_intent.succeeded", intent(), { status: "succeeded", providerReference: "pi_1", currency: "eur", amount: 1000 }],
    ["payment_intent.payment_failed", intent({ amount_received: 0, last_payment_error: { code: "card_declined", message: "Declined." } }), { status: "failed", failureReason: "Declined." }],
    ["charge.refunded", charge(), { amountRefunded: 250, status: "succeeded", paymentId: PAY, providerReference: "pi_1", method: "swish" }],
    ["charge.dispute.created", dispute("needs_response"), { chargeback: "open", paymentId: null, providerReference: "pi_1", amount: 0 }],
    ["charge.dispute.closed", dispute("lost"), { chargeback: "lost" }],
    ["charge.dispute.closed", dispute("won"), { chargeback: "won" }],
  ])("%s → %j", (type, object, expected) => {
    const mapped = mapStripeEvent(event(type, object), SUPPLIER);
    expect(mapped.kind).toBe("update");
    if (mapped.kind !== "update") return;
    expect(mapped.update).toMatchObject({ supplierId: SUPPLIER, provider: "stripe", occurredAt: new Date(1_760_000_000_000) });
    for (const [key, value] of Object.entries(expected)) expect(mapped.update[key as keyof typeof mapped.update]).toEqual(value);
  });

  it.each([
    ["customer.created", { id: "cus_1", object: "customer" }],
    ["checkout.session.completed", session({ mode: "subscription" })],
    ["payment_intent.succeeded", intent({ metadata: { ...metadata, supplier_id: "sup_someone_else" } })],
    ["checkout.session.completed", session({ metadata: {}, client_reference_id: null, payment_intent: null })],
    ["charge.dispute.created", dispute("warning_needs_response")],
    ["charge.dispute.closed", dispute("warning_closed")],
  ])("%s is ignored (%#)", (type, object) => {
    expect(mapStripeEvent(event(type, object), SUPPLIER).kind).toBe("ignored");
  });

  it("takes our id from client_reference_id when metadata is missing, and never a malformed one", () => {
    const fromReference = mapStripeEvent(event("checkout.session.completed", session({ metadata: {} })), SUPPLIER);
    expect(fromReference.kind === "update" && fromReference.update.paymentId).toBe(PAY);
    const malformed = mapStripeEvent(event("payment_intent.succeeded", intent({ metadata: { payment_id: "pay_'; drop" } })), SUPPLIER);
    expect(malformed.kind === "update" && malformed.update.paymentId).toBeNull();
  });
});
