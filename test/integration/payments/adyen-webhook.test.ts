// Adyen's standard webhook at /webhooks/adyen/<account id>, on real PostgreSQL, with items signed
// by the SDK's own HMAC helper: proof of origin (P1), duplicates (P2), disorder (P3), refunds,
// partial payments, chargebacks and currencies as the supplier and payer would see them.
import { describe, it, expect, beforeAll } from "vitest";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { payerFixture } from "../portal/payer-helpers";
import {
  addAdyenAccount, adyenAuth, adyenItem, deliver, invoiceBalance, ledgerCounts, paymentRow, pendingPayment, postToRoute,
  providerEventCount, setInvoiceCurrency, type AdyenTestAccount,
} from "./adyen-helpers";
import { basicAuthHeader, newPspReference, notificationBody, type NotificationFields } from "../../../server/fakes/adyen";
import { newPublicId } from "~/domain/public-id";
import { loader } from "~/routes/webhooks.adyen.$accountId";
import { callRoute } from "../../support/context";
import type { PaymentRow } from "~/features/payments/db/payments.server";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const context = () => testContext(database.get(), config);

async function setup(options: { currency?: string } = {}) {
  const fixture = await payerFixture(db(), config);
  if (options.currency) await setInvoiceCurrency(db(), fixture.invoice.id, options.currency);
  const adyen = await addAdyenAccount(db(), config, fixture.supplier.id);
  return { fixture, adyen };
}

function authorisation(payment: PaymentRow, fields: Partial<NotificationFields> = {}): NotificationFields {
  return {
    eventCode: "AUTHORISATION",
    merchantReference: payment.id,
    amount: { value: payment.amount, currency: payment.currency },
    paymentMethod: "visa",
    ...fields,
  };
}

function modification(payment: PaymentRow, eventCode: string, originalReference: string, value: number, fields: Partial<NotificationFields> = {}): NotificationFields {
  return { eventCode, originalReference, merchantReference: payment.id, amount: { value, currency: payment.currency }, ...fields };
}

