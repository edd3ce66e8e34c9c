// Webhook endpoints, messages and deliveries. Every read a supplier can trigger is scoped by its
// supplier id; the delivery job reads by delivery id only (it acts for whoever owns the row).
import { and, arrayContains, desc, eq, isNull, or, sql } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints, webhookMessages } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import { insertRows } from "../../../../db/bulk-insert";
import { newPublicId } from "~/domain/public-id";

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookMessage = typeof webhookMessages.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type EndpointChanges = Partial<Pick<WebhookEndpoint, "url" | "eventTypes" | "enabled">>;

export async function insertEndpoint(
  db: DbOrTx,
  values: { supplierId: string; url: string; secret: string; eventTypes: string[] | null; enabled?: boolean },
): Promise<WebhookEndpoint> {
  const [row] = await db.insert(webhookEndpoints).values({ id: newPublicId("whe"), ...values }).returning();
  return row!;
}

export async function listEndpoints(db: DbOrTx, supplierId: string): Promise<WebhookEndpoint[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.supplierId, supplierId))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
}

/** Without a supplier id only for the operator CLI, which acts across suppliers. */
export async function getEndpoint(db: DbOrTx, id: string, supplierId?: string): Promise<WebhookEndpoint | undefined> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), supplierId === undefined ? undefined : eq(webhookEndpoints.supplierId, supplierId)))
    .limit(1);
  return row;
}

export async function updateEndpoint(
  db: DbOrTx,
  supplierId: string,
  id: string,
  changes: EndpointChanges,
): Promise<WebhookEndpoint | undefined> {
  const [row] = await db
    .update(webhookEndpoints)
    .set(changes)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.supplierId, supplierId)))
    .returning();
  return row;
}

/**
 * Removes an endpoint with its delivery log (the log points at the endpoint). Messages stay: they
 * are the supplier's record of what happened. A queued delivery job then finds nothing to send.
 */
export async function deleteEndpoint(db: DbOrTx, supplierId: string, id: string): Promise<boolean> {
  const owned = db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.supplierId, supplierId)));
  await db.delete(webhookDeliveries).where(sql`${webhookDeliveries.endpointId} in ${owned}`);
  const deleted = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.supplierId, supplierId)))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

export async function insertMessage(
  db: DbOrTx,
  values: { supplierId: string; type: string; payload: Record<string, unknown> },
): Promise<WebhookMessage> {
  const [row] = await db.insert(webhookMessages).values({ id: newPublicId("whm"), ...values }).returning();
  return row!;
}

/** One pending delivery per enabled endpoint of the supplier that wants this event type. */
export async function insertDeliveriesFor(db: DbOrTx, message: WebhookMessage): Promise<string[]> {
  const endpoints = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.supplierId, message.supplierId),
        eq(webhookEndpoints.enabled, true),
        or(isNull(webhookEndpoints.eventTypes), arrayContains(webhookEndpoints.eventTypes, [message.type])),
      ),
    );
  if (endpoints.length === 0) return [];
  const rows = await db
    .insert(webhookDeliveries)
    .values(endpoints.map((endpoint) => ({ id: newPublicId("whd"), messageId: message.id, endpointId: endpoint.id })))
    .returning({ id: webhookDeliveries.id });
  return rows.map((row) => row.id);
}

/**
 * The batch form of insertMessage + insertDeliveriesFor, for set-based producers (a bank file's
 * payments): the supplier's endpoints read once, messages and deliveries in multi-row inserts.
 * Answers the deliveries' ids in the order of the events.
 */
export async function insertMessagesWithDeliveries(
  db: DbOrTx,
  supplierId: string,
  list: readonly { type: string; payload: Record<string, unknown> }[],
): Promise<string[]> {
  if (list.length === 0) return [];
  const endpoints = await db
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.supplierId, supplierId), eq(webhookEndpoints.enabled, true)));
  const messages = list.map((event) => ({ id: newPublicId("whm"), supplierId, type: event.type, payload: event.payload }));
  await insertRows(db, webhookMessages, messages);
  const deliveries = messages.flatMap((message) =>
    endpoints
      .filter((endpoint) => endpoint.eventTypes === null || endpoint.eventTypes.includes(message.type))
      .map((endpoint) => ({ id: newPublicId("whd"), messageId: message.id, endpointId: endpoint.id })),
  );
  await insertRows(db, webhookDeliveries, deliveries);
  return deliveries.map((delivery) => delivery.id);
}

