// Console users' rows. Emails are matched without case (a unique index on lower(email)).
import { eq, sql } from "drizzle-orm";
import { users } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import { newPublicId } from "~/domain/public-id";

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
  return row;
}

export async function getUser(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** The user with this email, created when there is none. */
export async function ensureUser(db: DbOrTx, email: string, language: "sv" | "en"): Promise<UserRow> {
  const existing = await findUserByEmail(db, email);
  if (existing) return existing;
  const [row] = await db
    .insert(users)
    .values({ id: newPublicId("usr"), email: email.trim(), language })
    .onConflictDoNothing()
    .returning();
  return row ?? (await findUserByEmail(db, email))!;
}

export async function updateUser(db: DbOrTx, id: string, changes: Partial<Omit<UserRow, "id" | "email" | "createdAt">>, now: Date): Promise<void> {
  await db.update(users).set({ ...changes, updatedAt: now }).where(eq(users.id, id));
}

/** One more failed sign-in, counted in the database (so every process sees it); the new count. */
export async function countFailedSignIn(db: DbOrTx, id: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ failedSignIns: sql`${users.failedSignIns} + 1` })
    .where(eq(users.id, id))
    .returning({ failedSignIns: users.failedSignIns });
  return row?.failedSignIns ?? 0;
}

/** Moves the last accepted TOTP step forward; false when this step (or a later one) was used (C5). */
export async function claimTotpStep(db: DbOrTx, id: string, step: number): Promise<boolean> {
  const claimed = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(sql`${users.id} = ${id} and (${users.totpLastStep} is null or ${users.totpLastStep} < ${step})`)
    .returning({ id: users.id });
  return claimed.length > 0;
}
