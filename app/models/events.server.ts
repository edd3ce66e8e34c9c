import { and, asc, eq } from "drizzle-orm";
import { events } from "../../db/schema";
import type { DbOrTx } from "../../db/client";
import { newPublicId } from "~/domain/public-id";

export type EventActor = "payer" | "supplier" | "system" | "operator";

export type NewEvent = {
  supplierId: string;
  invoiceId?: string | null;
  customerId?: string | null;
  type: string;
  actor: EventActor;
  /** The API key, operator or link that acted; never a secret. */
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  data?: Record<string, unknown>;
};

export type EventRow = typeof events.$inferSelect;

/** Appends to the audit log; rows are never updated or deleted (a trigger enforces it). */
export async function appendEvent(db: DbOrTx, event: NewEvent): Promise<EventRow> {
  const [row] = await db
    .insert(events)
    .values({ id: newPublicId("evt"), data: {}, ...event })
    .returning();
  return row!;
}

export async function listInvoiceEvents(db: DbOrTx, supplierId: string, invoiceId: string): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.supplierId, supplierId), eq(events.invoiceId, invoiceId)))
    .orderBy(asc(events.seq));
}