describe("P1: only the supplier's Adyen account can change the ledger", () => {
  let adyen: AdyenTestAccount;
  let payment: PaymentRow;
  let invoiceId: string;

  beforeAll(async () => {
    const made = await setup();
    adyen = made.adyen;
    invoiceId = made.fixture.invoice.id;
    payment = await pendingPayment(db(), made.fixture, adyen);
  });

  async function expectNoChange() {
    expect((await paymentRow(db(), payment.id)).status).toBe("pending");
    expect((await invoiceBalance(db(), invoiceId)).amountPaid).toBe(0);
    expect(await providerEventCount(db(), adyen.id)).toBe(0);
  }

  it("refuses a wrong or missing basic auth with 401, before reading the body", async () => {
    const body = notificationBody([adyenItem(adyen, authorisation(payment))]);
    for (const authorization of [
      basicAuthHeader(adyen.credentials.notificationUsername, "wrong"),
      basicAuthHeader("someone", adyen.credentials.notificationPassword),
      "",
    ]) {
      const response = await postToRoute(context(), adyen.id, body, authorization ? { authorization } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic/);
    }
    await expectNoChange();
  });

  it("refuses an item signed with another key, or with no signature, with 400", async () => {
    const forged = { ...adyen, credentials: { ...adyen.credentials, hmacKey: "00".repeat(32) } };
    const unsigned = adyenItem(adyen, authorisation(payment));
    unsigned.additionalData = {};
    for (const item of [adyenItem(forged, authorisation(payment)), unsigned]) {
      const response = await postToRoute(context(), adyen.id, notificationBody([item]), { authorization: adyenAuth(adyen) });
      expect(response.status).toBe(400);
    }
    await expectNoChange();
  });

  it.each([
    ["a raised amount", { amount: { value: 1, currency: "SEK" } }],
    ["another currency", { amount: { value: 1_229_700, currency: "EUR" } }],
    ["a declined payment turned successful", { success: "true" as const }],
    ["another payment's reference", { merchantReference: newPublicId("pay") }],
    ["another event code", { eventCode: "CHARGEBACK_REVERSED" }],
  ])("refuses a signed item whose fields were changed afterwards: %s", async (_name, change) => {
    const item = { ...adyenItem(adyen, authorisation(payment, { success: false, reason: "Refused" })), ...change };
    const response = await postToRoute(context(), adyen.id, notificationBody([item]), { authorization: adyenAuth(adyen) });
    expect(response.status).toBe(400);
    await expectNoChange();
  });

  it("refuses the whole delivery when one of its items is forged", async () => {
    const good = adyenItem(adyen, authorisation(payment));
    const bad = { ...adyenItem(adyen, authorisation(payment, { pspReference: newPspReference() })), amount: { value: 5, currency: "SEK" } };
    const response = await postToRoute(context(), adyen.id, notificationBody([good, bad]), { authorization: adyenAuth(adyen) });
    expect(response.status).toBe(400);
    await expectNoChange();
  });

  it("answers 400 to a body that is not a notification, 404 to an unknown account, 405 to GET", async () => {
    expect((await postToRoute(context(), adyen.id, "{not json", { authorization: adyenAuth(adyen) })).status).toBe(400);
    expect((await postToRoute(context(), adyen.id, JSON.stringify({ live: "false" }), { authorization: adyenAuth(adyen) })).status).toBe(400);
    const body = notificationBody([adyenItem(adyen, authorisation(payment))]);
    expect((await postToRoute(context(), newPublicId("pac"), body, { authorization: adyenAuth(adyen) })).status).toBe(404);
    expect((await postToRoute(context(), "../../etc", body, { authorization: adyenAuth(adyen) })).status).toBe(404);
    const get = await callRoute(loader, context(), { path: `/webhooks/adyen/${adyen.id}`, params: { accountId: adyen.id } });
    expect(get.status).toBe(405);
    await expectNoChange();
  });

  it("accepts a valid notification with 200 and the literal body [accepted], also re-serialised", async () => {
    const item = adyenItem(adyen, authorisation(payment));
    // Adyen signs field values, not bytes: other whitespace and key order still verify.
    const reordered = JSON.stringify({ notificationItems: [{ NotificationRequestItem: Object.fromEntries(Object.entries(item).reverse()) }], live: "false" }, null, 2);
    const response = await postToRoute(context(), adyen.id, reordered, { authorization: adyenAuth(adyen) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("[accepted]");
    expect((await paymentRow(db(), payment.id)).status).toBe("succeeded");
    expect(await invoiceBalance(db(), invoiceId)).toMatchObject({ amountPaid: 1_229_700, total: 1_229_700 });
  });

  it("cannot reach another supplier's payment, even naming its id", async () => {
    const other = await setup();
    const theirs = await pendingPayment(db(), other.fixture, other.adyen);
    const response = await deliver(context(), adyen, authorisation(theirs));
    expect(response.status).toBe(200);
    expect((await paymentRow(db(), theirs.id)).status).toBe("pending");
    expect((await invoiceBalance(db(), other.fixture.invoice.id)).amountPaid).toBe(0);
  });
});

describe("P2: duplicate deliveries change the ledger once", () => {
  it.each([2, 10, 50])("%i sequential deliveries of one AUTHORISATION → 1 payment, 1 receipt", async (times) => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const fields = authorisation(payment, { pspReference: newPspReference() });
    for (let index = 0; index < times; index += 1) {
      const response = await deliver(context(), adyen, fields);
      expect(await response.text()).toBe("[accepted]");
    }
    expect(await ledgerCounts(db(), fixture.invoice.id)).toEqual({ payments: 1, receipts: 1, succeededEvents: 1, refundedEvents: 0, paidEvents: 1 });
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(1_229_700);
    expect(await providerEventCount(db(), adyen.id)).toBe(1);
  });

  it("50 concurrent deliveries of one AUTHORISATION → 1 payment, 1 receipt, all answered [accepted]", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const body = notificationBody([adyenItem(adyen, authorisation(payment))]);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => postToRoute(context(), adyen.id, body, { authorization: adyenAuth(adyen) })),
    );
    expect(await Promise.all(responses.map((response) => response.text()))).toEqual(Array(50).fill("[accepted]"));
    expect(await ledgerCounts(db(), fixture.invoice.id)).toEqual({ payments: 1, receipts: 1, succeededEvents: 1, refundedEvents: 0, paidEvents: 1 });
  });

  it("a refund delivered 10 times, 5 of them at once, is counted once", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const psp = newPspReference();
    await deliver(context(), adyen, authorisation(payment, { pspReference: psp }));
    const refund = modification(payment, "REFUND", psp, 200_000, { pspReference: newPspReference() });
    const body = notificationBody([adyenItem(adyen, refund)]);
    await Promise.all(Array.from({ length: 5 }, () => postToRoute(context(), adyen.id, body, { authorization: adyenAuth(adyen) })));
    for (let index = 0; index < 5; index += 1) await postToRoute(context(), adyen.id, body, { authorization: adyenAuth(adyen) });
    expect((await paymentRow(db(), payment.id)).amountRefunded).toBe(200_000);
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(1_029_700);
    expect((await ledgerCounts(db(), fixture.invoice.id)).refundedEvents).toBe(1);
  });
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

