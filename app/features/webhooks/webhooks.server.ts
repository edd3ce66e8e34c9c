// Outgoing webhooks to suppliers (security.md J4): endpoints, publishing an event, the delivery
// log and manual replay. Shared by the API and the operator CLI; every change is audited.
import type { ZodError } from "zod";
import type { Db, DbOrTx, Tx } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { fieldPath, type FieldError } from "~/api/problem.server";
import {
  createEndpointSchema, deliveryJson, endpointJson, listDeliveriesQuerySchema, updateEndpointSchema,
  type DeliveryJson, type EndpointJson, type UrlRules,
} from "~/features/webhooks/api.schemas";
import { generateWebhookSecret } from "~/domain/standard-webhooks";
import { enqueueWebhookDeliveries, enqueueWebhookDelivery } from "~/features/webhooks/webhook-deliver.job.server";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { runIdempotent, type Keyed } from "~/api/idempotency.server";
import {
  deleteEndpoint, getDelivery, getEndpoint, insertDeliveriesFor, insertEndpoint, insertMessage, insertMessagesWithDeliveries, listDeliveries,
  listEndpoints, resetDeliveryForReplay, updateEndpoint,
} from "~/features/webhooks/db/webhooks.server";

export type { Actor };
type Invalid = { ok: false; reason: "invalid"; errors: FieldError[] };
type NotFound = { ok: false; reason: "not_found" };

export const urlRules = (config: Pick<Config, "isProduction" | "webhookAllowPrivateTargets">): UrlRules => ({
  isProduction: config.isProduction,
  allowPrivateTargets: config.webhookAllowPrivateTargets,
});

function invalid(error: ZodError): Invalid {
  return { ok: false, reason: "invalid", errors: error.issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message })) };
}


/**
 * Records a supplier-facing event and queues its delivery to every enabled endpoint that wants
 * this type, all in the caller's transaction: rolled back with it, nothing is ever sent (J1).
 * Given a plain database handle it opens its own transaction (a savepoint inside a caller's).
 */
export async function publishWebhookEvent(
  db: DbOrTx,
  event: { supplierId: string; type: string; payload: Record<string, unknown> },
): Promise<{ messageId: string }> {
  return db.transaction(async (tx) => {
    const message = await insertMessage(tx, event);
    for (const deliveryId of await insertDeliveriesFor(tx, message)) await enqueueWebhookDelivery(tx, deliveryId);
    return { messageId: message.id };
  });
}

/**
 * publishWebhookEvent for many events of one supplier at once (the ledger's batch of a bank
 * file): the same messages, deliveries and delivery jobs, in a few statements, in the caller's
 * transaction.
 */
export async function publishWebhookEvents(
  tx: Tx,
  supplierId: string,
  list: readonly { type: string; payload: Record<string, unknown> }[],
): Promise<void> {
  const deliveryIds = await insertMessagesWithDeliveries(tx, supplierId, list);
  await enqueueWebhookDeliveries(tx, deliveryIds);
}

type EndpointInput = { url: string; event_types?: string[] | null | undefined; enabled?: boolean | undefined };

/** Inserts the endpoint with a new signing secret and audits it, in the caller's transaction. */
async function insertEndpointAudited(tx: Tx, supplierId: string, input: EndpointInput, actor: Actor): Promise<EndpointJson> {
  const { url, event_types: eventTypes = null, enabled = true } = input;
  const secret = generateWebhookSecret();
  const row = await insertEndpoint(tx, { supplierId, url, secret, eventTypes, enabled });
  await appendEvent(tx, {
    supplierId,
    type: "webhook_endpoint.created",
    ...actorColumns(actor),
    data: { endpoint_id: row.id, url, event_types: eventTypes, enabled },
  });
  return endpointJson(row, secret);
}

/** Creates an endpoint; its signing secret is in this answer and never shown again. */
export async function createWebhookEndpoint(
  db: Db,
  rules: UrlRules,
  supplierId: string,
  input: unknown,
  actor: Actor,
): Promise<{ ok: true; endpoint: EndpointJson } | Invalid | NotFound> {
  const parsed = createEndpointSchema(rules).safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return db.transaction(async (tx) => {
    if (!(await getSupplier(tx, supplierId))) return { ok: false, reason: "not_found" } as const;
    return { ok: true, endpoint: await insertEndpointAudited(tx, supplierId, parsed.data, actor) } as const;
  });
}

