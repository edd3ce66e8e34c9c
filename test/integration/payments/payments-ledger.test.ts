// The ledger straight through its one way in (applyPaymentUpdate, receiveProviderEvent): balances,
// paid_at, over-payments, refunds, chargebacks, currencies, tenancy, and what each change tells
// the payer (receipt) and the supplier (audit event, webhook message).
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { providerEvents } from "../../../db/schema";
import { insertBillingContact } from "~/features/customers/db/customers.server";
import { createPendingPayment, receiveProviderEvent, type PaymentUpdate } from "~/features/payments/payments.server";
import { getInvoice } from "~/features/invoices/invoices.server";
import { useTestDatabase } from "../../support/database";
import { testConfig } from "../../support/context";
import { BILLING_EMAIL, emailsOf, eventsOf, webhookMessagesOf } from "../portal/payer-helpers";
import { applyUpdate, invoiceRow, ledgerFixture, ledgerSnapshot, paymentsOf, type LedgerFixture } from "./payments-test-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;

const TOTAL = 1_229_700;

/** A card payment Stripe reports for the invoice (one we have no row for yet). */
function stripePayment(fixture: LedgerFixture, reference: string, amount: number, extra: Partial<PaymentUpdate> = {}): PaymentUpdate {
  return {
    supplierId: fixture.supplier.id,
    provider: "stripe",
    accountId: fixture.accountId,
    providerReference: reference,
    invoiceId: fixture.invoice.id,
    method: "card",
    currency: "SEK",
    amount,
    status: "succeeded",
    occurredAt: new Date("2026-03-20T10:00:00Z"),
    ...extra,
  };
}

/** Event ids are unique per provider, across all accounts: each fixture gets its own. */
const eventIdOf = (fixture: LedgerFixture, name: string) => `${name}_${fixture.accountId}`;

function deliver(fixture: LedgerFixture, eventName: string, update: PaymentUpdate | null, type = "payment_intent.succeeded") {
  return receiveProviderEvent(
    db(),
    { provider: "stripe", accountId: fixture.accountId, supplierId: fixture.supplier.id, eventId: eventIdOf(fixture, eventName), type },
    update,
  );
}

const apiInvoice = async (fixture: LedgerFixture) => (await getInvoice(db(), { supplierId: fixture.supplier.id, id: fixture.invoice.id }))!;
const receipts = async (fixture: LedgerFixture) =>
  (await emailsOf(db(), fixture.invoice.id)).filter((email) => email.template === "payment-receipt");
const typesOf = async (fixture: LedgerFixture) => (await eventsOf(db(), fixture.invoice.id)).map((event) => event.type);

describe("partial and full payment", () => {
  it("adds payments up, stamps paid_at when settled, and announces invoice.paid once", async () => {
    const fixture = await ledgerFixture(db(), config);

    expect((await deliver(fixture, "evt_part", stripePayment(fixture, "pi_part", 500_000))).outcome).toBe("applied");
    let invoice = await invoiceRow(db(), fixture.invoice.id);
    expect(invoice.amountPaid).toBe(500_000);
    expect(invoice.paidAt).toBeNull();
    expect(await apiInvoice(fixture)).toMatchObject({ amount_paid: 500_000, amount_due: TOTAL - 500_000 });
    expect((await apiInvoice(fixture)).status).not.toBe("paid");
    expect(await eventsOf(db(), fixture.invoice.id, "invoice.paid")).toHaveLength(0);

    expect((await deliver(fixture, "evt_rest", stripePayment(fixture, "pi_rest", TOTAL - 500_000))).outcome).toBe("applied");
    invoice = await invoiceRow(db(), fixture.invoice.id);
    expect(invoice.amountPaid).toBe(TOTAL);
    expect(invoice.paidAt).toBeInstanceOf(Date);
    expect(await apiInvoice(fixture)).toMatchObject({ status: "paid", amount_paid: TOTAL, amount_due: 0 });

    // A redelivery of the last event changes nothing.
    const before = await ledgerSnapshot(db());
    expect((await deliver(fixture, "evt_rest", stripePayment(fixture, "pi_rest", TOTAL - 500_000))).outcome).toBe("duplicate");
    expect(await ledgerSnapshot(db())).toEqual(before);

    expect(await eventsOf(db(), fixture.invoice.id, "payment.succeeded")).toHaveLength(2);
    expect(await eventsOf(db(), fixture.invoice.id, "invoice.paid")).toHaveLength(1);
    expect(await webhookMessagesOf(db(), fixture.supplier.id, "invoice.paid")).toHaveLength(1);
    // Each receipt says what was left after that payment.
    const sent = await receipts(fixture);
    expect(sent.map((email) => [email.toAddress, email.props.amount, email.props.amountDue])).toEqual(
      expect.arrayContaining([[BILLING_EMAIL, 500_000, TOTAL - 500_000], [BILLING_EMAIL, TOTAL - 500_000, 0]]),
    );
    expect(sent).toHaveLength(2);
    const rows = await paymentsOf(db(), fixture.invoice.id);
    expect(rows.map((row) => [row.providerReference, row.status, row.amount])).toEqual([
      ["pi_part", "succeeded", 500_000],
      ["pi_rest", "succeeded", TOTAL - 500_000],
    ]);
  });
});

