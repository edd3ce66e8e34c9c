// The supplier's console settings and the lock that serialises its team's owner changes.
import { eq } from "drizzle-orm";
import { suppliers } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type ConsoleSupplier = { id: string; name: string; requiresTotp: boolean };

export async function getConsoleSupplier(db: DbOrTx, id: string): Promise<ConsoleSupplier | undefined> {
  const [row] = await db
    .select({ id: suppliers.id, name: suppliers.name, requiresTotp: suppliers.consoleRequiresTotp })
    .from(suppliers)
    .where(eq(suppliers.id, id))
    .limit(1);
  return row;
}

export async function lockSupplierRow(db: DbOrTx, id: string): Promise<void> {
  await db.select({ id: suppliers.id }).from(suppliers).where(eq(suppliers.id, id)).for("update");
}

export async function setConsoleRequiresTotp(db: DbOrTx, id: string, required: boolean, now: Date): Promise<void> {
  await db.update(suppliers).set({ consoleRequiresTotp: required, updatedAt: now }).where(eq(suppliers.id, id));
}
