import { pgTable, text, timestamp, bigint, integer, date, boolean, index, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";
import { invoices } from "./invoices";
import { imports } from "./imports";
import { payments, paymentReports } from "./payments";
import { UNAPPLIED_REASONS, UNAPPLIED_STATES } from "../../app/domain/unapplied-payments";

const money = (name: string) => bigint(name, { mode: "number" });


/**
 * Bank payments a bank-file import could not book (or booked only in part): the queue a supplier
 * works through. One row per payment of the bank (its transaction id and amount), so a re-import
 * adds nothing (security P8). `remaining` is what is still to be placed; `version` grows with
 * every change, so two clerks working on one row cannot both win.
 */
export const unappliedPayments = pgTable(
  "unapplied_payments",
  {
    id: text("id").primaryKey(), // upa_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    importId: text("import_id").references(() => imports.id),
    format: text("format", { enum: ["bgmax", "camt054"] }).notNull(),
    transactionId: text("transaction_id").notNull(),
    position: text("position").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    paidOn: date("paid_on", { mode: "string" }).notNull(),
    payerName: text("payer_name"),
    payerAccount: text("payer_account"),
    payerOrgNumber: text("payer_org_number"),
    references: text("references").array().notNull().default(sql`'{}'::text[]`),
    freeText: text("free_text"),
    reason: text("reason", { enum: UNAPPLIED_REASONS }).notNull(),
    /** The reason in words, as the import's flags said it. */
    reasonDetail: text("reason_detail").notNull(),
    /** For an over-payment: the invoice that holds it. */
    invoiceId: text("invoice_id").references(() => invoices.id),
    remaining: money("remaining").notNull(),
    state: text("state", { enum: UNAPPLIED_STATES }).notNull().default("open"),
    version: integer("version").notNull().default(1),
    note: text("note"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedBy: text("resolved_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("unapplied_payments_transaction_key").on(table.supplierId, table.transactionId, table.amount),
    index("unapplied_payments_supplier_state_idx").on(table.supplierId, table.state, table.createdAt, table.id),
  ],
);

/** What a person placed on invoices from a queued payment: one ledger payment each. */
export const unappliedAllocations = pgTable(
  "unapplied_payment_allocations",
  {
    unappliedId: text("unapplied_id").notNull().references(() => unappliedPayments.id),
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    paymentId: text("payment_id").notNull().references(() => payments.id),
    amount: money("amount").notNull(),
    overpayment: boolean("overpayment").notNull().default(false),
    actor: text("actor").notNull(),
    actorId: text("actor_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.unappliedId, table.paymentId] })],
);

/** A payer's "I have paid" report that fits a queued payment: proposed, never booked by itself. */
export const unappliedProposals = pgTable(
  "unapplied_payment_proposals",
  {
    unappliedId: text("unapplied_id").notNull().references(() => unappliedPayments.id),
    reportId: text("report_id").notNull().references(() => paymentReports.id),
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    reason: text("reason").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.unappliedId, table.reportId] }), index("unapplied_payment_proposals_report_idx").on(table.reportId)],
);

export type UnappliedPaymentRow = typeof unappliedPayments.$inferSelect;
