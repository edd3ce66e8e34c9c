// Supplier settings and API keys, shared by the API and the operator CLI: one validation, one
// transaction per change, and an audit event with what changed.
import { isDeepStrictEqual } from "node:util";
import type { Db, DbOrTx, Tx } from "../../../db/client";
import type { FieldError } from "~/api/problem.server";
import {
  parseSupplierSettings, SETTINGS_COLUMNS, SETTINGS_FIELDS, type SupplierSettings,
} from "~/features/suppliers/api.schemas";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import {
  createApiKey, findActiveApiKeysByIdOrPrefix, listApiKeys, revokeApiKeyById,
} from "~/api/db/api-keys.server";
import {
  createSupplier, getSupplier, getSupplierForUpdate, updateSupplier, type Supplier, type SupplierChanges,
} from "~/features/suppliers/db/suppliers.server";

export type { Actor };

export const OPERATOR: Actor = { actor: "operator", actorId: "cli" };

export type Invalid = { ok: false; reason: "invalid"; errors: FieldError[] };
export type NotFound = { ok: false; reason: "not_found" };
export type IssuedApiKey = { id: string; key: string; prefix: string };

function toColumns(settings: SupplierSettings): SupplierChanges {
  const changes: Record<string, unknown> = {};
  for (const field of SETTINGS_FIELDS) {
    if (settings[field] !== undefined) changes[SETTINGS_COLUMNS[field]] = settings[field];
  }
  return changes as SupplierChanges;
}


/**
 * Applies a partial change of settings (`null` clears an optional field). Fields whose value
 * does not change are left out of the event; a change that changes nothing writes nothing.
 */
export async function updateSupplierSettings(
  db: Db,
  supplierId: string,
  input: unknown,
  actor: Actor,
): Promise<{ ok: true; supplier: Supplier; changed: string[] } | Invalid | NotFound> {
  const parsed = parseSupplierSettings(input);
  if (!parsed.ok) return { ok: false, reason: "invalid", errors: parsed.errors };
  return db.transaction(async (tx) => {
    const before = await getSupplierForUpdate(tx, supplierId);
    if (!before) return { ok: false, reason: "not_found" } as const;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of SETTINGS_FIELDS) {
      const to = parsed.settings[field];
      const from = before[SETTINGS_COLUMNS[field]];
      // Deep: a reminder policy is an object (jsonb keeps its own key order, which does not count).
      if (to !== undefined && !isDeepStrictEqual(to, from)) changes[field] = { from, to };
    }
    const changed = Object.keys(changes);
    if (changed.length === 0) return { ok: true, supplier: before, changed } as const;
    const supplier = await updateSupplier(tx, supplierId, toColumns(parsed.settings));
    await appendEvent(tx, { supplierId, type: "supplier.updated", ...actorColumns(actor), data: { changes } });
    return { ok: true, supplier: supplier!, changed } as const;
  });
}

/** Creates a supplier with its first API key; the plain key is returned once. */
export async function createSupplierWithApiKey(
  db: Db,
  input: unknown,
  actor: Actor,
): Promise<{ ok: true; supplier: Supplier; apiKey: IssuedApiKey } | Invalid> {
  const parsed = parseSupplierSettings(input);
  const hasName = typeof input === "object" && input !== null && "name" in input;
  const errors = [
    ...(hasName ? [] : [{ field: "name", message: "Name is required" }]),
    ...(parsed.ok ? [] : parsed.errors.filter((error) => hasName || error.field !== "(body)")),
  ];
  if (!parsed.ok || errors.length > 0) return { ok: false, reason: "invalid", errors };
  const { name } = parsed.settings;
  if (name === undefined) return { ok: false, reason: "invalid", errors: [{ field: "name", message: "Name is required" }] };
  return db.transaction(async (tx) => {
    const supplier = await createSupplier(tx, { ...toColumns(parsed.settings), name });
    const set = Object.fromEntries(
      SETTINGS_FIELDS.filter((field) => parsed.settings[field] !== undefined).map((field) => [field, parsed.settings[field]]),
    );
    await appendEvent(tx, { supplierId: supplier.id, type: "supplier.created", ...actorColumns(actor), data: { settings: set } });
    const apiKey = await issueKey(tx, supplier.id, "default", actor);
    return { ok: true, supplier, apiKey } as const;
  });
}

async function issueKey(tx: Tx, supplierId: string, name: string, actor: Actor): Promise<IssuedApiKey> {
  const apiKey = await createApiKey(tx, supplierId, name);
  await appendEvent(tx, {
    supplierId,
    type: "api_key.created",
    ...actorColumns(actor),
    data: { api_key_id: apiKey.id, prefix: apiKey.prefix, name },
  });
  return apiKey;
}

export function checkApiKeyName(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const name = input.trim();
  if (name === "") return { ok: false, message: "Key name must not be empty" };
  if (name.length > 100) return { ok: false, message: "Key name may have at most 100 characters" };
  return { ok: true, value: name };
}

export async function createSupplierApiKey(
  db: Db,
  supplierId: string,
  name: string,
  actor: Actor,
): Promise<{ ok: true; apiKey: IssuedApiKey } | Invalid | NotFound> {
  const checked = checkApiKeyName(name);
  if (!checked.ok) return { ok: false, reason: "invalid", errors: [{ field: "name", message: checked.message }] };
  return db.transaction(async (tx) => {
    if (!(await getSupplier(tx, supplierId))) return { ok: false, reason: "not_found" } as const;
    return { ok: true, apiKey: await issueKey(tx, supplierId, checked.value, actor) } as const;
  });
}

/**
 * Revokes one key by id or prefix; a prefix shared by several keys revokes nothing. With a
 * supplier, only that supplier's keys are candidates (the console): another's is not found.
 */
export async function revokeSupplierApiKey(
  db: Db,
  keyIdOrPrefix: string,
  actor: Actor,
  scope: { supplierId?: string } = {},
): Promise<
  | { ok: true; key: { id: string; supplierId: string; prefix: string } }
  | NotFound
  | { ok: false; reason: "ambiguous"; keyIds: string[] }
> {
  return db.transaction(async (tx) => {
    const matches = (await findActiveApiKeysByIdOrPrefix(tx, keyIdOrPrefix)).filter(
      (key) => scope.supplierId === undefined || key.supplierId === scope.supplierId,
    );
    if (matches.length === 0) return { ok: false, reason: "not_found" } as const;
    if (matches.length > 1) return { ok: false, reason: "ambiguous", keyIds: matches.map((key) => key.id) } as const;
    const key = await revokeApiKeyById(tx, matches[0]!.id);
    if (!key) return { ok: false, reason: "not_found" } as const;
    await appendEvent(tx, {
      supplierId: key.supplierId,
      type: "api_key.revoked",
      ...actorColumns(actor),
      data: { api_key_id: key.id, prefix: key.prefix },
    });
    return { ok: true, key } as const;
  });
}

/** The supplier's keys, revoked ones too (the console's list); never a key or its hash. */
export function supplierApiKeys(db: DbOrTx, supplierId: string) {
  return listApiKeys(db, supplierId);
}

/** The supplier's settings as stored, for the API's and the console's reads. */
export async function supplierSettings(db: DbOrTx, supplierId: string): Promise<Supplier | undefined> {
  return getSupplier(db, supplierId);
}
