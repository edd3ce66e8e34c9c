import { pgTable, text, timestamp, boolean, index, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";

export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(), // cus_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    externalId: text("external_id"),
    name: text("name").notNull(),
    orgNumber: text("org_number"),
    language: text("language", { enum: ["sv", "en"] }),
    contactsConfirmedAt: timestamp("contacts_confirmed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("customers_supplier_external_id_key")
      .on(table.supplierId, table.externalId)
      .where(sql`${table.externalId} is not null`),
    index("customers_supplier_idx").on(table.supplierId, table.createdAt),
    // The console's directory: by name, keyset-paged on (name, id); a search is paged on id and
    // finds a part of the name (trigram with the supplier in front: pg_trgm and btree_gin, migration
    // 0021) or an organisation number.
    index("customers_supplier_name_idx").on(table.supplierId, table.name, table.id),
    index("customers_supplier_id_idx").on(table.supplierId, table.id),
    index("customers_supplier_name_trgm_idx").using("gin", table.supplierId, sql`${table.name} gin_trgm_ops`),
    index("customers_supplier_org_number_idx").on(table.supplierId, table.orgNumber).where(sql`${table.orgNumber} is not null`),
  ],
);

/** Billing contacts of a customer: who receives invoices, with what reference and where. */
export const contacts = pgTable(
  "contacts",
  {
    id: text("id").primaryKey(), // con_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    customerId: text("customer_id").notNull().references(() => customers.id),
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    invoiceReference: text("invoice_reference"),
    addressLine1: text("address_line1"),
    addressLine2: text("address_line2"),
    postalCode: text("postal_code"),
    city: text("city"),
    country: text("country"),
    language: text("language", { enum: ["sv", "en"] }),
    channel: text("channel", { enum: ["email", "peppol", "post"] }).notNull().default("email"),
    peppolId: text("peppol_id"),
    isBilling: boolean("is_billing").notNull().default(true),
    /** Set when mail to this address bounced or was marked as spam; sends to it are suppressed. */
    emailFailingAt: timestamp("email_failing_at", { withTimezone: true }),
    emailFailure: text("email_failure", { enum: ["bounced", "complained"] }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("contacts_customer_idx").on(table.customerId)],
);