/**
 * The API's registration, behind the request's Idempotency-Key: each POST registers another
 * endpoint (and events then arrive twice), so a retry with the same key answers the first
 * endpoint, secret included. The stored answer is sealed with the link signing keys, like
 * createInvoice's, so the secret is not lying in the idempotency table in plain text.
 */
export async function createWebhookEndpointOnce(
  db: Db,
  config: Pick<Config, "isProduction" | "webhookAllowPrivateTargets" | "linkKeys">,
  params: { supplierId: string; input: unknown; actor: Actor; idempotencyKey?: string },
): Promise<Keyed<EndpointJson>> {
  const { supplierId } = params;
  const parsed = createEndpointSchema(urlRules(config)).safeParse(params.input);
  if (!parsed.success) {
    return { ok: false, problem: { status: 422, title: "Validation failed", detail: "The request has invalid fields.", errors: invalid(parsed.error).errors } };
  }
  const keyed = { supplierId, key: params.idempotencyKey, route: "POST /api/v1/webhook-endpoints", input: parsed.data, sealWith: config.linkKeys };
  return db.transaction(async (tx) => {
    if (!(await getSupplier(tx, supplierId))) return { ok: false, problem: { status: 404, title: "Not found", detail: "Supplier not found." } };
    return runIdempotent(tx, keyed, async () => ({ status: 201, body: await insertEndpointAudited(tx, supplierId, parsed.data, params.actor) }));
  });
}

export async function listWebhookEndpoints(db: DbOrTx, supplierId: string): Promise<EndpointJson[]> {
  return (await listEndpoints(db, supplierId)).map((row) => endpointJson(row));
}

export async function getWebhookEndpoint(db: DbOrTx, supplierId: string, id: string): Promise<EndpointJson | undefined> {
  const row = await getEndpoint(db, id, supplierId);
  return row && endpointJson(row);
}

/** The operator's view: an endpoint by id, whoever owns it. */
export async function findWebhookEndpoint(db: DbOrTx, id: string): Promise<(EndpointJson & { supplier_id: string }) | undefined> {
  const row = await getEndpoint(db, id);
  return row && { ...endpointJson(row), supplier_id: row.supplierId };
}

export async function updateWebhookEndpoint(
  db: Db,
  rules: UrlRules,
  supplierId: string,
  id: string,
  input: unknown,
  actor: Actor,
): Promise<{ ok: true; endpoint: EndpointJson } | Invalid | NotFound> {
  const parsed = updateEndpointSchema(rules).safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { url, event_types: eventTypes, enabled } = parsed.data;
  return db.transaction(async (tx) => {
    const before = await getEndpoint(tx, id, supplierId);
    if (!before) return { ok: false, reason: "not_found" } as const;
    const row = await updateEndpoint(tx, supplierId, id, { url, eventTypes, enabled });
    const changes = Object.fromEntries(
      ([["url", before.url, url], ["event_types", before.eventTypes, eventTypes], ["enabled", before.enabled, enabled]] as const)
        .filter(([, from, to]) => to !== undefined && JSON.stringify(from) !== JSON.stringify(to))
        .map(([field, from, to]) => [field, { from, to }]),
    );
    if (Object.keys(changes).length > 0) {
      await appendEvent(tx, { supplierId, type: "webhook_endpoint.updated", ...actorColumns(actor), data: { endpoint_id: id, changes } });
    }
    return { ok: true, endpoint: endpointJson(row!) } as const;
  });
}

/** Removes an endpoint and its delivery log; deliveries still queued for it are dropped. */
export async function removeWebhookEndpoint(db: Db, supplierId: string, id: string, actor: Actor): Promise<boolean> {
  return db.transaction(async (tx) => {
    const endpoint = await getEndpoint(tx, id, supplierId);
    if (!endpoint || !(await deleteEndpoint(tx, supplierId, id))) return false;
    await appendEvent(tx, {
      supplierId,
      type: "webhook_endpoint.deleted",
      ...actorColumns(actor),
      data: { endpoint_id: id, url: endpoint.url },
    });
    return true;
  });
}

