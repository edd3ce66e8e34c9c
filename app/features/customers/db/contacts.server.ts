// A customer's billing contacts as the payer sees and edits them on the portal page.
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { contacts } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { newPublicId } from "~/domain/public-id";
import { failingColumnsFor } from "~/features/emails/db/email-suppressions.server";

export type ContactRow = typeof contacts.$inferSelect;

/** The fields a payer may set; the rest (ids, billing flag, timestamps) are ours. */
export type ContactFields = Pick<
  ContactRow,
  | "name" | "email" | "phone" | "invoiceReference" | "addressLine1" | "addressLine2" | "postalCode" | "city"
  | "country" | "language" | "channel" | "peppolId"
>;

export const CONTACT_FIELD_NAMES = [
  "name", "email", "phone", "invoiceReference", "addressLine1", "addressLine2", "postalCode", "city", "country",
  "language", "channel", "peppolId",
] as const satisfies readonly (keyof ContactFields)[];

export function contactFields(row: ContactRow): ContactFields {
  return Object.fromEntries(CONTACT_FIELD_NAMES.map((name) => [name, row[name]])) as ContactFields;
}

export async function listBillingContacts(db: DbOrTx, supplierId: string, customerId: string): Promise<ContactRow[]> {
  return db
    .select()
    .from(contacts)
    .where(and(eq(contacts.supplierId, supplierId), eq(contacts.customerId, customerId), eq(contacts.isBilling, true)))
    .orderBy(asc(contacts.createdAt), asc(contacts.id));
}

/** listBillingContacts for many customers in one query, by customer id (the ledger's batch of receipts). */
export async function listBillingContactsByCustomer(db: DbOrTx, supplierId: string, customerIds: readonly string[]): Promise<Map<string, ContactRow[]>> {
  const byCustomer = new Map<string, ContactRow[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.supplierId, supplierId), inArray(contacts.customerId, [...new Set(customerIds)]), eq(contacts.isBilling, true)))
    .orderBy(asc(contacts.createdAt), asc(contacts.id));
  for (const row of rows) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row]);
  return byCustomer;
}

export async function countContacts(db: DbOrTx, supplierId: string, customerId: string): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(contacts)
    .where(and(eq(contacts.supplierId, supplierId), eq(contacts.customerId, customerId)));
  return row?.value ?? 0;
}

/** Locks the contact so concurrent edits record a true before/after. */
export async function findContactForUpdate(
  tx: Tx,
  scope: { supplierId: string; customerId: string; contactId: string },
): Promise<ContactRow | undefined> {
  const [row] = await tx
    .select()
    .from(contacts)
    .where(
      and(eq(contacts.supplierId, scope.supplierId), eq(contacts.customerId, scope.customerId), eq(contacts.id, scope.contactId)),
    )
    .limit(1)
    .for("update");
  return row;
}

/** Also sets the "failing" flag from the new address: a changed address is how a bounce is fixed. */
export async function updateContactFields(tx: Tx, id: string, fields: ContactFields, now: Date): Promise<ContactRow> {
  const [row] = await tx
    .update(contacts)
    .set({ ...fields, ...failingColumnsFor(contacts.supplierId, fields.email), updatedAt: now })
    .where(eq(contacts.id, id))
    .returning();
  return row!;
}

export async function insertContact(
  tx: Tx,
  scope: { supplierId: string; customerId: string },
  fields: ContactFields,
  now: Date,
): Promise<ContactRow> {
  const [row] = await tx
    .insert(contacts)
    .values({
      ...fields,
      ...failingColumnsFor(scope.supplierId, fields.email),
      id: newPublicId("con"),
      ...scope,
      isBilling: true,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

export async function deleteContact(tx: Tx, supplierId: string, id: string): Promise<void> {
  await tx.delete(contacts).where(and(eq(contacts.supplierId, supplierId), eq(contacts.id, id)));
}
