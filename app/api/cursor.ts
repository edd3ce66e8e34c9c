// List cursors are opaque to clients; inside is the last row's exact created_at (microseconds,
// which a JS Date would lose) and id, so a page neither skips nor repeats rows.
import { isPublicId, type PublicIdPrefix } from "~/domain/public-id";

export type TimeCursor = { createdAt: string; id: string };

const EXACT_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(cursor: TimeCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url");
}

/** Undefined for anything this API did not hand out (including another kind of id). */
export function decodeCursor(text: string, prefix: PublicIdPrefix): TimeCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== "string" || !EXACT_INSTANT.test(createdAt) || Number.isNaN(Date.parse(createdAt))) return undefined;
    if (typeof id !== "string" || !isPublicId(prefix, id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}
