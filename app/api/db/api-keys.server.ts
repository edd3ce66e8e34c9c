import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNull, or } from "drizzle-orm";
import { apiKeys } from "../../../db/schema";
import type { DbOrTx } from "../../../db/client";
import { newPublicId } from "~/domain/public-id";

const KEY_PREFIX = "pp_live_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates a key; the plain key is returned once and only its hash is stored. */
export async function createApiKey(
  db: DbOrTx,
  supplierId: string,
  name = "default",
  secret: Buffer = randomBytes(24),
): Promise<{ id: string; key: string; prefix: string }> {
  const key = KEY_PREFIX + secret.toString("base64url");
  const prefix = key.slice(0, KEY_PREFIX.length + 4);
  const id = newPublicId("key");
  await db.insert(apiKeys).values({ id, supplierId, name, prefix, keyHash: hashApiKey(key) });
  return { id, key, prefix };
}

export async function findActiveApiKey(db: DbOrTx, key: string) {
  const [row] = await db
    .select({ id: apiKeys.id, supplierId: apiKeys.supplierId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

/**
 * Revokes one key by id or prefix. A prefix holds only 24 random bits and may match keys of
 * several suppliers, so an ambiguous prefix revokes nothing.
 */
export async function revokeApiKey(db: DbOrTx, keyIdOrPrefix: string): Promise<boolean> {
  const matches = await findActiveApiKeysByIdOrPrefix(db, keyIdOrPrefix);
  if (matches.length !== 1) return false;
  return (await revokeApiKeyById(db, matches[0]!.id)) !== undefined;
}

/** Active keys whose id or prefix is the given text; a prefix may match keys of several suppliers. */
export async function findActiveApiKeysByIdOrPrefix(db: DbOrTx, keyIdOrPrefix: string) {
  return db
    .select({ id: apiKeys.id, supplierId: apiKeys.supplierId, name: apiKeys.name, prefix: apiKeys.prefix })
    .from(apiKeys)
    .where(and(or(eq(apiKeys.id, keyIdOrPrefix), eq(apiKeys.prefix, keyIdOrPrefix)), isNull(apiKeys.revokedAt)))
    .orderBy(asc(apiKeys.id));
}

export async function revokeApiKeyById(db: DbOrTx, id: string, now = new Date()) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, supplierId: apiKeys.supplierId, prefix: apiKeys.prefix });
  return row;
}

export async function listApiKeys(db: DbOrTx, supplierId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.supplierId, supplierId))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}
