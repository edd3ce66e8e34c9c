import {
  pgTable, pgSequence, text, timestamp, date, bigint, integer, numeric, boolean, index, uniqueIndex, jsonb, primaryKey, customType,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";
import { customers } from "./customers";

const money = (name: string) => bigint(name, { mode: "number" });

/**
 * Bases for generated OCR references when the invoice number cannot serve as one. Shared by all
 * suppliers: gaps are harmless, and uniqueness per supplier is still checked on insert.
 */
export const invoiceOcrSeq = pgSequence("invoice_ocr_seq", { startWith: 1000, minValue: 1000 });

/** Invoice state is several facts (paid amount, confirmation, dispute, delivery, cancellation); status is derived. */
export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(), // inv_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    customerId: text("customer_id").notNull().references(() => customers.id),
    number: text("number").notNull(),
    currency: text("currency").notNull(),
    issueDate: date("issue_date", { mode: "string" }).notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    totalNet: money("total_net").notNull(),
    totalVat: money("total_vat").notNull(),
    rounding: money("rounding").notNull().default(0),
    total: money("total").notNull(),
    amountPaid: money("amount_paid").notNull().default(0),
    ocr: text("ocr").notNull(),
    linkVersion: integer("link_version").notNull().default(1),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    // Who confirmed, with their own reference, and a hash of the invoice content they saw.
    confirmedBy: text("confirmed_by"),
    confirmedReference: text("confirmed_reference"),
    confirmedCostCentre: text("confirmed_cost_centre"),
    confirmedContentHash: text("confirmed_content_hash"),
    disputed: boolean("disputed").notNull().default(false),
    deliveryStatus: text("delivery_status", { enum: ["none", "pending", "approved", "problem"] })
      .notNull()
      .default("none"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    /** The payer said "I have paid"; reminders pause until then (never counted as money). */
    paymentReportedUntil: timestamp("payment_reported_until", { withTimezone: true }),
    /**
     * A supplier's clerk (console user or API key) paused reminders: until `remindersPausedUntil`,
     * or until resumed when that is null. Apart from the payer's report above: neither ends the other.
     */
    remindersPausedAt: timestamp("reminders_paused_at", { withTimezone: true }),
    remindersPausedUntil: timestamp("reminders_paused_until", { withTimezone: true }),
    remindersPausedBy: text("reminders_paused_by", { enum: ["supplier", "user"] }),
    remindersPausedById: text("reminders_paused_by_id"),
    remindersPauseReason: text("reminders_pause_reason"),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    /** A credit note's original invoice (credit notes have total ≤ 0). */
    creditsInvoiceId: text("credits_invoice_id"),
    /**
     * The printed "pay now" link `/p/<code>`: its code derives from a signing key (this id) and the
     * invoice id, so it is the same for the invoice's life; only its hash is stored, for lookup.
     */
    payCodeHash: text("pay_code_hash"),
    payCodeKeyId: text("pay_code_key_id"),
    /** The portal link the pay link currently redirects to (renewed when it expires). */
    payLinkId: text("pay_link_id"),
    /** When the invoice.overdue webhook went out, so it goes out once. */
    overdueAnnouncedAt: timestamp("overdue_announced_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("invoices_supplier_number_key").on(table.supplierId, table.number),
    uniqueIndex("invoices_pay_code_hash_key").on(table.payCodeHash),
    index("invoices_credits_idx").on(table.creditsInvoiceId),
    uniqueIndex("invoices_supplier_ocr_key").on(table.supplierId, table.ocr),
    // A bank file's loose reference forms (bank-imports.server.ts findInvoicesByLooseReference):
    // the OCR without leading zeros, the invoice number as an RF reference's body.
    index("invoices_supplier_ocr_trimmed_idx").on(table.supplierId, sql`ltrim(${table.ocr}, '0')`),
    index("invoices_supplier_number_compact_idx").on(table.supplierId, sql`upper(regexp_replace(${table.number}, '[^A-Za-z0-9]', '', 'g'))`),
    index("invoices_supplier_created_idx").on(table.supplierId, table.createdAt, table.id),
    index("invoices_customer_idx").on(table.customerId),
    // The reminder evaluation reads unsettled invoices by supplier and due-date range; most
    // invoices are paid, and this index leaves them out (app/features/reminders/db/reminders.server.ts).
    index("invoices_open_due_idx")
      .on(table.supplierId, table.dueDate)
      .where(sql`${table.cancelledAt} is null and ${table.paidAt} is null and ${table.amountPaid} < ${table.total}`),
    // The console's invoice list (app/features/console/db/invoice-list.server.ts): one index per
    // sort key, each ending in the id so keyset pages stay index range scans at any depth.
    index("invoices_console_due_idx").on(table.supplierId, table.dueDate, table.id),
    index("invoices_console_issue_idx").on(table.supplierId, table.issueDate, table.id),
    index("invoices_console_total_idx").on(table.supplierId, table.total, table.id),
    // Search by the start of a number (LIKE 'abc%' needs pattern ops under a non-C collation).
    index("invoices_console_number_prefix_idx").on(table.supplierId, table.number.op("text_pattern_ops")),
    // The list's status filters. Open and overdue are most of the unpaid; the other three are rare,
    // so their small partial indexes find them without walking the whole supplier. Each WHERE is
    // the list's own condition, word for word, so the planner can prove it matches.
    index("invoices_console_outstanding_idx")
      .on(table.supplierId, table.dueDate, table.id)
      .where(sql`${table.cancelledAt} is null and ${table.total} > 0 and ${table.amountPaid} < ${table.total}`),
    index("invoices_console_disputed_idx")
      .on(table.supplierId, table.dueDate, table.id)
      .where(sql`${table.cancelledAt} is null and ${table.disputed}`),
    index("invoices_console_delivery_problem_idx")
      .on(table.supplierId, table.dueDate, table.id)
      .where(sql`${table.cancelledAt} is null and ${table.deliveryStatus} = 'problem'`),
    index("invoices_console_cancelled_idx").on(table.supplierId, table.dueDate, table.id).where(sql`${table.cancelledAt} is not null`),
  ],
);

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    invoiceId: text("invoice_id").notNull().references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    quantity: numeric("quantity", { precision: 15, scale: 3 }).notNull(),
    unit: text("unit"),
    unitPrice: money("unit_price").notNull(),
    vatRate: numeric("vat_rate", { precision: 5, scale: 2 }).notNull(),
    net: money("net").notNull(),
    vat: money("vat").notNull(),
  },
  (table) => [primaryKey({ columns: [table.invoiceId, table.position] })],
);

