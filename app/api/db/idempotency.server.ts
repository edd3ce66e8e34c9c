// The idempotency_keys table: claiming a key and storing its answer. The rules (request hash,
// sealing, replay) are ~/api/idempotency.server's.
import { and, eq } from "drizzle-orm";
import { idempotencyKeys } from "../../../db/schema";
import type { DbOrTx } from "../../../db/client";

export type StoredResponse = { requestHash: string; status: number | null; body: unknown };

/**
 * Claims a key inside the caller's transaction. The primary key makes a concurrent claim of the
 * same key wait until the first transaction ends: after a commit it sees the stored response,
 * after a rollback it gets the claim itself. So one key never runs a request twice.
 */
export async function claimIdempotencyKey(
  db: DbOrTx,
  supplierId: string,
  key: string,
  requestHash: string,
): Promise<{ claimed: true } | { claimed: false; stored: StoredResponse }> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ supplierId, key, requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { claimed: true };
  const [stored] = await db
    .select({ requestHash: idempotencyKeys.requestHash, status: idempotencyKeys.status, body: idempotencyKeys.body })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.supplierId, supplierId), eq(idempotencyKeys.key, key)))
    .limit(1);
  if (!stored) throw new Error("idempotency key conflicted but is not readable");
  return { claimed: false, stored };
}

export async function saveIdempotentResponse(
  db: DbOrTx,
  supplierId: string,
  key: string,
  response: { status: number; body: unknown },
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ status: response.status, body: response.body })
    .where(and(eq(idempotencyKeys.supplierId, supplierId), eq(idempotencyKeys.key, key)));
}

/** Frees a key whose request failed later, off the request path (an import): the fixed request can use it again. */
export async function releaseIdempotencyKey(db: DbOrTx, supplierId: string, key: string): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.supplierId, supplierId), eq(idempotencyKeys.key, key)));
}
