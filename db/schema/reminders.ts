import { bigint, pgTable, text, timestamp, uniqueIndex, index } from "drizzle-orm/pg-core";
import { suppliers } from "./suppliers";
import { invoices } from "./invoices";

/**
 * One row per (invoice, reminder step), unique: however many evaluations, workers and restarts
 * run, a step is queued once. The row records when it was due and what was sent.
 */
export const reminders = pgTable(
  "reminders",
  {
    id: text("id").primaryKey(), // rem_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    step: text("step", { enum: ["before_due", "first", "second", "final"] }).notNull(),
    status: text("status", { enum: ["queued", "sent", "skipped"] }).notNull().default("queued"),
    /** Why a queued step was not sent after all (paid, disputed, … by the time of sending). */
    skipReason: text("skip_reason"),
    emailId: text("email_id"),
    /** What the reminder stated: the fee it added (minor units) and the late interest accrued so far. */
    fee: bigint("fee", { mode: "number" }),
    interest: bigint("interest", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("reminders_invoice_step_key").on(table.invoiceId, table.step),
    index("reminders_supplier_idx").on(table.supplierId, table.createdAt),
  ],
);