/**
 * Signed portal links. Only a hash of the link's random id is stored: the signature needs the
 * signing key too, so a database dump alone yields no working link.
 */
export const links = pgTable(
  "links",
  {
    id: text("id").primaryKey(), // lnk_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id").references(() => invoices.id),
    /** Customer-level links of a contact-update campaign (invoice_id null): /c/<token>. */
    customerId: text("customer_id"),
    campaignId: text("campaign_id"),
    idHash: text("id_hash").notNull().unique(),
    version: integer("version").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /**
     * Links sent by email have a secret derived from this link signing key and the row id, so the
     * email job can rebuild the same URL on every try; null: a random secret, shown once.
     */
    derivedKeyId: text("derived_key_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("links_invoice_idx").on(table.invoiceId)],
);

/** Stored first responses of API requests sent with an Idempotency-Key header. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status"),
    body: jsonb("body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.supplierId, table.key] })],
);

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

/**
 * The invoice as the supplier's ERP made it (issue #21): one PDF per invoice, replaced by a new
 * upload. Kept in PostgreSQL, never on a local disk, so every app instance serves the same file.
 */
export const supplierInvoicePdfs = pgTable("supplier_invoice_pdfs", {
  invoiceId: text("invoice_id").primaryKey().references(() => invoices.id),
  supplierId: text("supplier_id").notNull().references(() => suppliers.id),
  content: bytea("content").notNull(),
  byteSize: integer("byte_size").notNull(),
  pageCount: integer("page_count").notNull(),
  sha256: text("sha256").notNull(),
  uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
});
