import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import { contacts, customers } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import { newPublicId } from "~/domain/public-id";
import { failingColumnsFor } from "~/features/emails/db/email-suppressions.server";

export type Customer = typeof customers.$inferSelect;
export type CustomerFields = { name: string; orgNumber?: string | null; language?: "sv" | "en" | null };

/** One customer of the supplier: a foreign id finds nothing. */
const selectCustomer = (db: DbOrTx, supplierId: string, id: string) =>
  db
    .select()
    .from(customers)
    .where(and(eq(customers.supplierId, supplierId), eq(customers.id, id)))
    .limit(1);

export async function findCustomer(db: DbOrTx, supplierId: string, id: string): Promise<Customer | undefined> {
  const [row] = await selectCustomer(db, supplierId, id);
  return row;
}

/** Locks the row so concurrent upserts of one external id apply one after the other. */
export async function findCustomerByExternalIdForUpdate(
  db: DbOrTx,
  supplierId: string,
  externalId: string,
): Promise<Customer | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.supplierId, supplierId), eq(customers.externalId, externalId)))
    .limit(1)
    .for("update");
  return row;
}

/** Inserts unless another transaction created the same external id first (then undefined). */
export async function insertCustomerIfAbsent(
  db: DbOrTx,
  supplierId: string,
  externalId: string,
  fields: CustomerFields,
): Promise<Customer | undefined> {
  const [row] = await db
    .insert(customers)
    .values({ id: newPublicId("cus"), supplierId, externalId, ...fields })
    .onConflictDoNothing({
      target: [customers.supplierId, customers.externalId],
      where: sql`${customers.externalId} is not null`,
    })
    .returning();
  return row;
}

/** Changes a customer's own fields, never its external id (updateCustomerColumns may change that too). */
export function updateCustomer(db: DbOrTx, supplierId: string, id: string, changes: Partial<CustomerFields>): Promise<Customer> {
  return updateCustomerColumns(db, supplierId, id, changes);
}

export async function hasBillingContactWithEmail(
  db: DbOrTx,
  supplierId: string,
  customerId: string,
  email: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.supplierId, supplierId),
        eq(contacts.customerId, customerId),
        eq(contacts.isBilling, true),
        sql`lower(${contacts.email}) = lower(${email})`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

export async function insertBillingContact(
  db: DbOrTx,
  contact: { supplierId: string; customerId: string; email: string; language?: "sv" | "en" | null },
): Promise<string> {
  const id = newPublicId("con");
  // An address this supplier no longer mails shows as failing on the new contact too.
  const failing = failingColumnsFor(contact.supplierId, contact.email);
  await db.insert(contacts).values({ id, ...contact, ...failing, channel: "email", isBilling: true });
  return id;
}

// --- Batch forms of the above, for the CSV import: one statement per kind of row. ---

/** Several customers by external id, locked in id order so two batches never wait on each other in a circle. */
export async function findCustomersByExternalIdsForUpdate(
  db: DbOrTx,
  supplierId: string,
  externalIds: readonly string[],
): Promise<Customer[]> {
  if (externalIds.length === 0) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.supplierId, supplierId), inArray(customers.externalId, [...externalIds])))
    .orderBy(asc(customers.id))
    .for("update");
}

export async function findCustomersByIds(db: DbOrTx, supplierId: string, ids: readonly string[]): Promise<Customer[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.supplierId, supplierId), inArray(customers.id, [...ids])));
}

export type NewCustomer = typeof customers.$inferInsert;

/**
 * Inserts the customers; returns how many were inserted. Fewer than given means another
 * transaction created one of these external ids meanwhile: the caller takes the slow path.
 */
