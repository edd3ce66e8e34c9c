import { pgTable, text, timestamp, integer, jsonb, boolean, index, primaryKey, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";

/**
 * Every email the product sends: queued in the same transaction as the change that causes it,
 * rendered and sent by the `email.send` job. Without RESEND_API_KEY the row itself is the
 * delivery (the development outbox at /dev/outbox).
 */
export const emails = pgTable(
  "emails",
  {
    id: text("id").primaryKey(), // msg_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    invoiceId: text("invoice_id"),
    customerId: text("customer_id"),
    /** One message per purpose and recipient, however often the cause is retried. */
    idempotencyKey: text("idempotency_key").notNull().unique(),
    template: text("template").notNull(),
    locale: text("locale", { enum: ["sv", "en"] }).notNull(),
    props: jsonb("props").$type<Record<string, unknown>>().notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    status: text("status", { enum: ["queued", "sent", "failed", "suppressed"] }).notNull().default("queued"),
    transport: text("transport", { enum: ["outbox", "resend"] }),
    providerId: text("provider_id"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    /** The portal link this email carries (payer emails about an invoice); rebuilt when sending. */
    linkId: text("link_id"),
    /** The contact-update campaign this email asks for (request or follow-up). */
    campaignId: text("campaign_id"),
    /** What Resend reported afterwards (webhook): delivered, opened, bounced or marked as spam. */
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    bouncedAt: timestamp("bounced_at", { withTimezone: true }),
    /** Reminders carry a copy of the invoice, rendered as a PDF when sending. */
    attachInvoicePdf: boolean("attach_invoice_pdf").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (table) => [
    index("emails_supplier_idx").on(table.supplierId, table.createdAt),
    index("emails_invoice_idx").on(table.invoiceId),
    index("emails_provider_idx").on(table.providerId),
    index("emails_campaign_idx").on(table.campaignId).where(sql`campaign_id is not null`),
  ],
);

/**
 * Addresses a supplier no longer mails: they bounced or their owner marked our mail as spam
 * (Resend's webhook). Per supplier, so one tenant's bounce never silences another's mail.
 */
export const emailSuppressions = pgTable(
  "email_suppressions",
  {
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    /** Lower-cased. */
    address: text("address").notNull(),
    reason: text("reason", { enum: ["bounced", "complained"] }).notNull(),
    detail: text("detail"),
    emailId: text("email_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.supplierId, table.address] })],
);

/** Resend webhook events already handled, by their svix-id: a redelivery changes nothing. */
export const emailProviderEvents = pgTable("email_provider_events", {
  eventId: text("event_id").primaryKey(),
  type: text("type").notNull(),
  providerEmailId: text("provider_email_id"),
  /** What it did: "applied", or why nothing ("not_ours", "ignored"). */
  outcome: text("outcome").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A supplier's HTTPS endpoints for Standard Webhooks deliveries. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(), // whe_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    url: text("url").notNull(),
    /** `whsec_` + base64 key, shown to the supplier once; used to sign every delivery. */
    secret: text("secret").notNull(),
    /** Event types to deliver; null means all. */
    eventTypes: text("event_types").array(),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("webhook_endpoints_supplier_idx").on(table.supplierId)],
);

/** One supplier-facing event (the `webhook-id` of every delivery of it). */
export const webhookMessages = pgTable(
  "webhook_messages",
  {
    id: text("id").primaryKey(), // whm_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("webhook_messages_supplier_idx").on(table.supplierId, table.createdAt),
    // The console's invoice timeline reads an invoice's webhooks by the invoice id in the payload
    // (app/features/console/db/invoice-page.server.ts, the same expression word for word); only
    // messages about an invoice are indexed.
    index("webhook_messages_invoice_idx")
      .on(table.supplierId, sql`(coalesce(${table.payload} -> 'invoice' ->> 'id', ${table.payload} ->> 'invoice_id'))`, table.createdAt)
      .where(sql`coalesce(${table.payload} -> 'invoice' ->> 'id', ${table.payload} ->> 'invoice_id') is not null`),
  ],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(), // whd_…
    messageId: text("message_id").notNull().references(() => webhookMessages.id),
    endpointId: text("endpoint_id").notNull().references(() => webhookEndpoints.id),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (table) => [uniqueIndex("webhook_deliveries_message_endpoint_key").on(table.messageId, table.endpointId)],
);
