// Idempotency-Key for every POST route that honours it (creating invoices, customers, payments,
// credit notes, deliveries, webhook endpoints, reissued links…): one table, one set of rules.
// A retry with the same key and request answers the first result again, byte for byte; the same
// key with another request is a 422. Callers run this inside their own transaction, so a failed
// request rolls its claim back and the key can be used again.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { Tx } from "../../db/client";
import type { LinkKey } from "~/domain/link-token";
import { claimIdempotencyKey, saveIdempotentResponse, type StoredResponse } from "~/api/db/idempotency.server";
import type { ProblemBody } from "./problem.server";

/** The answer to a retry whose Idempotency-Key was first used with another body. */
export const IDEMPOTENCY_KEY_REUSED: ProblemBody = {
  status: 422,
  title: "Idempotency key reused",
  detail: "This Idempotency-Key was already used with another request. Use a new key for a new request.",
  errors: [{ field: "Idempotency-Key", message: "already used with another request body" }],
};

export type KeyedRequest = {
  supplierId: string;
  /** The request's Idempotency-Key; without one the work simply runs. */
  key: string | undefined;
  /** Method and path with its ids: the same key on another route or id is another request (422). */
  route: string;
  /** The validated input; with the route, what makes two requests "the same". */
  input: unknown;
  /**
   * The link signing keys, when the answer holds a secret or a bearer link: the stored answer is
   * then sealed (security L1), so a database dump alone yields neither.
   */
  sealWith?: readonly LinkKey[];
};

export type Keyed<T> = { ok: true; status: number; body: T; replayed: boolean } | { ok: false; problem: ProblemBody };

const NOT_REPLAYABLE: ProblemBody = {
  status: 409,
  title: "Idempotency key not replayable",
  detail: "The first result of this Idempotency-Key can no longer be replayed; use a new key.",
};

/**
 * An answer without a secret is stored as its JSON text: jsonb would reorder the object's keys,
 * and a retry must get the first answer byte for byte.
 */
type PlainBody = { v: 0; json: string };

function plainBody(stored: unknown): unknown {
  const value = stored as Partial<PlainBody> | null;
  if (value && value.v === 0 && typeof value.json === "string") return JSON.parse(value.json) as unknown;
  // Customers and manual payments once stored their answer as plain jsonb: still replay those.
  return value ?? undefined;
}

// A stored answer may hold a portal link or a secret. Such bodies are sealed (AES-256-GCM, key
// derived from the link signing keys) so a database dump alone yields neither (security L1).
type Sealed = { v: 1; kid: string; iv: string; data: string };

function sealingKey(key: LinkKey): Buffer {
  return Buffer.from(hkdfSync("sha256", key.secret, "", "payer-portal idempotent response v1", 32));
}

function sealBody(body: unknown, keys: readonly LinkKey[], context: string): Sealed {
  const key = keys[0];
  if (!key) throw new Error("no link signing key to seal with");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(key), iv);
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(JSON.stringify(body), "utf8"), cipher.final(), cipher.getAuthTag()]);
  return { v: 1, kid: key.kid, iv: iv.toString("base64url"), data: data.toString("base64url") };
}

/** The body, or undefined when it cannot be opened (its key was retired, or it was tampered with). */
function unsealBody(sealed: unknown, keys: readonly LinkKey[], context: string): unknown {
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

/** Binds a sealed answer to its supplier and key, so rows cannot be swapped around. */
const sealContext = (supplierId: string, key: string) => `idempotency:${supplierId}:${key}`;

function keyedRequestHash(route: string, input: unknown): string {
  return createHash("sha256").update(`${route}\n${JSON.stringify(input ?? null)}`).digest("hex");
}

function replay<T>(request: KeyedRequest & { key: string }, stored: StoredResponse, hash: string): Keyed<T> {
  if (stored.requestHash !== hash) return { ok: false, problem: IDEMPOTENCY_KEY_REUSED };
  const body = request.sealWith
    ? unsealBody(stored.body, request.sealWith, sealContext(request.supplierId, request.key))
    : plainBody(stored.body);
  // A sealed answer whose key was retired (or a row without an answer) cannot be given again.
  if (stored.status === null || body === undefined) return { ok: false, problem: NOT_REPLAYABLE };
  return { ok: true, status: stored.status, body: body as T, replayed: true };
}

/** Claims the key (if any), runs the work and stores its answer, all in the caller's transaction. */
export async function runIdempotent<T>(
  tx: Tx,
  request: KeyedRequest,
  work: () => Promise<{ status: number; body: T }>,
): Promise<Keyed<T>> {
  const { supplierId, key } = request;
  const hash = keyedRequestHash(request.route, request.input);
  if (key !== undefined) {
    const claim = await claimIdempotencyKey(tx, supplierId, key, hash);
    if (!claim.claimed) return replay<T>({ ...request, key }, claim.stored, hash);
  }
  const { status, body } = await work();
  if (key !== undefined) {
    const stored: unknown = request.sealWith
      ? sealBody(body, request.sealWith, sealContext(supplierId, key))
      : ({ v: 0, json: JSON.stringify(body) } satisfies PlainBody);
    await saveIdempotentResponse(tx, supplierId, key, { status, body: stored });
  }
  return { ok: true, status, body, replayed: false };
}