export async function insertCustomersIfAbsent(db: DbOrTx, rows: readonly NewCustomer[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(customers)
    .values([...rows])
    .onConflictDoNothing({
      target: [customers.supplierId, customers.externalId],
      where: sql`${customers.externalId} is not null`,
    })
    .returning({ id: customers.id });
  return inserted.length;
}

/** updateCustomer for many rows, each set to its given name, organisation number and language. */
export async function updateCustomersFields(
  db: DbOrTx,
  supplierId: string,
  rows: readonly { id: string; name: string; orgNumber: string | null; language: "sv" | "en" | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = JSON.stringify(rows.map((row) => ({ id: row.id, name: row.name, org_number: row.orgNumber, language: row.language })));
  await db.execute(sql`
    update ${customers} as c
    set name = v.name, org_number = v.org_number, language = v.language, updated_at = now()
    from jsonb_to_recordset(${values}::jsonb) as v(id text, name text, org_number text, language text)
    where c.supplier_id = ${supplierId} and c.id = v.id`);
}

/** The billing addresses of several customers, lower-cased as hasBillingContactWithEmail compares them. */
export async function billingEmailsOf(
  db: DbOrTx,
  supplierId: string,
  customerIds: readonly string[],
): Promise<{ customerId: string; email: string }[]> {
  if (customerIds.length === 0) return [];
  return db
    .select({ customerId: contacts.customerId, email: sql<string>`lower(${contacts.email})` })
    .from(contacts)
    .where(
      and(
        eq(contacts.supplierId, supplierId),
        inArray(contacts.customerId, [...customerIds]),
        eq(contacts.isBilling, true),
        isNotNull(contacts.email),
      ),
    );
}

/** insertBillingContact for many contacts in one statement; each row is given its id. */
export async function insertBillingContacts(
  db: DbOrTx,
  rows: readonly { id: string; supplierId: string; customerId: string; email: string; language?: "sv" | "en" | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(contacts)
    .values(rows.map((contact) => ({ ...contact, ...failingColumnsFor(contact.supplierId, contact.email), channel: "email" as const, isBilling: true })));
}

// --- The customers API: list, lock for update, create by the supplier, contacts of a page. ---

/** The row with its exact created_at: microseconds survive in text, not in a JS Date (cursors). */
export type CustomerListRow = Customer & { createdAtExact: string };
export type CustomerCursor = { createdAt: string; id: string };

const customerColumns = {
  ...getTableColumns(customers),
  createdAtExact: sql<string>`to_char(${customers.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

/** Newest first, keyset-paged on (created_at, id) like the invoices list. */
export async function listCustomers(
  db: DbOrTx,
  supplierId: string,
  filter: { externalId?: string; after?: CustomerCursor; limit: number },
): Promise<{ rows: CustomerListRow[]; hasMore: boolean }> {
  const conditions: SQL[] = [eq(customers.supplierId, supplierId)];
  if (filter.externalId !== undefined) conditions.push(eq(customers.externalId, filter.externalId));
  if (filter.after) {
    conditions.push(sql`(${customers.createdAt}, ${customers.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id})`);
  }
  const rows = await db
    .select(customerColumns)
    .from(customers)
    .where(and(...conditions))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(filter.limit + 1);
  return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit };
}

/** Locks the customer so concurrent changes record a true before/after. */
export async function findCustomerForUpdate(db: DbOrTx, supplierId: string, id: string): Promise<Customer | undefined> {
  const [row] = await selectCustomer(db, supplierId, id).for("update");
  return row;
}

/** A new customer; a taken external id surfaces as the unique violation customers_supplier_external_id_key. */
export async function insertCustomer(
  db: DbOrTx,
  supplierId: string,
  fields: CustomerFields & { externalId: string | null },
): Promise<Customer> {
  const [row] = await db
    .insert(customers)
    .values({ id: newPublicId("cus"), supplierId, ...fields })
    .returning();
  return row!;
}

/** The billing contacts of several customers in one query, oldest first per customer. */
export async function listBillingContactsOf(
  db: DbOrTx,
  supplierId: string,
  customerIds: readonly string[],
): Promise<(typeof contacts.$inferSelect)[]> {
  if (customerIds.length === 0) return [];
  return db
    .select()
    .from(contacts)
    .where(and(eq(contacts.supplierId, supplierId), inArray(contacts.customerId, [...customerIds]), eq(contacts.isBilling, true)))
    .orderBy(asc(contacts.createdAt), asc(contacts.id));
}

/** Like updateCustomer, but the supplier's API may also change (or clear) the external id. */
export async function updateCustomerColumns(
  db: DbOrTx,
  supplierId: string,
  id: string,
  changes: Partial<CustomerFields & { externalId: string | null }>,
): Promise<Customer> {
  const [row] = await db
    .update(customers)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(customers.supplierId, supplierId), eq(customers.id, id)))
    .returning();
  if (!row) throw new Error(`customer ${id} vanished during update`);
  return row;
}
