import { pgTable, text, timestamp, index, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";
import { users } from "./console";
import { INBOX_KINDS, INBOX_STATES } from "../../app/domain/inbox";

/**
 * The console inbox's own state of one thing that needs the supplier's team: a problem report, a
 * delivery problem, an "I have paid" report, a failing billing address (the source row lives in
 * its feature's table; `source_id` names it). One row per source row, opened in the transaction
 * that writes the source row (app/features/inbox/open-inbox-item.server.ts).
 */
export const inboxItems = pgTable(
  "inbox_items",
  {
    id: text("id").primaryKey(), // ibx_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    kind: text("kind", { enum: INBOX_KINDS }).notNull(),
    /** The source row's key: a dsp_/prp_ id, or the suppressed address. */
    sourceId: text("source_id").notNull(),
    invoiceId: text("invoice_id"),
    customerId: text("customer_id"),
    state: text("state", { enum: INBOX_STATES }).notNull().default("new"),
    assigneeId: text("assignee_id").references(() => users.id),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // Every list the inbox page offers walks one of these backwards, newest first, and stops after a
  // page: all, not done (the default), one state (and the count of new ones), one kind, one
  // assignee ("assigned to me"). Ascending on purpose: a backward scan gives exactly the list's
  // `opened_at desc, id desc` (nulls first); a `desc nulls last` index would not match it.
  (table) => [
    uniqueIndex("inbox_items_source_key").on(table.supplierId, table.kind, table.sourceId),
    index("inbox_items_supplier_idx").on(table.supplierId, table.openedAt, table.id),
    index("inbox_items_open_idx").on(table.supplierId, table.openedAt, table.id).where(sql`${table.state} <> 'done'`),
    index("inbox_items_state_idx").on(table.supplierId, table.state, table.openedAt, table.id),
    index("inbox_items_kind_idx").on(table.supplierId, table.kind, table.openedAt, table.id),
    index("inbox_items_assignee_idx").on(table.supplierId, table.assigneeId, table.openedAt, table.id),
  ],
);

/** The team's internal notes on an item: never shown to the payer. */
export const inboxNotes = pgTable(
  "inbox_notes",
  {
    id: text("id").primaryKey(), // ibn_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    itemId: text("item_id").notNull().references(() => inboxItems.id),
    authorId: text("author_id").notNull().references(() => users.id),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("inbox_notes_item_idx").on(table.itemId, table.createdAt)],
);

export type InboxItemRow = typeof inboxItems.$inferSelect;
export type InboxNoteRow = typeof inboxNotes.$inferSelect;
