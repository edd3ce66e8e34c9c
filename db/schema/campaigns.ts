import { pgTable, text, timestamp, integer, jsonb, index, uniqueIndex } from "drizzle-orm/pg-core";
import { suppliers } from "./suppliers";
import { customers } from "./customers";

/** Who a campaign asks: every customer, those with open invoices, those not confirmed for N months, or a list. */
export type CampaignAudience = "all" | "open_invoices" | { stale_months: number } | { customer_ids: string[] };

/**
 * A contact-update campaign: every customer in its audience gets one signed customer-level link
 * (links.campaign_id) by email and is asked to confirm or correct its billing contacts by the
 * deadline. The audience is resolved once, when the campaign starts (campaign_recipients).
 */
export const campaigns = pgTable(
  "campaigns",
  {
    id: text("id").primaryKey(), // cmp_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    name: text("name").notNull(),
    message: text("message").notNull(),
    audience: jsonb("audience").$type<CampaignAudience>().notNull(),
    /** When the first emails may go out; null: as soon as it is started. */
    startAt: timestamp("start_at", { withTimezone: true }),
    deadline: timestamp("deadline", { withTimezone: true }).notNull(),
    status: text("status", { enum: ["draft", "started", "cancelled"] }).notNull().default("draft"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    /** Set once every recipient's link and emails are queued (the start job's last step). */
    queuedAt: timestamp("queued_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    /** When its close (the deadline passed) was announced to the supplier: once, by the schedule. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("campaigns_supplier_idx").on(table.supplierId, table.createdAt)],
);

/** One customer of a started campaign: its link, what was sent, and its answer. Unique per customer. */
export const campaignRecipients = pgTable(
  "campaign_recipients",
  {
    id: text("id").primaryKey(), // cre_…
    campaignId: text("campaign_id").notNull().references(() => campaigns.id),
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    customerId: text("customer_id").notNull().references(() => customers.id),
    /** The customer's link (links.id); null until its emails are queued. */
    linkId: text("link_id"),
    /** Emails queued for the request (one per billing contact with an address); 0: nobody to ask. */
    emailCount: integer("email_count").notNull().default(0),
    queuedAt: timestamp("queued_at", { withTimezone: true }),
    /** The follow-ups: halfway to the deadline, and near it. */
    followUpHalfwayAt: timestamp("follow_up_halfway_at", { withTimezone: true }),
    followUpFinalAt: timestamp("follow_up_final_at", { withTimezone: true }),
    /** A person's first view of the campaign page (mail scanners' fetches do not count). */
    openedAt: timestamp("opened_at", { withTimezone: true }),
    answer: text("answer", { enum: ["confirmed", "corrected"] }),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("campaign_recipients_campaign_customer_key").on(table.campaignId, table.customerId),
    index("campaign_recipients_customer_idx").on(table.customerId),
  ],
);
