import type { ZodType, ZodTypeDef } from "zod";
import { cleanTextMessage, controlCharacterPaths } from "~/domain/text";
import { readBodyWithin } from "~/platform/request-body.server";
import { fieldPath, problem, validationProblem, zodProblem } from "./problem.server";

/** A JSON body's limit (the document states it on each operation); the server cuts every body off at its path's limit (server/body-limit.ts). */
export const MAX_JSON_BODY_BYTES = 1_000_000;

/** Reads and validates a JSON body; every failure is a thrown problem response. */
export async function readJson<T>(request: Request, schema: ZodType<T, ZodTypeDef, unknown>): Promise<T> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw problem(415, "Unsupported media type", "Send the body as JSON with Content-Type: application/json.");
  }
  // Counted while it streams, before any parsing (security R2).
  const text = new TextDecoder().decode(await readBodyLimited(request, MAX_JSON_BODY_BYTES, `The body may be at most ${MAX_JSON_BODY_BYTES} bytes.`));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw problem(400, "Malformed JSON", `The body is not valid JSON: ${(error as Error).message}`);
  }
  // Behind the schemas' own text rules (security D5): no string anywhere in a body carries NUL or
  // another control character besides tab, CR and LF, whichever schema reads it.
  const dirty = controlCharacterPaths(value).map(fieldPath);
  if (dirty.length > 0) throw validationProblem(dirty.map((field) => ({ field, message: cleanTextMessage(field) })));
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw zodProblem(parsed.error);
  return parsed.data;
}

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/** The optional `Idempotency-Key` header of a POST; a malformed one is a 400 naming it. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const value = request.headers.get("idempotency-key");
  if (value === null) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    const message = "Idempotency-Key must be 1 to 255 printable ASCII characters";
    throw problem(400, "Invalid Idempotency-Key", message, { errors: [{ field: "Idempotency-Key", message }] });
  }
  return value;
}

/**
 * A body (JSON, CSV, bank file), refused with a thrown 413 as soon as it passes `maxBytes`
 * instead of after buffering all of it (security R2).
 */
export async function readBodyLimited(request: Request, maxBytes: number, tooLargeDetail: string): Promise<Uint8Array> {
  const bytes = await readBodyWithin(request, maxBytes);
  if (bytes === null) throw problem(413, "Payload too large", tooLargeDetail);
  return bytes;
}
