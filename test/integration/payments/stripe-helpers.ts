// Shared by the stripe-* integration tests: the Stripe fake (server/fakes/stripe.ts) with the
// real SDK pointed at it, our webhook route behind a real HTTP server (the fake POSTs its signed
// events there), a supplier with a Stripe account and a billing contact, and ledger read-outs.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { emails, events, invoices, paymentAccounts, payments, suppliers } from "../../../db/schema";
import type { Database, Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { newPublicId } from "~/domain/public-id";
import { action as stripeWebhook } from "~/routes/webhooks.stripe.$accountId";
import { encryptCredentials } from "~/platform/credentials.server";
import { readBody } from "../../../server/fakes/shared";
import { startFakeStripe, type FakeStripe } from "../../../server/fakes/stripe";
import { callRoute, testConfig, testContext } from "../../support/context";
import { payerFixture, post, SAME_ORIGIN, type PayerFixture } from "../portal/payer-helpers";

export type StripeWorld = {
  fake: FakeStripe;
  config: Config;
  context: AppLoadContext;
  /** Our webhook route behind real HTTP: the fake delivers its events here. */
  webhookBase: string;
  close: () => Promise<void>;
};

/** Our webhook route as an HTTP endpoint: the raw body and headers pass through unchanged. */
async function startWebhookBridge(context: () => AppLoadContext): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const accountId = /^\/webhooks\/stripe\/([^/?]+)/.exec(request.url ?? "")?.[1] ?? "";
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      const answer = await callRoute(stripeWebhook, context(), {
        method: request.method ?? "POST",
        path: request.url ?? "/",
        params: { accountId },
        headers,
        body,
      });
      response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function startStripeWorld(database: Database): Promise<StripeWorld> {
  const fake = await startFakeStripe();
  const config = testConfig({ STRIPE_API_URL: fake.url });
  const context = testContext(database, config);
  const bridge = await startWebhookBridge(() => context);
  return {
    fake,
    config,
    context,
    webhookBase: bridge.url,
    close: async () => {
      await fake.close();
      await bridge.close();
    },
  };
}

export type StripeSupplier = PayerFixture & { accountId: string; secretKey: string; webhookSecret: string };

/** A supplier with a Stripe account (card and Swish), a billing contact and one invoice. */
export async function stripeSupplier(
  world: StripeWorld,
  db: Db,
  options: { methods?: ("card" | "swish")[]; paymentOptions?: string[]; currency?: "SEK" | "EUR" } = {},
): Promise<StripeSupplier> {
  const fixture = await payerFixture(db, world.config);
  const accountId = newPublicId("pac");
  const secretKey = `sk_test_${randomBytes(12).toString("hex")}`;
  const webhookSecret = `whsec_${randomBytes(16).toString("base64url")}`;
  await db.insert(paymentAccounts).values({
    id: accountId,
    supplierId: fixture.supplier.id,
    provider: "stripe",
    methods: options.methods ?? ["card", "swish"],
    credentialsCiphertext: encryptCredentials(world.config, { secretKey, webhookSecret }),
  });
  world.fake.addAccount(secretKey, { webhookUrl: `${world.webhookBase}/webhooks/stripe/${accountId}`, webhookSecret });
  if (options.paymentOptions) {
    await db.update(suppliers).set({ paymentOptions: options.paymentOptions }).where(eq(suppliers.id, fixture.supplier.id));
  }
  if (options.currency) await db.update(invoices).set({ currency: options.currency }).where(eq(invoices.id, fixture.invoice.id));
  return { ...fixture, accountId, secretKey, webhookSecret };
}

/** The payer presses "Pay by card" (or Swish) on the portal page. */
export function payCard(world: StripeWorld, token: string, method = "card", headers: Record<string, string> = SAME_ORIGIN) {
  return post(world.context, token, { intent: "pay-card", method }, { headers });
}

/** The hosted page the portal redirected to, and the fake's session behind it. */
export function sessionOf(world: StripeWorld, response: Response) {
  const location = response.headers.get("location") ?? "";
  const sessionId = /\/checkout\/([^/?#]+)#?$/.exec(location)?.[1];
  const session = sessionId ? world.fake.sessions.get(sessionId) : undefined;
  if (!session) throw new Error(`no fake session behind ${response.status} ${location}`);
  return session;
}

export async function paymentsOf(db: Db, invoiceId: string) {
  return db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(payments.createdAt);
}

export async function invoiceRow(db: Db, invoiceId: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  return row!;
}

export async function countEvents(db: Db, invoiceId: string, type: string) {
  const rows = await db.select().from(events).where(and(eq(events.invoiceId, invoiceId), eq(events.type, type)));
  return rows.length;
}

export async function receipts(db: Db, invoiceId: string) {
  return db.select().from(emails).where(and(eq(emails.invoiceId, invoiceId), eq(emails.template, "payment-receipt")));
}
