// Idempotency-Key for POST routes whose effect is not idempotent by nature (adding deliveries,
// reissuing a portal link, registering a webhook endpoint): the same table and rules as
// createInvoice and the customers API. A retry with the same key and request answers the first
// result again; the same key with another request is a 422. Callers run this inside their own
// transaction, so a failed request rolls its claim back and the key can be used again.
//
// Deliberately free of ~/services/invoices.server: webhooks.server uses it, and invoices.server
// already reaches webhooks.server through the invoice notice.
import { createHash } from "node:crypto";
import type { Tx } from "../../db/client";
import { IDEMPOTENCY_KEY_REUSED, type ProblemBody } from "~/api/invoice-json.server";
import type { LinkKey } from "~/domain/link-token";
import { claimIdempotencyKey, saveIdempotentResponse, sealBody, unsealBody, type StoredResponse } from "~/models/idempotency.server";

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
  return value && value.v === 0 && typeof value.json === "string" ? (JSON.parse(value.json) as unknown) : undefined;
}

/** Same binding as createInvoice's: a sealed answer opens only for its own supplier and key. */
const sealContext = (supplierId: string, key: string) => `idempotency:${supplierId}:${key}`;

export function keyedRequestHash(route: string, input: unknown): string {
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
