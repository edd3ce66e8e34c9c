// The full per-payment report of a bank-file import, page by page (GET /api/v1/imports/{id}/items,
// the CLI): the import's own report holds its counts and the first REPORT_SAMPLE items and flags;
// every item, with its flags in words, is read here from the batch parts the import keeps. A page
// reads one batch's part at a time, however large the file.
import { z } from "zod";
import type { Db } from "../../../db/client";
import { decodeKeyCursor, encodeKeyCursor, parseListQuery } from "~/api/cursor";
import type { Failure } from "~/api/problem.server";
import { limitParam } from "~/api/query-schemas";
import { FLAG_KINDS, type BankFileFlag, type BankFileItem, type BookingResult, type FlagKind } from "~/features/bank-files/bank-file-booking.server";
import { getImport, importParts, nextPart } from "~/platform/imports/imports.server";

/** An item with the messages of its flags: what a person reads next to the bank statement. */
export type BankFileReportEntry = BankFileItem & { flag_details: (Omit<BankFileFlag, "position" | "transaction_id" | "amount" | "currency"> & { kind: FlagKind })[] };

export type BankFileReportPage = { data: BankFileReportEntry[]; next_cursor: string | null };

export const reportItemsQuerySchema = z.object({ limit: limitParam.optional(), cursor: z.string().optional() }).strict();

const CURSOR_TAG = "import-items";
const DEFAULT_LIMIT = 100;

/** Where a page starts: a batch part and an item in it. */
type Place = { batch: number; offset: number };

function decodePlace(text: string): Place | undefined {
  const key = decodeKeyCursor(text, CURSOR_TAG);
  const match = key === undefined ? null : /^(\d{1,9}):(\d{1,9})$/.exec(key);
  return match ? { batch: Number(match[1]), offset: Number(match[2]) } : undefined;
}

function entryOf(part: BookingResult, item: BankFileItem): BankFileReportEntry {
  const details = FLAG_KINDS.flatMap((kind) =>
    part.flags[kind]
      .filter((flag) => flag.position === item.position && flag.transaction_id === item.transaction_id)
      .map((flag) => ({ kind, reference: flag.reference, invoice_id: flag.invoice_id, invoice_number: flag.invoice_number, message: flag.message })),
  );
  return { ...item, flag_details: details };
}

/**
 * A page of a bank-file import's items, in file order; `not_found` for another supplier's import,
 * one that is no bank file, or one that has not ended (its report is not final yet).
 */
export async function bankFileReportPage(
  db: Db,
  params: { supplierId: string; importId: string; query: URLSearchParams },
): Promise<{ ok: true; page: BankFileReportPage } | Failure | { ok: false; reason: "not_found" }> {
  const parsed = parseListQuery(reportItemsQuerySchema, params.query, decodePlace);
  if (!parsed.ok) return parsed;
  const row = await getImport(db, params.supplierId, params.importId);
  if (!row || row.kind !== "bank_file" || row.state !== "succeeded") return { ok: false, reason: "not_found" };
  const limit = parsed.query.limit ?? DEFAULT_LIMIT;
  let place: Place = parsed.after ?? { batch: 0, offset: 0 };
  const data: BankFileReportEntry[] = [];
  for (;;) {
    const [current] = (await importParts(db, params.supplierId, params.importId, place.batch, 1)) ?? [];
    if (!current) return { ok: true, page: { data, next_cursor: null } };
    const part = current.report as BookingResult;
    const items = part.items.slice(place.offset, place.offset + limit - data.length);
    data.push(...items.map((item) => entryOf(part, item)));
    const offset = place.offset + items.length;
    // The page may run on into the next part, if there is one.
    const following = offset < part.items.length ? current.batch : await nextPart(db, params.importId, current.batch + 1);
    if (following === undefined) return { ok: true, page: { data, next_cursor: null } };
    const next = following === current.batch ? { batch: following, offset } : { batch: following, offset: 0 };
    if (data.length >= limit) return { ok: true, page: { data, next_cursor: encodeKeyCursor(CURSOR_TAG, `${next.batch}:${next.offset}`) } };
    place = next;
  }
}

/** Every item of an ended bank-file import, in file order, one batch part in memory at a time (the CLI's full listing). */
export async function* bankFileReportEntries(db: Db, supplierId: string, importId: string): AsyncGenerator<BankFileReportEntry> {
  for (let from = 0; ; ) {
    const [current] = (await importParts(db, supplierId, importId, from, 1)) ?? [];
    if (!current) return;
    const part = current.report as BookingResult;
    for (const item of part.items) yield entryOf(part, item);
    from = current.batch + 1;
  }
}
