import { pgTable, text, timestamp, integer, date, bigint, customType, index, jsonb } from "drizzle-orm/pg-core";
import { suppliers } from "./suppliers";
import { invoices } from "./invoices";

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

/** What the supplier says it delivered for an invoice (whole invoice or some lines). */
export const deliveries = pgTable(
  "deliveries",
  {
    id: text("id").primaryKey(), // dlv_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    description: text("description").notNull(),
    deliveredOn: date("delivered_on", { mode: "string" }),
    location: text("location"),
    /** Invoice line positions this delivery covers; null means the whole invoice. */
    linePositions: integer("line_positions").array(),
    status: text("status", { enum: ["pending", "approved", "problem"] }).notNull().default("pending"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("deliveries_invoice_idx").on(table.invoiceId)],
);

/** A file a payer attached to a problem report: type-checked and size-limited before storing. */
export const attachments = pgTable("attachments", {
  id: text("id").primaryKey(), // att_…
  supplierId: text("supplier_id").notNull().references(() => suppliers.id),
  invoiceId: text("invoice_id").notNull().references(() => invoices.id),
  filename: text("filename").notNull(),
  contentType: text("content_type").notNull(),
  size: bigint("size", { mode: "number" }).notNull(),
  sha256: text("sha256").notNull(),
  data: bytea("data").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A problem the payer reported with the invoice or with a delivery, and the supplier's answer. */
export const disputes = pgTable(
  "disputes",
  {
    id: text("id").primaryKey(), // dsp_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    kind: text("kind", { enum: ["invoice", "delivery"] }).notNull(),
    deliveryId: text("delivery_id").references(() => deliveries.id),
    reason: text("reason").notNull(),
    message: text("message"),
    /** Invoice line positions the problem concerns; null means the whole invoice or delivery. */
    linePositions: integer("line_positions").array(),
    attachmentId: text("attachment_id").references(() => attachments.id),
    reporterName: text("reporter_name"),
    reporterEmail: text("reporter_email"),
    status: text("status", { enum: ["open", "accepted", "rejected"] }).notNull().default("open"),
    resolution: jsonb("resolution").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (table) => [
    index("disputes_invoice_idx").on(table.invoiceId),
    index("disputes_supplier_status_idx").on(table.supplierId, table.status, table.createdAt),
  ],
);

/**
 * Each portal form carries a one-time submission id; the first POST with it wins and a repeated
 * one (double click, back button, retry) changes nothing.
 */
export const formSubmissions = pgTable("form_submissions", {
  id: text("id").primaryKey(),
  /** Null for a campaign page's forms (customer-level). */
  invoiceId: text("invoice_id").references(() => invoices.id),
  intent: text("intent").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
