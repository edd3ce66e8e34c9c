import { pgTable, text, timestamp, bigint, jsonb, index } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";

/**
 * The audit log: every payer, supplier and system action appends a row. A trigger (see the
 * migrations) rejects UPDATE, DELETE and TRUNCATE, so history cannot be rewritten by the app.
 */
export const events = pgTable(
  "events",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    id: text("id").notNull().unique(), // evt_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id"),
    customerId: text("customer_id"),
    type: text("type").notNull(),
    actor: text("actor", { enum: ["payer", "supplier", "system", "operator", "user"] }).notNull(),
    actorId: text("actor_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("events_invoice_idx").on(table.invoiceId, table.seq),
    index("events_supplier_idx").on(table.supplierId, table.seq),
    // The timeline shows the first view by a person; mail scanners may add thousands of others.
    index("events_invoice_human_view_idx")
      .on(table.invoiceId, table.seq)
      .where(sql`type = 'invoice.viewed' and coalesce(data->>'automated', 'false') <> 'true'`),
  ],
);