describe("over-payment", () => {
  it("is flagged once (event and webhook with the excess); the API shows paid with nothing due", async () => {
    const fixture = await ledgerFixture(db(), config);
    await deliver(fixture, "evt_full", stripePayment(fixture, "pi_full", TOTAL));
    expect(await eventsOf(db(), fixture.invoice.id, "invoice.overpaid")).toHaveLength(0);

    await deliver(fixture, "evt_twice", stripePayment(fixture, "pi_twice", 10_000));
    await deliver(fixture, "evt_thrice", stripePayment(fixture, "pi_thrice", 5_000));

    const overpaid = await eventsOf(db(), fixture.invoice.id, "invoice.overpaid");
    expect(overpaid).toHaveLength(1);
    expect(overpaid[0]!.data).toMatchObject({ amount_paid: TOTAL + 10_000, excess: 10_000 });
    const messages = await webhookMessagesOf(db(), fixture.supplier.id, "invoice.overpaid");
    expect(messages).toHaveLength(1);
    expect(messages[0]!.payload).toMatchObject({ invoice: { id: fixture.invoice.id, amount_paid: TOTAL + 10_000, amount_due: 0, status: "paid" } });
    expect(await apiInvoice(fixture)).toMatchObject({ status: "paid", amount_paid: TOTAL + 15_000, amount_due: 0 });
    expect(await eventsOf(db(), fixture.invoice.id, "invoice.paid")).toHaveLength(1);
  });
});

describe("refunds", () => {
  it("lower the amount paid and clear paid_at; an older, smaller refund figure changes nothing", async () => {
    const fixture = await ledgerFixture(db(), config);
    await deliver(fixture, "evt_paid", stripePayment(fixture, "pi_refund", TOTAL));
    expect((await invoiceRow(db(), fixture.invoice.id)).paidAt).not.toBeNull();

    const refunded = await deliver(fixture, "evt_refund_2", stripePayment(fixture, "pi_refund", TOTAL, { amountRefunded: 200_000 }), "charge.refunded");
    expect(refunded.outcome).toBe("applied");
    const invoice = await invoiceRow(db(), fixture.invoice.id);
    expect(invoice.amountPaid).toBe(TOTAL - 200_000);
    expect(invoice.paidAt).toBeNull();
    expect(await apiInvoice(fixture)).toMatchObject({ amount_paid: TOTAL - 200_000, amount_due: 200_000 });
    expect((await apiInvoice(fixture)).status).not.toBe("paid");

    // Refund figures are cumulative: an earlier event (100 000) arriving late is stale.
    const late = await deliver(fixture, "evt_refund_1", stripePayment(fixture, "pi_refund", TOTAL, { amountRefunded: 100_000 }), "charge.refunded");
    expect(late.outcome).toBe("unchanged");
    expect((await invoiceRow(db(), fixture.invoice.id)).amountPaid).toBe(TOTAL - 200_000);

    const [payment] = await paymentsOf(db(), fixture.invoice.id);
    expect(payment).toMatchObject({ status: "succeeded", amountRefunded: 200_000 });
    expect(await eventsOf(db(), fixture.invoice.id, "payment.refunded")).toHaveLength(1);
    const [message] = await webhookMessagesOf(db(), fixture.supplier.id, "payment.refunded");
    expect(message!.payload).toMatchObject({ payment: { id: payment!.id, amount_refunded: 200_000, amount_settled: TOTAL - 200_000 } });
    // The refund sends no second receipt.
    expect(await receipts(fixture)).toHaveLength(1);
  });
});

