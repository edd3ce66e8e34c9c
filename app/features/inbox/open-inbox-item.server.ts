// The hook every source calls in the transaction that writes its row, so an item exists exactly
// when its source row does (no sweep, no lag, no second copy of a source's rules): a payer's
// report, a bounce. And when a source row is settled elsewhere (a dispute answered through the
// API) its item is done.
import type { DbOrTx } from "../../../db/client";
import type { InboxKind } from "~/domain/inbox";
import { insertInboxItems, markSourceDone, upsertInboxItem, type NewInboxItem } from "./db/inbox-items.server";

export async function openInboxItem(tx: DbOrTx, item: NewInboxItem): Promise<string> {
  return upsertInboxItem(tx, item);
}

/** openInboxItem for many new source rows written in one batch (they have no item yet). */
export async function openInboxItems(tx: DbOrTx, items: readonly NewInboxItem[]): Promise<void> {
  await insertInboxItems(tx, items);
}

export async function closeInboxItem(tx: DbOrTx, source: { supplierId: string; kind: InboxKind; sourceId: string }, now: Date): Promise<void> {
  await markSourceDone(tx, source, now);
}
