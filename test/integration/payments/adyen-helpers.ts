// Shared by the adyen-* integration tests: a supplier's Adyen account (stored encrypted, known to
// the local fake), pending payments with their payment links, signed notifications posted to
// our route, and a loopback host that lets the fake's hosted page deliver webhooks to the route.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { emails, events, invoices, paymentAccounts, payments, providerEvents } from "../../../db/schema";
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { newPublicId } from "~/domain/public-id";
import { createAdyenCheckout, type AdyenCheckoutResult } from "~/integrations/adyen.server";
import { findPaymentAccount, type AdyenCredentials, type PaymentAccount } from "~/features/payments/db/payment-accounts.server";
import type { PaymentRow } from "~/features/payments/db/payments.server";
import { action } from "~/routes/webhooks.adyen.$accountId";
import { encryptCredentials } from "~/platform/credentials.server";
import { createPendingPayment } from "~/features/payments/payments.server";
import {
  basicAuthHeader, notificationBody, signedNotificationItem, type FakeAdyen, type NotificationFields, type NotificationItem,
} from "../../../server/fakes/adyen";
import { callRoute, TEST_BASE_URL } from "../../support/context";
import type { PortalFixture } from "../../support/fixtures";

export type AdyenTestAccount = { id: string; account: PaymentAccount<"adyen">; credentials: AdyenCredentials };

export function adyenCredentials(): AdyenCredentials {
  return {
    apiKey: `AQE_test_${randomBytes(12).toString("hex")}`,
    merchantAccount: "NordljusECOM",
    environment: "test",
    liveUrlPrefix: null,
    hmacKey: randomBytes(32).toString("hex").toUpperCase(),
    notificationUsername: "adyen-webhook",
    notificationPassword: randomBytes(12).toString("base64url"),
  };
}

/** Stores the supplier's Adyen account and, given a fake, registers it there with its webhook URL. */
export async function addAdyenAccount(
  db: Db,
  config: Config,
  supplierId: string,
  options: { fake?: FakeAdyen; webhookBase?: string; methods?: ("card" | "swish")[] } = {},
): Promise<AdyenTestAccount> {
  const id = newPublicId("pac");
  const credentials = adyenCredentials();
  await db.insert(paymentAccounts).values({
    id,
    supplierId,
    provider: "adyen",
    methods: options.methods ?? ["card", "swish"],
    credentialsCiphertext: encryptCredentials(config, credentials),
  });
  options.fake?.addAccount(credentials.apiKey, {
    webhookUrl: `${options.webhookBase ?? TEST_BASE_URL}/webhooks/adyen/${id}`,
    hmacKey: credentials.hmacKey,
    username: credentials.notificationUsername,
    password: credentials.notificationPassword,
    merchantAccount: credentials.merchantAccount,
  });
  const account = await findPaymentAccount(db, config, "adyen", id);
  return { id, account: account!, credentials };
}

export async function pendingPayment(
  db: Db,
  fixture: Pick<PortalFixture, "supplier" | "invoice">,
  adyen: AdyenTestAccount,
  options: { amount?: number; method?: "card" | "swish"; currency?: string } = {},
): Promise<PaymentRow> {
  return db.transaction((tx) =>
    createPendingPayment(tx, {
      supplierId: fixture.supplier.id,
      invoiceId: fixture.invoice.id,
      accountId: adyen.id,
      provider: "adyen",
      method: options.method ?? "card",
      currency: options.currency ?? "SEK",
      amount: options.amount ?? fixture.invoice.total,
    }),
  );
}

export function checkout(
  config: Config,
  fixture: Pick<PortalFixture, "invoice" | "token">,
  adyen: AdyenTestAccount,
  payment: PaymentRow,
  options: { timeoutMs?: number; locale?: string } = {},
): Promise<AdyenCheckoutResult> {
  return createAdyenCheckout(config, adyen.account, {
    payment,
    invoice: { id: fixture.invoice.id, number: fixture.invoice.number },
    returnUrl: `${TEST_BASE_URL}/i/${fixture.token}?checkout=${payment.id}`,
    locale: options.locale ?? "sv",
    timeoutMs: options.timeoutMs,
  });
}

/** An item signed with the account's HMAC key, as Adyen sends it. */
export function adyenItem(adyen: AdyenTestAccount, fields: NotificationFields): NotificationItem {
  return signedNotificationItem({ hmacKey: adyen.credentials.hmacKey, merchantAccount: adyen.credentials.merchantAccount }, fields);
}

export function adyenAuth(adyen: AdyenTestAccount): string {
  return basicAuthHeader(adyen.credentials.notificationUsername, adyen.credentials.notificationPassword);
}

/** POSTs a body to /webhooks/adyen/<account id> through the route module. */
export function postToRoute(context: AppLoadContext, accountId: string, body: string, headers: Record<string, string>): Promise<Response> {
  return callRoute(action, context, {
    method: "POST",
    path: `/webhooks/adyen/${accountId}`,
    params: { accountId },
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

/** Signs the items and posts them with the account's basic auth. */
export function deliver(context: AppLoadContext, adyen: AdyenTestAccount, ...fields: NotificationFields[]): Promise<Response> {
  const body = notificationBody(fields.map((entry) => adyenItem(adyen, entry)));
  return postToRoute(context, adyen.id, body, { authorization: adyenAuth(adyen) });
}

/** A loopback HTTP server in front of the route, for the fake's hosted page to deliver to. */
export async function startWebhookHost(context: AppLoadContext): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const match = /^\/webhooks\/adyen\/([^/?]+)$/.exec(request.url ?? "");
      if (!match || request.method !== "POST") return void response.writeHead(404).end();
      const headers: Record<string, string> = {};
      for (const name of ["authorization", "content-type"]) {
        const value = request.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      postToRoute(context, match[1]!, Buffer.concat(chunks).toString("utf8"), headers)
        .then(async (answer) => {
          response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" }).end(await answer.text());
        })
        .catch((error: unknown) => response.writeHead(500).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function paymentRow(db: Db, id: string): Promise<PaymentRow> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row!;
}

export async function invoiceBalance(db: Db, invoiceId: string) {
  const [row] = await db
    .select({ amountPaid: invoices.amountPaid, total: invoices.total, paidAt: invoices.paidAt })
    .from(invoices)
    .where(eq(invoices.id, invoiceId));
  return row!;
}

/** What a user or supplier would notice: rows, receipts and audit events per invoice. */
export async function ledgerCounts(db: Db, invoiceId: string) {
  const count = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;
  const n = sql<number>`count(*)::int`;
  return {
    payments: await count(db.select({ n }).from(payments).where(eq(payments.invoiceId, invoiceId))),
    receipts: await count(db.select({ n }).from(emails).where(and(eq(emails.invoiceId, invoiceId), eq(emails.template, "payment-receipt")))),
    succeededEvents: await count(db.select({ n }).from(events).where(and(eq(events.invoiceId, invoiceId), eq(events.type, "payment.succeeded")))),
    refundedEvents: await count(db.select({ n }).from(events).where(and(eq(events.invoiceId, invoiceId), eq(events.type, "payment.refunded")))),
    paidEvents: await count(db.select({ n }).from(events).where(and(eq(events.invoiceId, invoiceId), eq(events.type, "invoice.paid")))),
  };
}

export async function providerEventCount(db: Db, accountId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(providerEvents).where(eq(providerEvents.accountId, accountId));
  return row!.n;
}

export async function setInvoiceCurrency(db: Db, invoiceId: string, currency: string): Promise<void> {
  await db.update(invoices).set({ currency }).where(eq(invoices.id, invoiceId));
}
