import { and, asc, eq, sql } from "drizzle-orm";
import { events } from "../../../../db/schema";
import type { Db, DbOrTx } from "../../../../db/client";
import { insertRows } from "../../../../db/bulk-insert";
import { newPublicId } from "~/domain/public-id";

/** "user": a person signed in to the supplier console (actorId: their usr_ id). */
export type EventActor = "payer" | "supplier" | "system" | "operator" | "user";

export type NewEvent = {
  supplierId: string;
  invoiceId?: string | null;
  customerId?: string | null;
  type: string;
  actor: EventActor;
  /** The API key, operator, console user or link that acted; never a secret. */
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  data?: Record<string, unknown>;
};

export type EventRow = typeof events.$inferSelect;

/** Who acted, as the audit log records it. */
export type Actor = { actor: EventActor; actorId: string | null; ip?: string | null; userAgent?: string | null };

export function actorColumns(actor: Actor) {
  return { actor: actor.actor, actorId: actor.actorId, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null };
}

const placeholder = (name: keyof NewEvent | "id") => sql.placeholder(name);

function insertEventQuery(db: DbOrTx) {
  return db
    .insert(events)
    .values({
      id: placeholder("id"),
      supplierId: placeholder("supplierId"),
      invoiceId: placeholder("invoiceId"),
      customerId: placeholder("customerId"),
      type: placeholder("type"),
      actor: placeholder("actor"),
      actorId: placeholder("actorId"),
      ip: placeholder("ip"),
      userAgent: placeholder("userAgent"),
      data: placeholder("data"),
    })
    .prepare("append_event");
}

// Every page view appends an event: a prepared statement per connection pool saves PostgreSQL
// parsing and planning it, and drizzle building it, each time (transactions build their own).
const prepared = new WeakMap<DbOrTx, ReturnType<typeof insertEventQuery>>();

function eventValues(event: NewEvent) {
  return {
    id: newPublicId("evt"),
    supplierId: event.supplierId,
    invoiceId: event.invoiceId ?? null,
    customerId: event.customerId ?? null,
    type: event.type,
    actor: event.actor,
    actorId: event.actorId ?? null,
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    data: event.data ?? {},
  };
}

/** Appends to the audit log; rows are never updated or deleted (a trigger enforces it). */
export async function appendEvent(db: DbOrTx, event: NewEvent): Promise<void> {
  let query = prepared.get(db);
  if (!query) {
    query = insertEventQuery(db);
    prepared.set(db, query);
  }
  await query.execute(eventValues(event));
}

/**
 * Appends many events in one statement, in the order given (their seq follows it): the batch
 * path of the CSV import writes each invoice's events this way instead of a round trip each.
 */
export async function appendEvents(db: DbOrTx, list: readonly NewEvent[]): Promise<void> {
  await insertRows(db, events, list.map(eventValues));
}

/**
 * Appends a page view without waiting for the disk flush (asynchronous commit, for this one
 * statement only): on this machine a flush sometimes takes 50–100 ms, and a payer should not wait
 * for it. A database crash — not a restart — can lose the last fraction of a second of views;
 * every other event is committed synchronously.
 */
export async function appendViewEvent(db: Db, event: NewEvent): Promise<void> {
  const v = eventValues(event);
  await db.$client`
    with async_commit as materialized (select set_config('synchronous_commit', 'off', true))
    insert into events (id, supplier_id, invoice_id, customer_id, type, actor, actor_id, ip, user_agent, data)
    select ${v.id}, ${v.supplierId}, ${v.invoiceId}, ${v.customerId}, ${v.type}, ${v.actor}, ${v.actorId},
      ${v.ip}, ${v.userAgent}, ${JSON.stringify(v.data)}::jsonb
    from async_commit`;
}

export async function listInvoiceEvents(db: DbOrTx, supplierId: string, invoiceId: string): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.supplierId, supplierId), eq(events.invoiceId, invoiceId)))
    .orderBy(asc(events.seq));
}
