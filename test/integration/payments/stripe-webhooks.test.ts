// Stripe's webhooks at /webhooks/stripe/<account>: verified on the raw body (P1), applied once
// however often delivered (P2), in any order ending in Stripe's final state (P3). Events are
// signed with the SDK's own helper and delivered over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { providerEvents } from "../../../db/schema";
import type { Db } from "../../../db/client";
import { action, loader } from "~/routes/webhooks.stripe.$accountId";
import { newPublicId } from "~/domain/public-id";
import { useTestDatabase } from "../../support/database";
import { callRoute } from "../../support/context";
import { STANDARD_INVOICE } from "../../support/fixtures";
import type { FakeEventSpec } from "../../../server/fakes/stripe";
import {
  countEvents, invoiceRow, payCard, paymentsOf, receipts, sessionOf, startStripeWorld, stripeSupplier, type StripeSupplier, type StripeWorld,
} from "./stripe-helpers";

const database = useTestDatabase();
const TOTAL = STANDARD_INVOICE.total;
let world: StripeWorld;

beforeAll(async () => {
  world = await startStripeWorld(database.get());
});
afterAll(() => world.close());

/** A checkout the payer has started, and the means to send events about it. */
async function checkout(fixture: StripeSupplier, token = fixture.token) {
  const session = sessionOf(world, await payCard(world, token));
  return {
    session,
    event: (spec: FakeEventSpec) => world.fake.buildEvent(session.id, spec),
    send: (event: Stripe.Event) => world.fake.sendEvent(fixture.secretKey, event),
  };
}