describe("chargebacks", () => {
  it("take the money out while open or lost and put it back when won", async () => {
    const fixture = await ledgerFixture(db(), config);
    await deliver(fixture, "evt_cb_paid", stripePayment(fixture, "pi_cb", TOTAL));

    await deliver(fixture, "evt_cb_open", stripePayment(fixture, "pi_cb", TOTAL, { chargeback: "open" }), "charge.dispute.created");
    expect(await invoiceRow(db(), fixture.invoice.id)).toMatchObject({ amountPaid: 0, paidAt: null });

    await deliver(fixture, "evt_cb_lost", stripePayment(fixture, "pi_cb", TOTAL, { chargeback: "lost" }), "charge.dispute.closed");
    expect(await invoiceRow(db(), fixture.invoice.id)).toMatchObject({ amountPaid: 0, paidAt: null });
    expect(await apiInvoice(fixture)).toMatchObject({ amount_paid: 0, amount_due: TOTAL });

    await deliver(fixture, "evt_cb_won", stripePayment(fixture, "pi_cb", TOTAL, { chargeback: "won" }), "charge.dispute.closed");
    const invoice = await invoiceRow(db(), fixture.invoice.id);
    expect(invoice.amountPaid).toBe(TOTAL);
    expect(invoice.paidAt).toBeInstanceOf(Date);

    const chargebacks = await eventsOf(db(), fixture.invoice.id, "payment.chargeback");
    expect(chargebacks.map((event) => event.data.chargeback)).toEqual(["open", "lost", "won"]);
    const messages = await webhookMessagesOf(db(), fixture.supplier.id, "payment.chargeback");
    expect(messages.map((message) => (message.payload as { payment: { chargeback: string } }).payment.chargeback)).toEqual(["open", "lost", "won"]);
    // A late "opened" after the win does not reopen it.
    expect((await deliver(fixture, "evt_cb_open_late", stripePayment(fixture, "pi_cb", TOTAL, { chargeback: "open" }))).outcome).toBe("unchanged");
    expect((await invoiceRow(db(), fixture.invoice.id)).amountPaid).toBe(TOTAL);
  });
});

describe("currencies", () => {
  it.each(["SEK", "EUR"] as const)("settles a %s invoice with a payment in its currency", async (currency) => {
    const fixture = await ledgerFixture(db(), config, { currency });
    const result = await deliver(fixture, `evt_${currency}`, stripePayment(fixture, `pi_${currency}`, TOTAL, { currency: currency.toLowerCase() }));
    expect(result.outcome).toBe("applied");
    const [payment] = await paymentsOf(db(), fixture.invoice.id);
    expect(payment).toMatchObject({ currency, amount: TOTAL, status: "succeeded" });
    expect(await apiInvoice(fixture)).toMatchObject({ currency, status: "paid", amount_paid: TOTAL, amount_due: 0 });
    const [receipt] = await receipts(fixture);
    expect(receipt!.props).toMatchObject({ currency, amount: TOTAL, amountDue: 0 });
  });

  it("refuses a payment in another currency than the invoice's: mismatch, no row, nothing changed", async () => {
    const fixture = await ledgerFixture(db(), config, { currency: "EUR" });
    const before = await ledgerSnapshot(db());
    const result = await applyUpdate(db(), stripePayment(fixture, "pi_wrong_currency", TOTAL, { currency: "SEK" }));
    expect(result.outcome).toBe("mismatch");
    expect(await paymentsOf(db(), fixture.invoice.id)).toHaveLength(0);
    expect(await ledgerSnapshot(db())).toEqual(before);

    // Through a webhook, the event is still claimed (so it is not retried) and says why.
    await deliver(fixture, "evt_wrong_currency", stripePayment(fixture, "pi_wrong_currency", TOTAL, { currency: "SEK" }));
    const [claimed] = await db().select().from(providerEvents).where(eq(providerEvents.eventId, eventIdOf(fixture, "evt_wrong_currency")));
    expect(claimed).toMatchObject({ outcome: "mismatch", paymentId: null });
    expect(await paymentsOf(db(), fixture.invoice.id)).toHaveLength(0);
    expect((await invoiceRow(db(), fixture.invoice.id)).amountPaid).toBe(0);
  });
});

