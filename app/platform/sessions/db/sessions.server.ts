// Console sessions' rows (security C4). The cookie's token is never stored: only its SHA-256.
import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import { sessions } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type SessionRow = typeof sessions.$inferSelect;
export type NewSessionRow = typeof sessions.$inferInsert;

export async function insertSession(db: DbOrTx, row: NewSessionRow): Promise<void> {
  await db.insert(sessions).values(row);
}

export async function findSessionByTokenHash(db: DbOrTx, tokenHash: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).limit(1);
  return row;
}

export async function touchSession(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

export async function setSessionSupplier(db: DbOrTx, id: string, supplierId: string): Promise<void> {
  await db.update(sessions).set({ supplierId }).where(eq(sessions.id, id));
}

/** Ends one session of the user; false when it was not theirs or already ended. */
export async function revokeSession(db: DbOrTx, userId: string, id: string, now: Date): Promise<boolean> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}

/** Ends every session of a user, but the one given (the one acting, when it stays). */
export async function revokeUserSessions(db: DbOrTx, userId: string, now: Date, except?: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), except ? ne(sessions.id, except) : undefined));
}

/** Sessions that still work (not ended, not past their absolute end), newest first. */
export async function listLiveSessions(db: DbOrTx, userId: string, now: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}
