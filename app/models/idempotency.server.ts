import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { idempotencyKeys } from "../../db/schema";
import type { DbOrTx } from "../../db/client";
import type { LinkKey } from "~/domain/link-token";

export type StoredResponse = { requestHash: string; status: number | null; body: unknown };

// A stored response may hold a portal link. Bodies are sealed (AES-256-GCM, key derived from the
// link signing keys) so a database dump alone still yields no working link (security L1).
type Sealed = { v: 1; kid: string; iv: string; data: string };

function sealingKey(key: LinkKey): Buffer {
  return Buffer.from(hkdfSync("sha256", key.secret, "", "payer-portal idempotent response v1", 32));
}

export function sealBody(body: unknown, keys: readonly LinkKey[], context: string): Sealed {
  const key = keys[0];
  if (!key) throw new Error("no link signing key to seal with");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(key), iv);
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(JSON.stringify(body), "utf8"), cipher.final(), cipher.getAuthTag()]);
  return { v: 1, kid: key.kid, iv: iv.toString("base64url"), data: data.toString("base64url") };
}

/** The body, or undefined when it cannot be opened (its key was retired, or it was tampered with). */
export function unsealBody(sealed: unknown, keys: readonly LinkKey[], context: string): unknown {
  const value = sealed as Partial<Sealed> | null;
  if (!value || value.v !== 1 || typeof value.iv !== "string" || typeof value.data !== "string") return undefined;
  const key = keys.find((candidate) => candidate.kid === value.kid);
  if (!key) return undefined;
  try {
    const data = Buffer.from(value.data, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(key), Buffer.from(value.iv, "base64url"));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(data.subarray(-16));
    const plain = Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]);
    return JSON.parse(plain.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

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
