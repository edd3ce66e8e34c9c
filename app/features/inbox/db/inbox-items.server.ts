// The inbox's own rows: one item per source row (keyed by supplier, kind and source id) with its
// state and assignee, and the team's notes. Every query is scoped by supplier; the list walks one
// of the (supplier, …, opened_at desc, id desc) indexes and stops after a page (keyset paging).
import { and, asc, desc, eq, isNull, ne, sql, type SQL } from "drizzle-orm";
import { customers, inboxItems, inboxNotes, invoices, users, type InboxItemRow, type InboxNoteRow } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import type { InboxKind, InboxState, InboxStateFilter } from "~/domain/inbox";
import { newPublicId } from "~/domain/public-id";

export type { InboxItemRow, InboxNoteRow };

export type NewInboxItem = {
  supplierId: string;
  kind: InboxKind;
  sourceId: string;
  invoiceId?: string | null;
  customerId?: string | null;
  openedAt: Date;
};

/**
 * Opens the source row's item; a source row that comes back (an address suppressed again after it
 * was lifted) reopens its item as new. Returns the item's id.
 */
export async function upsertInboxItem(db: DbOrTx, item: NewInboxItem): Promise<string> {
  const [row] = await db
    .insert(inboxItems)
    .values({ id: newPublicId("ibx"), ...item, state: "new", updatedAt: item.openedAt })
    .onConflictDoUpdate({
      target: [inboxItems.supplierId, inboxItems.kind, inboxItems.sourceId],
      set: { state: "new", openedAt: item.openedAt, updatedAt: item.openedAt },
    })
    .returning({ id: inboxItems.id });
  return row!.id;
}

/** upsertInboxItem for many new source rows at once (a bank file's queued payments), in statements of 1,000. */
export async function insertInboxItems(db: DbOrTx, items: readonly NewInboxItem[]): Promise<void> {
  for (let start = 0; start < items.length; start += 1000) {
    await db
      .insert(inboxItems)
      .values(items.slice(start, start + 1000).map((item) => ({ id: newPublicId("ibx"), ...item, state: "new" as const, updatedAt: item.openedAt })))
      .onConflictDoNothing({ target: [inboxItems.supplierId, inboxItems.kind, inboxItems.sourceId] });
  }
}

/** The source row's item is done (say its dispute was answered through the API); its id, if any. */
export async function markSourceDone(db: DbOrTx, source: { supplierId: string; kind: InboxKind; sourceId: string }, now: Date): Promise<string | undefined> {
  const [row] = await db
    .update(inboxItems)
    .set({ state: "done", updatedAt: now })
    .where(and(eq(inboxItems.supplierId, source.supplierId), eq(inboxItems.kind, source.kind), eq(inboxItems.sourceId, source.sourceId)))
    .returning({ id: inboxItems.id });
  return row?.id;
}

export type InboxFilter = {
  state: InboxStateFilter;
  kind?: InboxKind;
  /** A user id, or null for the items nobody has taken. */
  assigneeId?: string | null;
  /** The last row of the previous page: its exact opened_at and id. */
  after?: { createdAt: string; id: string };
  limit: number;
};

export type InboxListRow = InboxItemRow & {
  openedAtExact: string;
  invoiceNumber: string | null;
  customerName: string | null;
  assigneeEmail: string | null;
};

