// Who works for which supplier, in which role.
import { and, asc, eq } from "drizzle-orm";
import { memberships, suppliers, users } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import type { ConsoleRole } from "~/domain/console-roles";

export type Membership = { supplierId: string; supplierName: string; role: ConsoleRole };
export type TeamMember = { userId: string; email: string; role: ConsoleRole; hasPassword: boolean; hasTotp: boolean; since: Date };

export async function findMembership(db: DbOrTx, userId: string, supplierId: string): Promise<ConsoleRole | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.supplierId, supplierId)))
    .limit(1);
  return row?.role;
}

/** The suppliers a user works for, the oldest membership first (the default at sign-in). */
export async function listMemberships(db: DbOrTx, userId: string): Promise<Membership[]> {
  return db
    .select({ supplierId: memberships.supplierId, supplierName: suppliers.name, role: memberships.role })
    .from(memberships)
    .innerJoin(suppliers, eq(suppliers.id, memberships.supplierId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.supplierId));
}

export async function listTeam(db: DbOrTx, supplierId: string): Promise<TeamMember[]> {
  const rows = await db
    .select({
      userId: users.id, email: users.email, role: memberships.role, passwordHash: users.passwordHash, totpSecret: users.totpSecret,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.supplierId, supplierId))
    .orderBy(asc(users.email));
  return rows.map(({ passwordHash, totpSecret, ...row }) => ({ ...row, hasPassword: passwordHash !== null, hasTotp: totpSecret !== null }));
}

/** Adds the membership; false when the user already has one at this supplier. */
export async function insertMembership(db: DbOrTx, userId: string, supplierId: string, role: ConsoleRole): Promise<boolean> {
  const rows = await db.insert(memberships).values({ userId, supplierId, role }).onConflictDoNothing().returning({ userId: memberships.userId });
  return rows.length > 0;
}

export async function setMembershipRole(db: DbOrTx, userId: string, supplierId: string, role: ConsoleRole): Promise<void> {
  await db.update(memberships).set({ role }).where(and(eq(memberships.userId, userId), eq(memberships.supplierId, supplierId)));
}

export async function deleteMembership(db: DbOrTx, userId: string, supplierId: string): Promise<void> {
  await db.delete(memberships).where(and(eq(memberships.userId, userId), eq(memberships.supplierId, supplierId)));
}

export async function countOwners(db: DbOrTx, supplierId: string): Promise<number> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.supplierId, supplierId), eq(memberships.role, "owner")));
  return rows.length;
}