/** POSTs a body with the given signature header to the account's webhook URL. */
async function deliver(fixture: StripeSupplier, body: string, signature: string) {
  const response = await fetch(`${world.webhookBase}/webhooks/stripe/${fixture.accountId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body,
  });
  return { status: response.status, text: await response.text() };
}

async function ledgerCounts(db: Db) {
  const [row] = await db.execute<Record<string, string>>(sql`select
    (select count(*) from payments where status <> 'pending')::text as settled,
    (select count(*) from events)::text as events,
    (select count(*) from emails)::text as emails,
    (select count(*) from provider_events)::text as provider_events,
    (select coalesce(sum(amount_paid), 0) from invoices)::text as paid`);
  return row;
}

describe("P1: signatures on the raw body", () => {
  it("valid → 200; re-serialised, stale, future, wrong secret, missing → 400 and nothing changes", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const { event } = await checkout(fixture);
    const succeeded = event({ type: "payment_intent.succeeded" });
    const payload = JSON.stringify(succeeded, null, 2);
    const now = Math.floor(Date.now() / 1000);
    const sign = (options: { timestamp?: number; secret?: string } = {}) =>
      Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? fixture.webhookSecret, timestamp: options.timestamp });

    const before = await ledgerCounts(db);
    const refused = [
      await deliver(fixture, JSON.stringify(JSON.parse(payload)), sign()), // same JSON, other bytes
      await deliver(fixture, payload.replace(`"amount": ${TOTAL}`, `"amount": ${TOTAL - 1}`), sign()),
      await deliver(fixture, payload, sign({ timestamp: now - 301 })),
      // From the clock at signing (not the test's start, which a loaded machine leaves seconds behind).
      await deliver(fixture, payload, sign({ timestamp: Math.floor(Date.now() / 1000) + 310 })),
      await deliver(fixture, payload, sign({ secret: "whsec_somebody_else" })),
      await deliver(fixture, payload, ""),
      await deliver(fixture, payload, "t=abc,v1=nothex"),
    ];
    expect(refused.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    expect(refused[2]!.text).toContain("stale");
    expect(refused[3]!.text).toContain("future");
    expect(await ledgerCounts(db)).toEqual(before);
    expect(await paymentsOf(db, fixture.invoice.id)).toMatchObject([{ status: "pending" }]);

    // Within the window either way (clocks drift): accepted.
    expect((await deliver(fixture, payload, sign({ timestamp: now + 200 }))).status).toBe(200);
    expect(await paymentsOf(db, fixture.invoice.id)).toMatchObject([{ status: "succeeded" }]);
  });

  it("unknown account → 404; GET → 405", async () => {
    const unknown = await callRoute(action, world.context, {
      method: "POST", path: "/webhooks/stripe/pac_x", params: { accountId: newPublicId("pac") }, body: "{}",
      headers: { "stripe-signature": "t=1,v1=00" },
    });
    expect(unknown.status).toBe(404);
    const get = await callRoute(loader, world.context, { path: "/webhooks/stripe/pac_x", params: { accountId: "pac_x" } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});

describe("P2: duplicate deliveries change the ledger once", () => {
  async function expectOnce(db: Db, fixture: StripeSupplier, eventIds: string[]) {
    expect(await paymentsOf(db, fixture.invoice.id)).toMatchObject([{ status: "succeeded", amount: TOTAL }]);
    expect(await countEvents(db, fixture.invoice.id, "payment.succeeded")).toBe(1);
    expect(await countEvents(db, fixture.invoice.id, "invoice.paid")).toBe(1);
    expect(await receipts(db, fixture.invoice.id)).toHaveLength(1); // one billing contact
    expect((await invoiceRow(db, fixture.invoice.id)).amountPaid).toBe(TOTAL);
    for (const eventId of eventIds) {
      expect(await db.select().from(providerEvents).where(eq(providerEvents.eventId, eventId))).toHaveLength(1);
    }
  }

  for (const times of [2, 10, 50]) {
    it(`the same event ${times} times in a row → one payment, one state change, one receipt`, async () => {
      const db = database.get().db;
      const fixture = await stripeSupplier(world, db);
      const { event, send } = await checkout(fixture);
      const succeeded = event({ type: "payment_intent.succeeded" });
      const statuses: number[] = [];
      for (let index = 0; index < times; index += 1) statuses.push(await send(succeeded));
      expect(statuses.every((status) => status === 200)).toBe(true);
      await expectOnce(db, fixture, [succeeded.id]);
    });
  }

  it("50 concurrent deliveries of one event → one payment, one state change, one receipt", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const { event, send } = await checkout(fixture);
    const succeeded = event({ type: "payment_intent.succeeded" });
    const statuses = await Promise.all(Array.from({ length: 50 }, () => send(succeeded)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(50);
    await expectOnce(db, fixture, [succeeded.id]);
  });

  it("two different events of one payment, 25 copies each at once → still one state change", async () => {
    const db = database.get().db;
    const fixture = await stripeSupplier(world, db);
    const { event, send } = await checkout(fixture);
    const intent = event({ type: "payment_intent.succeeded" });
    const completed = event({ type: "checkout.session.completed" });
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, index) => send(index % 2 ? intent : completed)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(50);
    await expectOnce(db, fixture, [intent.id, completed.id]);
  });
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

describe("P3: events in any order end in Stripe's final state", () => {
  const sequences: { name: string; first?: FakeEventSpec; events: FakeEventSpec[]; final: { refunded: number; chargeback: string | null; paid: number } }[] = [
    {
      name: "completed, succeeded, refund 1 000, refunds 3 000 in all",
      events: [
        { type: "checkout.session.completed" },
        { type: "payment_intent.succeeded" },
        { type: "charge.refunded", amountRefunded: 100_000 },
        { type: "charge.refunded", amountRefunded: 300_000 },
      ],
      final: { refunded: 300_000, chargeback: null, paid: TOTAL - 300_000 },
    },
    {
      // A dispute names only the PaymentIntent, which the ledger learns from the session event.
      name: "after the session completed: succeeded, refund, dispute opened, dispute won",
      first: { type: "checkout.session.completed" },
      events: [
        { type: "payment_intent.succeeded" },
        { type: "charge.refunded", amountRefunded: 100_000 },
        { type: "charge.dispute.created" },
        { type: "charge.dispute.closed", status: "won" },
      ],
      final: { refunded: 100_000, chargeback: "won", paid: TOTAL - 100_000 },
    },
  ];

  for (const sequence of sequences) {
    it(`all 24 orders of: ${sequence.name}`, async () => {
      const db = database.get().db;
      const fixture = await stripeSupplier(world, db);
      const orders = permutations(sequence.events.map((spec, index) => ({ spec, index })));
      expect(orders).toHaveLength(24);
      const wrong: string[] = [];
      for (const order of orders) {
        const invoice = await fixture.another();
        const { event, send } = await checkout(fixture, invoice.token);
        if (sequence.first) expect(await send(event(sequence.first))).toBe(200);
        for (const { spec } of order) expect(await send(event(spec))).toBe(200);
        const [payment] = await paymentsOf(db, invoice.invoice.id);
        const { amountPaid } = await invoiceRow(db, invoice.invoice.id);
        const got = { status: payment?.status, refunded: payment?.amountRefunded, chargeback: payment?.chargeback, paid: amountPaid };
        const want = { status: "succeeded", refunded: sequence.final.refunded, chargeback: sequence.final.chargeback, paid: sequence.final.paid };
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${order.map((item) => item.index).join("")}: ${JSON.stringify(got)}`);
        expect(await countEvents(db, invoice.invoice.id, "payment.succeeded")).toBe(1);
      }
      expect(wrong).toEqual([]);
    });
  }
});

describe("events that are not ours", () => {
  it("unused types, objects without our metadata, another supplier's payment → 200, ignored", async () => {
    const db = database.get().db;
    const mine = await stripeSupplier(world, db);
    const other = await stripeSupplier(world, db);
    const theirs = await checkout(other);
    const before = await ledgerCounts(db);

    const customer = { ...theirs.event({ type: "payment_intent.succeeded" }), id: `evt_${newPublicId("evt").slice(4)}`, type: "customer.created" } as unknown as Stripe.Event;
    const stranger = theirs.event({ type: "payment_intent.succeeded" });
    const strangerIntent = stranger.data.object as Stripe.PaymentIntent;
    strangerIntent.metadata = {};
    strangerIntent.id = "pi_not_one_of_ours";
    // Signed with my account's secret, about the other supplier's payment.
    const crossTenant = theirs.event({ type: "payment_intent.succeeded" });
    for (const event of [customer, stranger, crossTenant]) expect(await world.fake.sendEvent(mine.secretKey, event)).toBe(200);

    const after = await ledgerCounts(db);
    expect({ ...after, provider_events: before!.provider_events }).toEqual(before);
    expect(Number(after!.provider_events) - Number(before!.provider_events)).toBe(3);
    expect(await paymentsOf(db, other.invoice.id)).toMatchObject([{ status: "pending" }]);
    expect(await paymentsOf(db, mine.invoice.id)).toHaveLength(0);
  });
});
