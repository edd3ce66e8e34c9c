// Suppliers' Stripe and Adyen accounts. Credentials leave this module only decrypted in memory.
import { and, asc, eq } from "drizzle-orm";
import { paymentAccounts, type PaymentProvider } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import type { Config } from "~/platform/config.server";
import { isAccountMethod, type ProviderMethod } from "~/domain/payment-methods";
import { decryptCredentials } from "~/platform/credentials.server";

export type StripeCredentials = {
  /** sk_live_… / sk_test_… (or a restricted key allowed to create Checkout Sessions and read them). */
  secretKey: string;
  /** whsec_… of the webhook endpoint the supplier registered at Stripe. */
  webhookSecret: string;
};

export type AdyenCredentials = {
  apiKey: string;
  merchantAccount: string;
  environment: "test" | "live";
  /** Live endpoints need the account's URL prefix. */
  liveUrlPrefix: string | null;
  /** HMAC key (hex) of the standard webhook. */
  hmacKey: string;
  /** Basic auth the webhook is configured to send. */
  notificationUsername: string;
  notificationPassword: string;
};

export type ProviderCredentials = { stripe: StripeCredentials; adyen: AdyenCredentials };

export type PaymentAccount<P extends PaymentProvider = PaymentProvider> = {
  id: string;
  supplierId: string;
  provider: P;
  methods: ProviderMethod[];
  credentials: ProviderCredentials[P];
};

type Row = typeof paymentAccounts.$inferSelect;

function decrypt<P extends PaymentProvider>(config: Pick<Config, "credentialsKeys">, row: Row): PaymentAccount<P> {
  return {
    id: row.id,
    supplierId: row.supplierId,
    provider: row.provider as P,
    methods: row.methods.filter(isAccountMethod),
    credentials: decryptCredentials<ProviderCredentials[P]>(config, row.credentialsCiphertext),
  };
}

/** The account a provider's webhook names in its URL (`/webhooks/<provider>/<account id>`). */
export async function findPaymentAccount<P extends PaymentProvider>(
  db: DbOrTx,
  config: Pick<Config, "credentialsKeys">,
  provider: P,
  accountId: string,
): Promise<PaymentAccount<P> | undefined> {
  const [row] = await db
    .select()
    .from(paymentAccounts)
    .where(and(eq(paymentAccounts.id, accountId), eq(paymentAccounts.provider, provider)))
    .limit(1);
  return row ? decrypt<P>(config, row) : undefined;
}

export async function listSupplierPaymentAccounts(
  db: DbOrTx,
  config: Pick<Config, "credentialsKeys">,
  supplierId: string,
): Promise<PaymentAccount[]> {
  const rows = await db.select().from(paymentAccounts).where(eq(paymentAccounts.supplierId, supplierId));
  return rows.map((row) => decrypt(config, row));
}

export type PaymentAccountRow = Row;

/** The supplier's account at one provider, still encrypted; locked when read in a transaction for a change. */
export async function findSupplierPaymentAccountRow(
  db: DbOrTx,
  supplierId: string,
  provider: PaymentProvider,
  options: { forUpdate?: boolean } = {},
): Promise<Row | undefined> {
  const query = db
    .select()
    .from(paymentAccounts)
    .where(and(eq(paymentAccounts.supplierId, supplierId), eq(paymentAccounts.provider, provider)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

export async function listSupplierPaymentAccountRows(db: DbOrTx, supplierId: string): Promise<Row[]> {
  return db.select().from(paymentAccounts).where(eq(paymentAccounts.supplierId, supplierId)).orderBy(asc(paymentAccounts.provider));
}

export async function insertPaymentAccount(db: DbOrTx, row: typeof paymentAccounts.$inferInsert): Promise<Row> {
  const [inserted] = await db.insert(paymentAccounts).values(row).returning();
  return inserted!;
}

export async function updatePaymentAccount(
  db: DbOrTx,
  id: string,
  values: Partial<Pick<Row, "methods" | "credentialsCiphertext" | "updatedAt">>,
): Promise<Row> {
  const [row] = await db.update(paymentAccounts).set(values).where(eq(paymentAccounts.id, id)).returning();
  return row!;
}

export async function deletePaymentAccount(db: DbOrTx, id: string): Promise<void> {
  await db.delete(paymentAccounts).where(eq(paymentAccounts.id, id));
}
