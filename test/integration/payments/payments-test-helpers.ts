// Shared by the payments tests (ledger, API, accounts): a supplier with a billing contact and an
// invoice, a provider account, the ledger's one way in, and what a supplier would look at.
import { eq, sql } from "drizzle-orm";
import { invoices, paymentAccounts, payments } from "../../../db/schema";
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { newPublicId } from "~/domain/public-id";
import { encryptCredentials } from "~/platform/credentials.server";
import { applyPaymentUpdate, type PaymentUpdate } from "~/features/payments/payments.server";
import { payerFixture, type PayerFixture } from "../portal/payer-helpers";

export type LedgerFixture = PayerFixture & { accountId: string };

/** A supplier with one billing contact, a Stripe account and an invoice of 12 297.00 (SEK, or EUR). */
export async function ledgerFixture(db: Db, config: Config, options: { currency?: "SEK" | "EUR" } = {}): Promise<LedgerFixture> {
  const fixture = await payerFixture(db, config);
  if (options.currency && options.currency !== "SEK") {
    await db.update(invoices).set({ currency: options.currency }).where(eq(invoices.id, fixture.invoice.id));
  }
  const accountId = newPublicId("pac");
  await db.insert(paymentAccounts).values({
    id: accountId,
    supplierId: fixture.supplier.id,
    provider: "stripe",
    methods: ["card"],
    credentialsCiphertext: encryptCredentials(config, { secretKey: "sk_test_ledger000000", webhookSecret: "whsec_ledger000000" }),
  });
  return { ...fixture, accountId };
}

export function applyUpdate(db: Db, update: PaymentUpdate, now = new Date()) {
  return db.transaction((tx) => applyPaymentUpdate(tx, update, now));
}

export async function invoiceRow(db: Db, invoiceId: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  return row!;
}

export async function paymentsOf(db: Db, invoiceId: string) {
  return db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(payments.createdAt);
}

const SNAPSHOT_TABLES = [
  "payments", "payment_accounts", "provider_events", "invoices", "events", "emails", "webhook_messages", "idempotency_keys",
] as const;

/** A digest of every table a payment can touch: equal before and after means nothing changed. */
export async function ledgerSnapshot(db: Db): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of SNAPSHOT_TABLES) {
    const [row] = await db.execute<{ count: string; digest: string | null }>(
      sql`select count(*)::text as count, md5(string_agg(t::text, '|' order by t::text)) as digest from ${sql.identifier(table)} t`,
    );
    result[table] = `${row!.count}:${row!.digest}`;
  }
  return result;
}
