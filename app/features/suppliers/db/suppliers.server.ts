import { asc, eq } from "drizzle-orm";
import { suppliers } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { newPublicId } from "~/domain/public-id";

export type Supplier = typeof suppliers.$inferSelect;
export type SupplierChanges = Partial<Omit<typeof suppliers.$inferInsert, "id" | "createdAt" | "updatedAt">>;

export async function createSupplier(db: DbOrTx, values: SupplierChanges & { name: string; id?: string }): Promise<Supplier> {
  const [row] = await db.insert(suppliers).values({ id: newPublicId("sup"), ...values }).returning();
  return row!;
}

export async function getSupplier(db: DbOrTx, id: string): Promise<Supplier | undefined> {
  const [row] = await db.select().from(suppliers).where(eq(suppliers.id, id)).limit(1);
  return row;
}

/** Locks the row until the transaction ends, so concurrent changes record a true before/after. */
export async function getSupplierForUpdate(tx: Tx, id: string): Promise<Supplier | undefined> {
  const [row] = await tx.select().from(suppliers).where(eq(suppliers.id, id)).limit(1).for("update");
  return row;
}

export async function listSuppliers(db: DbOrTx): Promise<Supplier[]> {
  return db.select().from(suppliers).orderBy(asc(suppliers.createdAt), asc(suppliers.id));
}

export async function updateSupplier(db: DbOrTx, id: string, changes: SupplierChanges): Promise<Supplier | undefined> {
  const [row] = await db
    .update(suppliers)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(suppliers.id, id))
    .returning();
  return row;
}
