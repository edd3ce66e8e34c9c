import { pgTable, text, timestamp, index, jsonb, boolean, bigint, integer } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import type { PayBoxPosition } from "../../app/domain/pay-box-position";

export const suppliers = pgTable("suppliers", {
  id: text("id").primaryKey(), // sup_…
  name: text("name").notNull(),
  orgNumber: text("org_number"),
  vatNumber: text("vat_number"),
  bankgiro: text("bankgiro"),
  plusgiro: text("plusgiro"),
  iban: text("iban"),
  bic: text("bic"),
  swishNumber: text("swish_number"),
  timeZone: text("time_zone").notNull().default("Europe/Stockholm"),
  language: text("language", { enum: ["sv", "en"] }).notNull().default("sv"),
  brandColor: text("brand_color"),
  logoUrl: text("logo_url"),
  /** Where the supplier is told about problems reported on its invoices. */
  notificationEmail: text("notification_email"),
  /** Shown to payers on the invoice page: whom to ask about an invoice (public, unlike the above). */
  contactEmail: text("contact_email"),
  contactPhone: text("contact_phone"),
  /** Days relative to the due date per reminder step; null means the product's default policy. */
  reminderPolicy: jsonb("reminder_policy").$type<Record<string, unknown>>(),
  /** A reminder fee may be charged only when agreed with the payer before the debt arose. */
  reminderFeeAgreed: boolean("reminder_fee_agreed").notNull().default(false),
  reminderFee: bigint("reminder_fee", { mode: "number" }),
  /** Ways to pay the supplier switched on: PAYMENT_OPTIONS in app/domain/payment-methods.ts. */
  paymentOptions: text("payment_options").array().notNull().default(sql`'{card,bank_transfer,swish,bank_qr}'::text[]`),
  /** How long "I have paid" pauses reminders while the bank transfer arrives. */
  paymentReportPauseDays: integer("payment_report_pause_days").notNull().default(7),
  /** Owners can require two-factor sign-in to the console for the whole team (security C5). */
  consoleRequiresTotp: boolean("console_requires_totp").notNull().default(false),
  /** Where the pay-now box is stamped on the supplier's own PDFs (millimetres from a corner); null: a free corner. */
  payBoxPosition: jsonb("pay_box_position").$type<PayBoxPosition>(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(), // key_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    name: text("name").notNull().default("default"),
    // Only a SHA-256 of the key is stored; the prefix lets a person recognise it.
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (table) => [index("api_keys_supplier_idx").on(table.supplierId)],
);