describe("P3: events in any order end in the provider's final state", () => {
  const orders = permutations([0, 1, 2, 3]);

  it("AUTHORISATION, two partial REFUNDs and a CHARGEBACK: all 24 orders → succeeded, 1 500.00 refunded, chargeback lost", async () => {
    const finals = [];
    for (const order of orders) {
      const { fixture, adyen } = await setup();
      const payment = await pendingPayment(db(), fixture, adyen);
      const psp = newPspReference();
      const sequence = [
        authorisation(payment, { pspReference: psp }),
        modification(payment, "REFUND", psp, 100_000, { pspReference: newPspReference() }),
        modification(payment, "REFUND", psp, 50_000, { pspReference: newPspReference() }),
        modification(payment, "CHARGEBACK", psp, payment.amount, { pspReference: newPspReference() }),
      ];
      for (const index of order) expect((await deliver(context(), adyen, sequence[index]!)).status).toBe(200);
      const row = await paymentRow(db(), payment.id);
      const counts = await ledgerCounts(db(), fixture.invoice.id);
      finals.push({
        status: row.status,
        amountRefunded: row.amountRefunded,
        chargeback: row.chargeback,
        reference: row.providerReference === psp,
        amountPaid: (await invoiceBalance(db(), fixture.invoice.id)).amountPaid,
        payments: counts.payments,
        receipts: counts.receipts,
      });
    }
    const expected = { status: "succeeded", amountRefunded: 150_000, chargeback: "lost", reference: true, amountPaid: 0, payments: 1, receipts: 1 };
    expect(finals).toEqual(Array(24).fill(expected));
  });

  it("a declined attempt, the successful retry and two refunds: all 24 orders → paid less the refunds", async () => {
    const finals = [];
    for (const order of orders) {
      const { fixture, adyen } = await setup();
      const payment = await pendingPayment(db(), fixture, adyen);
      const psp = newPspReference();
      const sequence = [
        authorisation(payment, { success: false, reason: "Refused", pspReference: newPspReference() }),
        authorisation(payment, { pspReference: psp }),
        modification(payment, "REFUND", psp, 200_000, { pspReference: newPspReference() }),
        modification(payment, "REFUND", psp, 29_700, { pspReference: newPspReference() }),
      ];
      for (const index of order) await deliver(context(), adyen, sequence[index]!);
      const row = await paymentRow(db(), payment.id);
      finals.push({
        status: row.status,
        amountRefunded: row.amountRefunded,
        reference: row.providerReference === psp,
        balance: await invoiceBalance(db(), fixture.invoice.id),
        receipts: (await ledgerCounts(db(), fixture.invoice.id)).receipts,
      });
    }
    const expected = { status: "succeeded", amountRefunded: 229_700, reference: true, balance: { amountPaid: 1_000_000, total: 1_229_700, paidAt: null }, receipts: 1 };
    expect(finals).toEqual(Array(24).fill(expected));
  });
});

