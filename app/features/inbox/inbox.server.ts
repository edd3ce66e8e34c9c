// The console inbox (/app/inbox): what needs the supplier's team, from every source, in one list
// with a state, an assignee, internal notes and the answer that goes to the payer. Reading it and
// working it are separate permissions (the routes check them); every use case is scoped to the
// signed-in supplier (another supplier's item is not_found, nothing written) and audited.
import type { Db, Tx } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { appendEvent } from "~/platform/audit/db/events.server";
import { decodeCursor, encodeCursor } from "~/api/cursor";
import {
  INBOX_KINDS, NEW_COUNT_CAP, NOTE_MAX_LENGTH, isInboxKind, isInboxState, isInboxStateFilter, type InboxKind, type InboxState, type InboxStateFilter,
} from "~/domain/inbox";
import { isPublicId } from "~/domain/public-id";
import { findMembership, listTeam } from "~/features/console/db/memberships.server";
import type { ConsoleActor } from "~/features/console/console-audit.server";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { resolveDisputeFromApi } from "~/features/invoices/disputes.server";
import {
  countNewItems, findInboxItem, insertNote, listInboxItems, listNotes, setItemAssignee, setItemState, type InboxListRow,
} from "./db/inbox-items.server";
import { INBOX_SOURCES, sourceOf } from "./sources/index.server";
import type { InboxDetail } from "./sources/source";

export const INBOX_PAGE_SIZE = 50;

export type InboxContext = { supplierId: string; actor: ConsoleActor; now: Date };

export type InboxQuery = { state: InboxStateFilter; kind: InboxKind | null; assignee: "me" | "none" | string | null; cursor: string | null };

/** The list's filters from its query string; anything unknown falls back to the default view. */
export function parseInboxQuery(params: URLSearchParams): InboxQuery {
  const state = params.get("state");
  const kind = params.get("kind");
  const assignee = params.get("assignee");
  return {
    state: isInboxStateFilter(state) ? state : "open",
    kind: isInboxKind(kind) ? kind : null,
    assignee: assignee === "me" || assignee === "none" || (assignee !== null && isPublicId("usr", assignee)) ? assignee : null,
    cursor: params.get("cursor") || null,
  };
}

export type InboxItemView = {
  id: string;
  kind: InboxKind;
  state: InboxState;
  invoiceId: string | null;
  invoiceNumber: string | null;
  customerName: string | null;
  assigneeId: string | null;
  assigneeEmail: string | null;
  openedAt: string;
  detail: InboxDetail | null;
};

function itemView(row: InboxListRow, detail: InboxDetail | undefined): InboxItemView {
  return {
    id: row.id, kind: row.kind, state: row.state, invoiceId: row.invoiceId, invoiceNumber: row.invoiceNumber, customerName: row.customerName,
    assigneeId: row.assigneeId, assigneeEmail: row.assigneeEmail, openedAt: row.openedAt.toISOString(), detail: detail ?? null,
  };
}

/** Each page's rows get their sources' details: one query per source present on the page. */
async function withDetails(db: Db, supplierId: string, rows: InboxListRow[]): Promise<InboxItemView[]> {
  const details = new Map<string, InboxDetail>();
  await Promise.all(
    INBOX_SOURCES.map(async (source) => {
      const mine = rows.filter((row) => source.kinds.includes(row.kind));
      if (mine.length === 0) return;
      const described = await source.describe(db, supplierId, mine.map((row) => row.sourceId));
      for (const row of mine) {
        const detail = described.get(row.sourceId);
        if (detail) details.set(row.id, detail);
      }
    }),
  );
  return rows.map((row) => itemView(row, details.get(row.id)));
}

export async function supplierTimeZone(db: Db, supplierId: string): Promise<string> {
  return (await getSupplier(db, supplierId))?.timeZone ?? "Europe/Stockholm";
}

/** A page of the inbox for the list's filters; a cursor this page did not hand out starts over. */
export async function inboxList(db: Db, supplierId: string, userId: string, query: InboxQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, "ibx") : undefined;
  const assigneeId = query.assignee === "me" ? userId : query.assignee === "none" ? null : (query.assignee ?? undefined);
  const [{ rows, hasMore }, team] = await Promise.all([
    listInboxItems(db, supplierId, { state: query.state, kind: query.kind ?? undefined, assigneeId, after, limit: INBOX_PAGE_SIZE }),
    listTeam(db, supplierId),
  ]);
  const last = rows.at(-1);
  return {
    items: await withDetails(db, supplierId, rows),
    nextCursor: hasMore && last ? encodeCursor({ createdAt: last.openedAtExact, id: last.id }) : null,
    kinds: INBOX_KINDS,
    team: team.map((member) => ({ id: member.userId, email: member.email })),
  };
}

/** The badge on every console page: new items, counted up to NEW_COUNT_CAP. */
export const newInboxCount = (db: Db, supplierId: string) => countNewItems(db, supplierId, NEW_COUNT_CAP);

/** One item with its details, notes and the team to assign it to; undefined when not this supplier's. */
export async function inboxItem(db: Db, supplierId: string, itemId: string) {
  if (!isPublicId("ibx", itemId)) return undefined;
  const row = await findInboxItem(db, supplierId, itemId);
  if (!row) return undefined;
  const [described, notes, team] = await Promise.all([
    sourceOf(row.kind).describe(db, supplierId, [row.sourceId]),
    listNotes(db, supplierId, row.id),
    listTeam(db, supplierId),
  ]);
  const item = itemView(row, described.get(row.sourceId));
  return {
    item,
    notes: notes.map((note) => ({ id: note.id, body: note.body, authorEmail: note.authorEmail, createdAt: note.createdAt.toISOString() })),
    team: team.map((member) => ({ id: member.userId, email: member.email })),
    answerable: item.detail?.type === "dispute" && item.detail.status === "open",
  };
}