export type DeliveryTarget = { delivery: WebhookDelivery; endpoint: WebhookEndpoint; message: WebhookMessage };

export async function getDeliveryTarget(db: DbOrTx, deliveryId: string): Promise<DeliveryTarget | undefined> {
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, message: webhookMessages })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookDeliveries.messageId))
    .where(eq(webhookDeliveries.id, deliveryId))
    .limit(1);
  return row;
}

/**
 * Starts an attempt: counts it and holds the delivery for `leaseSeconds`, in one statement, so
 * two workers running the same job at once send once. Undefined when the delivery is done or
 * another attempt holds it; `next_attempt_at` is never later than pg-boss's own retry time.
 */
export async function claimDeliveryAttempt(db: DbOrTx, id: string, leaseSeconds: number): Promise<number | undefined> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
    })
    .where(
      and(
        eq(webhookDeliveries.id, id),
        eq(webhookDeliveries.status, "pending"),
        or(isNull(webhookDeliveries.nextAttemptAt), sql`${webhookDeliveries.nextAttemptAt} <= now()`),
      ),
    )
    .returning({ attempts: webhookDeliveries.attempts });
  return row?.attempts;
}

export type AttemptOutcome =
  | { status: "succeeded"; statusCode: number }
  | { status: "pending"; statusCode: number | null; error: string; retryInSeconds: number }
  | { status: "failed"; statusCode: number | null; error: string };

export async function recordDeliveryAttempt(db: DbOrTx, id: string, outcome: AttemptOutcome): Promise<void> {
  const succeeded = outcome.status === "succeeded";
  await db
    .update(webhookDeliveries)
    .set({
      status: outcome.status,
      lastStatusCode: outcome.statusCode,
      lastError: succeeded ? null : outcome.error,
      nextAttemptAt:
        outcome.status === "pending" ? sql`now() + make_interval(secs => ${outcome.retryInSeconds})` : null,
      deliveredAt: succeeded ? sql`now()` : null,
    })
    .where(eq(webhookDeliveries.id, id));
}

export type DeliveryLogRow = WebhookDelivery & { eventType: string };

/** Newest first, after the delivery named by `before`; one row more than asked shows a next page. */
export async function listDeliveries(
  db: DbOrTx,
  endpointId: string,
  options: { limit: number; before?: string },
): Promise<{ rows: DeliveryLogRow[]; hasMore: boolean }> {
  const after = options.before
    ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (select created_at, id from webhook_deliveries where id = ${options.before} and endpoint_id = ${endpointId})`
    : undefined;
  const rows = await db
    .select({ delivery: webhookDeliveries, eventType: webhookMessages.type })
    .from(webhookDeliveries)
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookDeliveries.messageId))
    .where(and(eq(webhookDeliveries.endpointId, endpointId), after))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit + 1);
  return {
    rows: rows.slice(0, options.limit).map((row) => ({ ...row.delivery, eventType: row.eventType })),
    hasMore: rows.length > options.limit,
  };
}

export async function getDelivery(db: DbOrTx, endpointId: string, id: string): Promise<DeliveryLogRow | undefined> {
  const [row] = await db
    .select({ delivery: webhookDeliveries, eventType: webhookMessages.type })
    .from(webhookDeliveries)
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookDeliveries.messageId))
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.id, id)))
    .limit(1);
  return row && { ...row.delivery, eventType: row.eventType };
}

/** A manual replay starts the delivery over: pending and due now; attempts keep counting. */
export async function resetDeliveryForReplay(db: DbOrTx, id: string): Promise<WebhookDelivery | undefined> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "pending", nextAttemptAt: null, deliveredAt: null })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  return row;
}