const listColumns = {
  item: inboxItems,
  // Microseconds survive here, unlike in a JS Date; the cursor needs them to neither skip nor repeat.
  openedAtExact: sql<string>`to_char(${inboxItems.openedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  invoiceNumber: invoices.number,
  customerName: customers.name,
  assigneeEmail: users.email,
};

function filterConditions(supplierId: string, filter: InboxFilter): SQL[] {
  const conditions: SQL[] = [eq(inboxItems.supplierId, supplierId)];
  // "open" is spelled exactly as the partial index's predicate, so the planner can use it.
  if (filter.state === "open") conditions.push(ne(inboxItems.state, "done"));
  else if (filter.state !== "all") conditions.push(eq(inboxItems.state, filter.state));
  if (filter.kind) conditions.push(eq(inboxItems.kind, filter.kind));
  if (filter.assigneeId === null) conditions.push(isNull(inboxItems.assigneeId));
  else if (filter.assigneeId !== undefined) conditions.push(eq(inboxItems.assigneeId, filter.assigneeId));
  if (filter.after) {
    conditions.push(sql`(${inboxItems.openedAt}, ${inboxItems.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id})`);
  }
  return conditions;
}

/** A page of the supplier's items, newest first, with what a row of the list shows. */
export async function listInboxItems(db: DbOrTx, supplierId: string, filter: InboxFilter): Promise<{ rows: InboxListRow[]; hasMore: boolean }> {
  const rows = await db
    .select(listColumns)
    .from(inboxItems)
    .leftJoin(invoices, eq(invoices.id, inboxItems.invoiceId))
    .leftJoin(customers, eq(customers.id, inboxItems.customerId))
    .leftJoin(users, eq(users.id, inboxItems.assigneeId))
    .where(and(...filterConditions(supplierId, filter)))
    .orderBy(desc(inboxItems.openedAt), desc(inboxItems.id))
    .limit(filter.limit + 1);
  return {
    rows: rows.slice(0, filter.limit).map(({ item, ...rest }) => ({ ...item, ...rest })),
    hasMore: rows.length > filter.limit,
  };
}

/** New items, counted up to `cap` (an index-only walk of at most `cap` entries). */
export async function countNewItems(db: DbOrTx, supplierId: string, cap: number): Promise<number> {
  const [row] = await db.execute<{ count: number }>(sql`
    select count(*)::int as count from (
      select 1 from ${inboxItems} where ${inboxItems.supplierId} = ${supplierId} and ${inboxItems.state} = 'new' limit ${cap}
    ) as capped`);
  return row?.count ?? 0;
}

/** One item of this supplier's (another supplier's id is undefined, like an unknown one). */
export async function findInboxItem(db: DbOrTx, supplierId: string, itemId: string, options: { forUpdate?: boolean } = {}): Promise<InboxListRow | undefined> {
  const query = db
    .select(listColumns)
    .from(inboxItems)
    .leftJoin(invoices, eq(invoices.id, inboxItems.invoiceId))
    .leftJoin(customers, eq(customers.id, inboxItems.customerId))
    .leftJoin(users, eq(users.id, inboxItems.assigneeId))
    .where(and(eq(inboxItems.supplierId, supplierId), eq(inboxItems.id, itemId)))
    .limit(1);
  const [row] = await (options.forUpdate ? query.for("update", { of: inboxItems }) : query);
  return row && { ...row.item, openedAtExact: row.openedAtExact, invoiceNumber: row.invoiceNumber, customerName: row.customerName, assigneeEmail: row.assigneeEmail };
}

export async function setItemState(db: DbOrTx, itemId: string, state: InboxState, now: Date): Promise<void> {
  await db.update(inboxItems).set({ state, updatedAt: now }).where(eq(inboxItems.id, itemId));
}

export async function setItemAssignee(db: DbOrTx, itemId: string, assigneeId: string | null, now: Date): Promise<void> {
  await db.update(inboxItems).set({ assigneeId, updatedAt: now }).where(eq(inboxItems.id, itemId));
}

export async function insertNote(db: DbOrTx, note: { supplierId: string; itemId: string; authorId: string; body: string; now: Date }): Promise<InboxNoteRow> {
  const [row] = await db
    .insert(inboxNotes)
    .values({ id: newPublicId("ibn"), supplierId: note.supplierId, itemId: note.itemId, authorId: note.authorId, body: note.body, createdAt: note.now })
    .returning();
  return row!;
}

export async function listNotes(db: DbOrTx, supplierId: string, itemId: string) {
  return db
    .select({ id: inboxNotes.id, body: inboxNotes.body, createdAt: inboxNotes.createdAt, authorEmail: users.email })
    .from(inboxNotes)
    .innerJoin(users, eq(users.id, inboxNotes.authorId))
    .where(and(eq(inboxNotes.supplierId, supplierId), eq(inboxNotes.itemId, itemId)))
    .orderBy(asc(inboxNotes.createdAt), asc(inboxNotes.id));
}