describe("what payer and supplier see", () => {
  it("a partial payment, then the rest: partly paid, then paid once", async () => {
    const { fixture, adyen } = await setup();
    const first = await pendingPayment(db(), fixture, adyen, { amount: 500_000 });
    await deliver(context(), adyen, authorisation(first));
    expect(await invoiceBalance(db(), fixture.invoice.id)).toMatchObject({ amountPaid: 500_000, paidAt: null });
    expect((await ledgerCounts(db(), fixture.invoice.id)).paidEvents).toBe(0);

    const rest = await pendingPayment(db(), fixture, adyen, { amount: 729_700 });
    await deliver(context(), adyen, authorisation(rest));
    const balance = await invoiceBalance(db(), fixture.invoice.id);
    expect(balance.amountPaid).toBe(1_229_700);
    expect(balance.paidAt).toBeInstanceOf(Date);
    expect(await ledgerCounts(db(), fixture.invoice.id)).toMatchObject({ payments: 2, receipts: 2, succeededEvents: 2, paidEvents: 1 });
  });

  it("a refund after payment reopens the balance; a full refund leaves nothing paid", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const psp = newPspReference();
    await deliver(context(), adyen, authorisation(payment, { pspReference: psp }));
    await deliver(context(), adyen, modification(payment, "REFUND", psp, 229_700, { pspReference: newPspReference() }));
    expect(await invoiceBalance(db(), fixture.invoice.id)).toMatchObject({ amountPaid: 1_000_000, paidAt: null });
    await deliver(context(), adyen, modification(payment, "REFUND", psp, 1_000_000, { pspReference: newPspReference() }));
    // A refund Adyen reports beyond what was paid is capped at the payment.
    await deliver(context(), adyen, modification(payment, "REFUND", psp, 1, { pspReference: newPspReference() }));
    expect((await paymentRow(db(), payment.id)).amountRefunded).toBe(1_229_700);
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(0);
    expect((await ledgerCounts(db(), fixture.invoice.id)).refundedEvents).toBe(2);
  });

  it("a failed refund (success false) changes nothing", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const psp = newPspReference();
    await deliver(context(), adyen, authorisation(payment, { pspReference: psp }));
    await deliver(context(), adyen, modification(payment, "REFUND", psp, 229_700, { success: false }));
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(1_229_700);
  });

  it("a declined card shows as failed with its reason; an expired checkout as cancelled", async () => {
    const { fixture, adyen } = await setup();
    const declined = await pendingPayment(db(), fixture, adyen);
    await deliver(context(), adyen, authorisation(declined, { success: false, reason: "Not enough balance" }));
    expect(await paymentRow(db(), declined.id)).toMatchObject({ status: "failed", failureReason: "Not enough balance", providerReference: null });
    const closed = await pendingPayment(db(), fixture, adyen, { method: "swish" });
    await deliver(context(), adyen, { ...authorisation(closed), eventCode: "OFFER_CLOSED", paymentMethod: "swish" });
    expect((await paymentRow(db(), closed.id)).status).toBe("cancelled");
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(0);
  });

  it("a dispute: the notice holds the money back, the chargeback takes it, a successful defence returns it", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const psp = newPspReference();
    const dispute = newPspReference();
    await deliver(context(), adyen, authorisation(payment, { pspReference: psp }));
    await deliver(context(), adyen, modification(payment, "NOTIFICATION_OF_CHARGEBACK", psp, payment.amount, { pspReference: dispute }));
    expect((await paymentRow(db(), payment.id)).chargeback).toBe("open");
    await deliver(context(), adyen, modification(payment, "CHARGEBACK", psp, payment.amount, { pspReference: dispute }));
    expect((await paymentRow(db(), payment.id)).chargeback).toBe("lost");
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(0);
    await deliver(context(), adyen, modification(payment, "CHARGEBACK_REVERSED", psp, payment.amount, { pspReference: dispute }));
    expect((await paymentRow(db(), payment.id)).chargeback).toBe("won");
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(1_229_700);
  });

  it("a Swish payment through Adyen is recorded as Swish", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen, { method: "swish" });
    await deliver(context(), adyen, authorisation(payment, { paymentMethod: "swish" }));
    expect(await paymentRow(db(), payment.id)).toMatchObject({ status: "succeeded", method: "swish" });
  });

  it("an EUR invoice is paid in EUR minor units", async () => {
    const { fixture, adyen } = await setup({ currency: "EUR" });
    const payment = await pendingPayment(db(), fixture, adyen, { currency: "EUR", amount: 1_229_700 });
    await deliver(context(), adyen, authorisation(payment));
    expect(await paymentRow(db(), payment.id)).toMatchObject({ status: "succeeded", currency: "EUR", amount: 1_229_700 });
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(1_229_700);
  });

  it("a notification in another currency than the invoice's changes nothing", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const response = await deliver(context(), adyen, { ...authorisation(payment), amount: { value: 1_229_700, currency: "EUR" } });
    expect(response.status).toBe(200);
    expect((await paymentRow(db(), payment.id)).status).toBe("pending");
    expect((await invoiceBalance(db(), fixture.invoice.id)).amountPaid).toBe(0);
  });

  it("items of the company's other merchant accounts are accepted and ignored", async () => {
    const { fixture, adyen } = await setup();
    const payment = await pendingPayment(db(), fixture, adyen);
    const response = await deliver(context(), adyen, authorisation(payment, { merchantAccountCode: "NordljusPOS" }));
    expect(await response.text()).toBe("[accepted]");
    expect((await paymentRow(db(), payment.id)).status).toBe("pending");
  });
});