export type InboxFailure = "not_found" | "invalid_state" | "not_member" | "empty_note" | "note_too_long" | "not_answerable";
export type InboxResult = { ok: true } | { ok: false; reason: InboxFailure };
export type AnswerResult = InboxResult | { ok: false; reason: "invalid"; errors: Record<string, string> };

/** Locks the item, runs the change and its audit event in one transaction. */
async function changeItem(
  db: Db,
  context: InboxContext,
  itemId: string,
  change: (tx: Tx, item: InboxListRow) => Promise<{ type: string; data: Record<string, unknown> } | InboxFailure | null>,
): Promise<InboxResult> {
  if (!isPublicId("ibx", itemId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx): Promise<InboxResult> => {
    const item = await findInboxItem(tx, context.supplierId, itemId, { forUpdate: true });
    if (!item) return { ok: false, reason: "not_found" };
    const outcome = await change(tx, item);
    if (typeof outcome === "string") return { ok: false, reason: outcome };
    if (outcome) {
      await appendEvent(tx, {
        supplierId: context.supplierId, invoiceId: item.invoiceId, customerId: item.customerId, type: outcome.type,
        actor: "user", actorId: context.actor.userId, ip: context.actor.ip || null, userAgent: context.actor.userAgent || null,
        data: { item_id: item.id, kind: item.kind, source_id: item.sourceId, ...outcome.data },
      });
    }
    return { ok: true };
  });
}

export function changeInboxState(db: Db, context: InboxContext, itemId: string, state: string): Promise<InboxResult> {
  if (!isInboxState(state)) return Promise.resolve({ ok: false, reason: "invalid_state" });
  return changeItem(db, context, itemId, async (tx, item) => {
    if (item.state === state) return null;
    await setItemState(tx, item.id, state, context.now);
    return { type: "inbox.state_changed", data: { from: item.state, to: state } };
  });
}

/** To someone on this supplier's team, or to nobody (an empty id). */
export function assignInboxItem(db: Db, context: InboxContext, itemId: string, assigneeId: string): Promise<InboxResult> {
  return changeItem(db, context, itemId, async (tx, item) => {
    const next = assigneeId === "" ? null : assigneeId;
    if (next !== null && !(await findMembership(tx, next, context.supplierId))) return "not_member";
    if (item.assigneeId === next) return null;
    await setItemAssignee(tx, item.id, next, context.now);
    return { type: "inbox.assigned", data: { from: item.assigneeId, to: next } };
  });
}

/** An internal note: the team sees it, the payer never does. */
export function addInboxNote(db: Db, context: InboxContext, itemId: string, body: string): Promise<InboxResult> {
  const text = body.replace(/\r\n/g, "\n").trim();
  if (text === "") return Promise.resolve({ ok: false, reason: "empty_note" });
  if (text.length > NOTE_MAX_LENGTH) return Promise.resolve({ ok: false, reason: "note_too_long" });
  return changeItem(db, context, itemId, async (tx, item) => {
    const note = await insertNote(tx, { supplierId: context.supplierId, itemId: item.id, authorId: context.actor.userId, body: text, now: context.now });
    return { type: "inbox.note_added", data: { note_id: note.id } };
  });
}

const ANSWER_FIELDS = ["status", "message", "credit_note_reference"];

export type AnswerInput = { status: string; message: string; creditNoteReference: string };

/**
 * The answer to the payer of a problem report, dispute or delivery problem, through the one use
 * case that answers a dispute (the API's): the payer is emailed and the payer's page shows it, and
 * the item is done. Field errors name the form's fields.
 */
export async function answerInboxItem(db: Db, config: Config, context: InboxContext, itemId: string, input: AnswerInput): Promise<AnswerResult> {
  if (!isPublicId("ibx", itemId)) return { ok: false, reason: "not_found" };
  const item = await findInboxItem(db, context.supplierId, itemId);
  if (!item) return { ok: false, reason: "not_found" };
  if ((item.kind !== "dispute" && item.kind !== "delivery_problem") || !item.invoiceId) return { ok: false, reason: "not_answerable" };
  const optional = (value: string) => (value.trim() === "" ? undefined : value);
  const result = await resolveDisputeFromApi(db, config, {
    supplierId: context.supplierId,
    userId: context.actor.userId,
    ip: context.actor.ip || null,
    userAgent: context.actor.userAgent || null,
    invoiceId: item.invoiceId,
    disputeId: item.sourceId,
    input: { status: input.status, message: optional(input.message), credit_note_reference: optional(input.creditNoteReference) },
    now: context.now,
  });
  if (result.ok) return { ok: true };
  if (result.problem.status === 404) return { ok: false, reason: "not_found" };
  if (result.problem.status === 409) return { ok: false, reason: "not_answerable" };
  const errors: Record<string, string> = {};
  for (const error of result.problem.errors ?? []) {
    const field = ANSWER_FIELDS.includes(error.field) ? error.field : "status";
    errors[field] = `console.inbox.error.answer.${field}`;
  }
  return { ok: false, reason: "invalid", errors };
}
