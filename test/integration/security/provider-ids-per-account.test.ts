// Security P9, D4: provider event ids and payment references were unique across all suppliers, so
// supplier B, sending correctly signed events through its own payment account, could claim A's
// ids first: A's Adyen payment stayed pending, A's Stripe webhook got a 500 on every retry. The
// providers define their ids per account; two accounts that see the same ids both get booked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { payerFixture } from "../portal/payer-helpers";
import { payCard, paymentsOf, sessionOf, startStripeWorld, stripeSupplier, type StripeWorld } from "../payments/stripe-helpers";
import { addAdyenAccount, deliver, invoiceBalance, paymentRow, pendingPayment } from "../payments/adyen-helpers";
import { newPspReference } from "../../../server/fakes/adyen";

const database = useTestDatabase();
const db = () => database.get().db;

describe("Stripe: two accounts see the same event id and payment intent", () => {
  let world: StripeWorld;
  beforeAll(async () => {
    world = await startStripeWorld(database.get());
  });
  afterAll(() => world.close());

  it("books both suppliers' payments; the second account's deliveries get 200, not a duplicate or a 500", async () => {
    const a = await stripeSupplier(world, db());
    const b = await stripeSupplier(world, db());
    const sessionA = sessionOf(world, await payCard(world, a.token));
    const sessionB = sessionOf(world, await payCard(world, b.token));
    const succeededA = world.fake.buildEvent(sessionA.id, { type: "payment_intent.succeeded" });
    const completedA = world.fake.buildEvent(sessionA.id, { type: "checkout.session.completed" });
    const intentA = (succeededA.data.object as Stripe.PaymentIntent).id;

    // B's own payment, under A's event id and A's payment intent id, signed by B's account.
    const succeededB = world.fake.buildEvent(sessionB.id, { type: "payment_intent.succeeded" });
    const claimed: Stripe.Event = structuredClone(succeededB);
    claimed.id = succeededA.id;
    (claimed.data.object as Stripe.PaymentIntent).id = intentA;
    expect(await world.fake.sendEvent(b.secretKey, claimed)).toBe(200);

    expect([await world.fake.sendEvent(a.secretKey, succeededA), await world.fake.sendEvent(a.secretKey, completedA)]).toEqual([200, 200]);
    expect(await paymentsOf(db(), a.invoice.id)).toMatchObject([{ status: "succeeded", providerReference: intentA, accountId: a.accountId }]);
    expect(await paymentsOf(db(), b.invoice.id)).toMatchObject([{ status: "succeeded", providerReference: intentA, accountId: b.accountId }]);
    // Each account still applies its own events once.
    expect(await world.fake.sendEvent(a.secretKey, succeededA)).toBe(200);
    expect(await paymentsOf(db(), a.invoice.id)).toHaveLength(1);
  });
});

describe("Adyen: two accounts see the same pspReference", () => {
  const config = testConfig();
  const context = () => testContext(database.get(), config);

  it("books both suppliers' payments, whichever account's notification comes first", async () => {
    const [a, b] = await Promise.all([payerFixture(db(), config), payerFixture(db(), config)]);
    const adyenA = await addAdyenAccount(db(), config, a.supplier.id);
    const adyenB = await addAdyenAccount(db(), config, b.supplier.id);
    const paymentA = await pendingPayment(db(), a, adyenA);
    const paymentB = await pendingPayment(db(), b, adyenB);
    const pspReference = newPspReference();
    const authorisation = (payment: typeof paymentA) => ({
      eventCode: "AUTHORISATION",
      pspReference,
      merchantReference: payment.id,
      amount: { value: payment.amount, currency: payment.currency },
      paymentMethod: "visa",
    });

    const answers = [await deliver(context(), adyenB, authorisation(paymentB)), await deliver(context(), adyenA, authorisation(paymentA))];
    expect(await Promise.all(answers.map((answer) => answer.text()))).toEqual(["[accepted]", "[accepted]"]);
    expect(await paymentRow(db(), paymentA.id)).toMatchObject({ status: "succeeded", providerReference: pspReference });
    expect(await paymentRow(db(), paymentB.id)).toMatchObject({ status: "succeeded", providerReference: pspReference });
    expect((await invoiceBalance(db(), a.invoice.id)).amountPaid).toBe(a.invoice.total);
    expect((await invoiceBalance(db(), b.invoice.id)).amountPaid).toBe(b.invoice.total);
  });
});
