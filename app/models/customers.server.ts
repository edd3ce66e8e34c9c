import { and, eq, sql } from "drizzle-orm";
import { contacts, customers } from "../../db/schema";
import type { DbOrTx } from "../../db/client";
import { newPublicId } from "~/domain/public-id";

export type Customer = typeof customers.$inferSelect;
export type CustomerFields = { name: string; orgNumber?: string | null; language?: "sv" | "en" | null };

export async function findCustomer(db: DbOrTx, supplierId: string, id: string): Promise<Customer | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.supplierId, supplierId), eq(customers.id, id)))
    .limit(1);
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

export async function updateCustomer(
  db: DbOrTx,
  supplierId: string,
  id: string,
  changes: Partial<CustomerFields>,
): Promise<Customer> {
  const [row] = await db
    .update(customers)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(customers.supplierId, supplierId), eq(customers.id, id)))
    .returning();
  if (!row) throw new Error(`customer ${id} vanished during update`);
  return row;
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
  await db.insert(contacts).values({ id, ...contact, channel: "email", isBilling: true });
  return id;
}
