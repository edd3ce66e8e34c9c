// The supplier's suppression list through the API: which addresses we no longer mail for it, and
// lifting one (say the customer fixed its mailbox). Scoped by the API key's supplier: another
// supplier's address answers exactly like an unknown one (security D4). Lifting is audited.
import { z } from "zod";
import type { Db } from "../../../db/client";
import { limitParam } from "~/api/query-schemas";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import { singleLine } from "~/api/text";
import {
  clearContactsWithAddress, deleteSuppression, listSuppressions, normalizeAddress, type SuppressionRow,
} from "~/features/emails/db/email-suppressions.server";
import { decodeKeyCursor, encodeKeyCursor, parseListQuery } from "~/api/cursor";
import type { Failure, ProblemBody } from "~/api/problem.server";
import { closeInboxItem } from "~/features/inbox/open-inbox-item.server";

export type SuppressionJson = {
  address: string;
  reason: "bounced" | "complained";
  /** The receiving server's words (bounce type and message), when it gave any. */
  detail: string | null;
  /** Our email that bounced or was reported. */
  email_id: string | null;
  created_at: string;
};

export const SUPPRESSION_NOT_FOUND: ProblemBody = { status: 404, title: "Not found", detail: "Suppression not found." };

export function suppressionJson(row: SuppressionRow): SuppressionJson {
  return {
    address: row.address,
    reason: row.reason,
    detail: row.detail,
    email_id: row.emailId,
    created_at: row.createdAt.toISOString(),
  };
}

export const listQuerySchema = z
  .object({
    address: singleLine(z.string().trim().min(1, "address must not be empty").max(254, "address must be at most 254 characters"), "address").optional(),
    cursor: z.string().min(1, "cursor must not be empty").max(400, "cursor is not one this API returned").optional(),
    limit: limitParam.optional(),
  })
  .strict();

// The cursor is the last address of the page, opaque to clients like the other lists' cursors.
const CURSOR_TAG = "sup";

export type SuppressionPage = { data: SuppressionJson[]; next_cursor: string | null };

export async function listSuppressionsPage(
  db: Db,
  params: { supplierId: string; query: URLSearchParams },
): Promise<{ ok: true; page: SuppressionPage } | Failure> {
  const parsed = parseListQuery(listQuerySchema, params.query, (text) => decodeKeyCursor(text, CURSOR_TAG));
  if (!parsed.ok) return parsed;
  const { query: { address, limit = 50 }, after } = parsed;
  const { rows, hasMore } = await listSuppressions(db, params.supplierId, { after, address, limit });
  const last = rows[rows.length - 1];
  return { ok: true, page: { data: rows.map(suppressionJson), next_cursor: hasMore && last ? encodeKeyCursor(CURSOR_TAG, last.address) : null } };
}

export async function getSuppression(db: Db, supplierId: string, address: string): Promise<SuppressionJson | undefined> {
  const { rows } = await listSuppressions(db, supplierId, { address: normalizeAddress(address), limit: 1 });
  return rows[0] && suppressionJson(rows[0]);
}

/**
 * Mails to the address go out again, and its contacts no longer show as failing. False when the
 * supplier had no suppression for it.
 */
export async function liftSuppression(db: Db, supplierId: string, address: string, actor: Actor): Promise<boolean> {
  return db.transaction(async (tx) => {
    const row = await deleteSuppression(tx, supplierId, address);
    if (!row) return false;
    const contactIds = await clearContactsWithAddress(tx, supplierId, row.address);
    // Mail reaches the address again: nothing is left for the inbox to do about it.
    await closeInboxItem(tx, { supplierId, kind: "failing_address", sourceId: row.address }, new Date());
    await appendEvent(tx, {
      ...actorColumns(actor),
      supplierId,
      type: "email_suppression.lifted",
      data: { address: row.address, reason: row.reason, detail: row.detail, suppressed_at: row.createdAt.toISOString(), contact_ids: contactIds },
    });
    return true;
  });
}