describe("tenancy", () => {
  it("never records a payment on another supplier's invoice (not_ours)", async () => {
    const mine = await ledgerFixture(db(), config);
    const theirs = await ledgerFixture(db(), config);
    const before = await ledgerSnapshot(db());

    const direct = await applyUpdate(db(), { ...stripePayment(mine, "pi_cross", TOTAL), invoiceId: theirs.invoice.id });
    expect(direct.outcome).toBe("not_ours");
    expect(await ledgerSnapshot(db())).toEqual(before);

    // Through my account's webhook, naming their invoice: claimed as not ours, no payment anywhere.
    const delivered = await deliver(mine, "evt_cross", { ...stripePayment(mine, "pi_cross", TOTAL), invoiceId: theirs.invoice.id });
    expect(delivered.outcome).toBe("not_ours");
    expect(await paymentsOf(db(), theirs.invoice.id)).toHaveLength(0);
    expect((await invoiceRow(db(), theirs.invoice.id)).amountPaid).toBe(0);

    // Their payment, named by id from my account, is not found either.
    await deliver(theirs, "evt_theirs", stripePayment(theirs, "pi_theirs", 1_000));
    const [theirPayment] = await paymentsOf(db(), theirs.invoice.id);
    const byId = await applyUpdate(db(), {
      supplierId: mine.supplier.id, provider: "stripe", paymentId: theirPayment!.id, currency: "SEK", amount: 1_000,
      amountRefunded: 1_000, occurredAt: new Date(),
    });
    expect(byId.outcome).toBe("not_ours");
    expect((await paymentsOf(db(), theirs.invoice.id))[0]!.amountRefunded).toBe(0);
  });
});

describe("receipts", () => {
  it("go once to each billing contact with an address, however often the payment is reported", async () => {
    const fixture = await ledgerFixture(db(), config);
    await insertBillingContact(db(), { supplierId: fixture.supplier.id, customerId: fixture.customerId, email: "cfo@fjallbacka.example", language: "en" });

    await deliver(fixture, "evt_receipt_1", stripePayment(fixture, "pi_receipt", 400_000));
    // The same payment again under other event ids (Stripe sends several per payment).
    await deliver(fixture, "evt_receipt_2", stripePayment(fixture, "pi_receipt", 400_000));
    await applyUpdate(db(), stripePayment(fixture, "pi_receipt", 400_000));

    const sent = await receipts(fixture);
    expect(sent.map((email) => [email.toAddress, email.locale]).sort()).toEqual([
      ["cfo@fjallbacka.example", "en"],
      [BILLING_EMAIL, "sv"],
    ]);
    expect(sent.every((email) => email.props.amount === 400_000 && email.props.amountDue === TOTAL - 400_000)).toBe(true);
    // No working link in a stored email.
    expect(JSON.stringify(sent.map((email) => email.props))).not.toContain("/i/");
  });
});

describe("supplier webhook messages", () => {
  it("one per change, of each type, with the payment and the invoice", async () => {
    const fixture = await ledgerFixture(db(), config);
    const base = { supplierId: fixture.supplier.id, invoiceId: fixture.invoice.id, accountId: fixture.accountId, provider: "stripe" as const, method: "card" as const, currency: "SEK" };
    const [declined, abandoned] = await db().transaction(async (tx) => [
      await createPendingPayment(tx, { ...base, amount: TOTAL }),
      await createPendingPayment(tx, { ...base, amount: TOTAL }),
    ]);
    await deliver(fixture, "evt_failed", { ...stripePayment(fixture, "pi_failed", TOTAL), paymentId: declined!.id, status: "failed", failureReason: "card_declined" });
    await deliver(fixture, "evt_expired", { ...stripePayment(fixture, "pi_expired", TOTAL), paymentId: abandoned!.id, status: "cancelled" });
    await deliver(fixture, "evt_paid", stripePayment(fixture, "pi_paid", TOTAL));
    await deliver(fixture, "evt_extra", stripePayment(fixture, "pi_extra", 1_000));
    await deliver(fixture, "evt_refunded", stripePayment(fixture, "pi_extra", 1_000, { amountRefunded: 1_000 }));
    await deliver(fixture, "evt_dispute", stripePayment(fixture, "pi_paid", TOTAL, { chargeback: "open" }));

    const messages = await webhookMessagesOf(db(), fixture.supplier.id);
    const counts = messages.reduce<Record<string, number>>((all, message) => ({ ...all, [message.type]: (all[message.type] ?? 0) + 1 }), {});
    expect(counts).toEqual({
      "payment.failed": 1,
      "payment.cancelled": 1,
      "payment.succeeded": 2,
      "invoice.paid": 1,
      "invoice.overpaid": 1,
      "payment.refunded": 1,
      "payment.chargeback": 1,
    });
    for (const message of messages) {
      expect(message.payload).toMatchObject({ payment: { id: expect.stringMatching(/^pay_/) }, invoice: { id: fixture.invoice.id } });
    }
    const failed = messages.find((message) => message.type === "payment.failed")!;
    expect(failed.payload).toMatchObject({ payment: { id: declined!.id, status: "failed", failure_reason: "card_declined" } });
    // The audit log has the same facts (messages of one transaction share a timestamp: compare sorted).
    const audited = (await typesOf(fixture)).filter((type) => type in counts);
    expect(audited.sort()).toEqual(messages.map((message) => message.type).sort());
  });
});
