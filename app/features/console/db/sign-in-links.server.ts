// One-time sign-in links' rows (security C3): only the token's SHA-256 is stored.
import { and, eq, gt, isNull } from "drizzle-orm";
import { signInLinks } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type SignInLinkRow = typeof signInLinks.$inferSelect;

export async function insertSignInLink(db: DbOrTx, row: typeof signInLinks.$inferInsert): Promise<void> {
  await db.insert(signInLinks).values(row);
}

/** The link when it is unused and unexpired; nothing is changed (a GET may look, never spend). */
export async function findUsableLink(db: DbOrTx, tokenHash: string, now: Date): Promise<SignInLinkRow | undefined> {
  const [row] = await db
    .select()
    .from(signInLinks)
    .where(and(eq(signInLinks.tokenHash, tokenHash), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now)))
    .limit(1);
  return row;
}

/** Spends the link, once: of two concurrent uses only one gets the row. */
export async function spendLink(db: DbOrTx, tokenHash: string, now: Date): Promise<SignInLinkRow | undefined> {
  const [row] = await db
    .update(signInLinks)
    .set({ usedAt: now })
    .where(and(eq(signInLinks.tokenHash, tokenHash), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now)))
    .returning();
  return row;
}

/** Whether the user was sent a link of this purpose since the given moment. */
export async function linkSentSince(db: DbOrTx, userId: string, purpose: SignInLinkRow["purpose"], since: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: signInLinks.id })
    .from(signInLinks)
    .where(and(eq(signInLinks.userId, userId), eq(signInLinks.purpose, purpose), gt(signInLinks.createdAt, since)))
    .limit(1);
  return row !== undefined;
}
