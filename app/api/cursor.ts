// The query strings of the API, and paging of every list endpoint: the `?cursor=&limit=` query and
// the opaque cursors themselves.
// Cursors are opaque to clients; inside a time cursor is the last row's exact created_at
// (microseconds, which a JS Date would lose) and id, so a page neither skips nor repeats rows.
import type { z } from "zod";
import { isPublicId, type PublicIdPrefix } from "~/domain/public-id";
import { isSingleLine, singleLineMessage } from "~/domain/text";
import { fieldErrors, invalid, type Failure, type ProblemBody } from "./problem.server";

export type TimeCursor = { createdAt: string; id: string };

const EXACT_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

export function encodeCursor(cursor: TimeCursor): string {
  return encodeJson([cursor.createdAt, cursor.id]);
}

/** Undefined for anything this API did not hand out (including another kind of id). */
export function decodeCursor(text: string, prefix: PublicIdPrefix): TimeCursor | undefined {
  const value = decodeJson(text);
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [createdAt, id] = value as unknown[];
  if (typeof createdAt !== "string" || !EXACT_INSTANT.test(createdAt) || Number.isNaN(Date.parse(createdAt))) return undefined;
  if (typeof id !== "string" || !isPublicId(prefix, id)) return undefined;
  return { createdAt, id };
}

/** The cursor after a page of time-ordered rows, or null on the last page. */
export function nextCursor(rows: readonly { createdAtExact: string; id: string }[], hasMore: boolean): string | null {
  const last = rows.at(-1);
  return hasMore && last ? encodeCursor({ createdAt: last.createdAtExact, id: last.id }) : null;
}

/** A cursor of a list ordered by one text key (say an email address), tagged with its list. */
export const encodeKeyCursor = (tag: string, key: string): string => encodeJson([tag, key]);

export function decodeKeyCursor(text: string, tag: string): string | undefined {
  const value = decodeJson(text);
  return Array.isArray(value) && value.length === 2 && value[0] === tag && typeof value[1] === "string" ? value[1] : undefined;
}

export const BAD_CURSOR: ProblemBody = invalid([{ field: "cursor", message: "cursor is not one this API returned" }]);

/** A query string by its schema; a 422 naming each wrong parameter. */
export function parseQuery<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, query: URLSearchParams): { ok: true; value: T } | Failure {
  // Every query parameter is one line (security D5): a NUL would reach PostgreSQL as a 500.
  const dirty = [...query].filter(([name, value]) => !isSingleLine(name) || !isSingleLine(value));
  if (dirty.length > 0) {
    const errors = dirty.map(([name]) => ({ field: name, message: singleLineMessage(name) }));
    return { ok: false, problem: invalid(errors, "The query has invalid parameters.") };
  }
  const parsed = schema.safeParse(Object.fromEntries(query));
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error, "unknown parameter"), "The query has invalid parameters.") };
  return { ok: true, value: parsed.data };
}

/**
 * A list endpoint's query: its schema's fields, and the cursor decoded (it must be one this API
 * handed out for the same list: a time cursor of the prefix's rows, or what `decode` accepts).
 */
export function parseListQuery<T extends { cursor?: string }, C = TimeCursor>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  query: URLSearchParams,
  cursorOf: PublicIdPrefix | ((text: string) => C | undefined),
): { ok: true; query: T; after: C | undefined } | Failure {
  const parsed = parseQuery(schema, query);
  if (!parsed.ok) return parsed;
  const { cursor } = parsed.value;
  const decode = typeof cursorOf === "string" ? (text: string) => decodeCursor(text, cursorOf) as C | undefined : cursorOf;
  const after = cursor === undefined ? undefined : decode(cursor);
  if (cursor !== undefined && after === undefined) return { ok: false, problem: BAD_CURSOR };
  return { ok: true, query: parsed.value, after };
}