export type DeliveryPage = { data: DeliveryJson[]; next_cursor: string | null };

export async function listWebhookDeliveries(
  db: DbOrTx,
  supplierId: string,
  endpointId: string,
  query: URLSearchParams,
): Promise<{ ok: true; page: DeliveryPage } | Invalid | NotFound> {
  const parsed = listDeliveriesQuerySchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) return invalid(parsed.error);
  if (!(await getEndpoint(db, endpointId, supplierId))) return { ok: false, reason: "not_found" };
  const { rows, hasMore } = await listDeliveries(db, endpointId, { limit: parsed.data.limit ?? 50, before: parsed.data.cursor });
  const last = rows[rows.length - 1];
  return { ok: true, page: { data: rows.map(deliveryJson), next_cursor: hasMore && last ? last.id : null } };
}

/**
 * Sends a delivery again now, whatever its state (a supplier fixed its endpoint, or lost the
 * event on its side). The receiver sees the same `webhook-id`, so it can recognise a repeat.
 */
/** Resets one delivery and queues it again, audited, in the caller's transaction; undefined when not the supplier's. */
async function replayInTx(tx: Tx, supplierId: string, endpointId: string, deliveryId: string, actor: Actor): Promise<DeliveryJson | undefined> {
  const endpoint = await getEndpoint(tx, endpointId, supplierId);
  const delivery = endpoint && (await getDelivery(tx, endpointId, deliveryId));
  if (!delivery) return undefined;
  const reset = await resetDeliveryForReplay(tx, deliveryId);
  await enqueueWebhookDelivery(tx, deliveryId, reset!.attempts);
  await appendEvent(tx, {
    supplierId,
    type: "webhook_delivery.replayed",
    ...actorColumns(actor),
    data: { endpoint_id: endpointId, delivery_id: deliveryId, message_id: delivery.messageId },
  });
  return deliveryJson({ ...reset!, eventType: delivery.eventType });
}

export async function replayWebhookDelivery(
  db: Db,
  supplierId: string,
  endpointId: string,
  deliveryId: string,
  actor: Actor,
): Promise<{ ok: true; delivery: DeliveryJson } | NotFound> {
  return db.transaction(async (tx) => {
    const delivery = await replayInTx(tx, supplierId, endpointId, deliveryId, actor);
    return delivery ? ({ ok: true, delivery } as const) : ({ ok: false, reason: "not_found" } as const);
  });
}

const DELIVERY_NOT_FOUND = { status: 404, title: "Not found", detail: "Webhook delivery not found." };

/** Thrown inside the keyed transaction so an unknown delivery keeps no claim on the key. */
class DeliveryNotFound extends Error {}

/**
 * The API's replay, behind the request's Idempotency-Key: each POST sends the delivery once more
 * (the receiver deduplicates by webhook-id, but it is another attempt), so a retry with the same
 * key answers the first replay instead. The answer holds no secret and is stored as is.
 */
export async function replayWebhookDeliveryOnce(
  db: Db,
  params: { supplierId: string; endpointId: string; deliveryId: string; actor: Actor; idempotencyKey?: string },
): Promise<Keyed<DeliveryJson>> {
  const { supplierId, endpointId, deliveryId } = params;
  const keyed = {
    supplierId,
    key: params.idempotencyKey,
    route: `POST /api/v1/webhook-endpoints/${endpointId}/deliveries/${deliveryId}/replay`,
    input: null,
  };
  try {
    return await db.transaction((tx) =>
      runIdempotent(tx, keyed, async () => {
        const delivery = await replayInTx(tx, supplierId, endpointId, deliveryId, params.actor);
        if (!delivery) throw new DeliveryNotFound();
        return { status: 202, body: delivery };
      }),
    );
  } catch (error) {
    if (error instanceof DeliveryNotFound) return { ok: false, problem: DELIVERY_NOT_FOUND };
    throw error;
  }
}
