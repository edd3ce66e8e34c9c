import { pgTable, text, timestamp, bigint, index, uniqueIndex, primaryKey, date } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";
import { invoices } from "./invoices";
import { LEDGER_METHODS, PAYMENT_PROVIDERS, REPORTED_METHODS } from "../../app/domain/payment-methods";

const money = (name: string) => bigint(name, { mode: "number" });

export { PAYMENT_PROVIDERS };
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/**
 * A supplier's own card-payment account at Stripe or Adyen. Credentials are encrypted with the
 * server's CREDENTIALS_KEY (app/platform/credentials.server.ts): a database dump alone holds no
 * usable secret.
 */
export const paymentAccounts = pgTable(
  "payment_accounts",
  {
    id: text("id").primaryKey(), // pac_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    provider: text("provider", { enum: PAYMENT_PROVIDERS }).notNull(),
    /** Methods offered through this account: ACCOUNT_METHODS of app/domain/payment-methods.ts. */
    methods: text("methods").array().notNull().default(sql`'{card}'::text[]`),
    credentialsCiphertext: text("credentials_ciphertext").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("payment_accounts_supplier_provider_key").on(table.supplierId, table.provider)],
);

/**
 * The payment ledger: one row per payment (a card checkout, a provider payment, a payment the
 * supplier recorded by hand). An invoice's amount paid is derived from these rows.
 */
export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(), // pay_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    accountId: text("account_id").references(() => paymentAccounts.id),
    provider: text("provider", { enum: ["stripe", "adyen", "manual"] }).notNull(),
    /** Stripe PaymentIntent id, Adyen pspReference; for manual payments the supplier's own reference. */
    providerReference: text("provider_reference"),
    method: text("method", { enum: LEDGER_METHODS }).notNull(),
    currency: text("currency").notNull(),
    amount: money("amount").notNull(),
    amountRefunded: money("amount_refunded").notNull().default(0),
    status: text("status", { enum: ["pending", "succeeded", "failed", "cancelled"] }).notNull(),
    chargeback: text("chargeback", { enum: ["open", "won", "lost"] }),
    failureReason: text("failure_reason"),
    /** Sent with every call to the provider for this payment; stored before the first call (P4). */
    idempotencyKey: text("idempotency_key").notNull(),
    /** The hosted payment page of a pending checkout, reused when the payer tries again. */
    checkoutUrl: text("checkout_url"),
    checkoutExpiresAt: timestamp("checkout_expires_at", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Per payment account, as the providers define their ids: another supplier's account may
    // see the same ids and must not block this one's (security P9, D4).
    uniqueIndex("payments_account_reference_key")
      .on(table.accountId, table.providerReference)
      .where(sql`${table.provider} <> 'manual' and ${table.providerReference} is not null`),
    uniqueIndex("payments_manual_reference_key")
      .on(table.supplierId, table.providerReference)
      .where(sql`${table.provider} = 'manual' and ${table.providerReference} is not null`),
    // A bank file's transaction id without the `#<n>` of a split part (bank-imports.server.ts
    // findBankPayments): an import looks a batch of ids up here instead of scanning every payment.
    index("payments_manual_bank_reference_idx")
      .on(table.supplierId, sql`regexp_replace(${table.providerReference}, '#[0-9]+$', '')`)
      .where(sql`${table.provider} = 'manual' and ${table.providerReference} like 'bank:%'`),
    index("payments_invoice_idx").on(table.invoiceId),
    index("payments_supplier_created_idx").on(table.supplierId, table.createdAt, table.id),
  ],
);

/**
 * Provider events already applied, by the provider's own event id within the payment account that
 * received it: a redelivery (or 50 at once) finds its row and changes nothing (security P2), and
 * another account's event with the same id is another event (P9).
 */
export const providerEvents = pgTable(
  "provider_events",
  {
    provider: text("provider", { enum: PAYMENT_PROVIDERS }).notNull(),
    eventId: text("event_id").notNull(),
    accountId: text("account_id").notNull().references(() => paymentAccounts.id),
    type: text("type").notNull(),
    paymentId: text("payment_id"),
    /** What the event did: "applied", or why it changed nothing ("not_ours", "stale"). */
    outcome: text("outcome").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.eventId] })],
);

/** "I have paid": what the payer says they paid. Never counted as money; it pauses reminders. */
export const paymentReports = pgTable(
  "payment_reports",
  {
    id: text("id").primaryKey(), // prp_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    paidOn: date("paid_on", { mode: "string" }).notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    method: text("method", { enum: REPORTED_METHODS }).notNull(),
    reportedBy: text("reported_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("payment_reports_invoice_idx").on(table.invoiceId, table.createdAt)],
);

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentAccountRow = typeof paymentAccounts.$inferSelect;
