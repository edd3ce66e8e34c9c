// Webhook endpoints as the API and the CLI see them: request schemas and the JSON shapes. Strict,
// like the invoice schemas, so a typo (`event_type`) is reported rather than ignored.
import { z } from "zod";
import { FORMATS } from "~/api/openapi/formats";
import { body as bodyOf, id, instant, json, list, noContent, nullableString, page, type Operation } from "~/api/openapi/operation";
import { limitParam } from "~/api/query-schemas";
import type { DeliveryLogRow, WebhookEndpoint } from "~/features/webhooks/db/webhooks.server";
import { isSingleLine, singleLineMessage } from "~/domain/text";
import { isIpLiteral, refusedHostName } from "~/domain/webhook-host";

export type UrlRules = { isProduction: boolean; allowPrivateTargets: boolean };

/** `invoice.confirmed`, `delivery.problem_reported`: lowercase words joined by dots. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * Catches the obvious mistakes when the URL is registered. Names are resolved and every address
 * is checked again when each delivery is sent; this check only gives an early, clear error.
 */
function checkUrl(value: string, rules: UrlRules, ctx: z.RefinementCtx): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "url must be an absolute URL such as https://erp.example.com/webhooks" });
    return;
  }
  const allowed = rules.isProduction ? ["https:"] : ["https:", "http:"];
  if (!allowed.includes(url.protocol)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: rules.isProduction ? "url must use https" : "url must use https or http" });
  }
  if (url.username || url.password) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "url must not contain a user name or password" });
  }
  if (url.hash) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "url must not contain a #fragment" });
  // The URL parser has already normalised every IPv4 form (0x7f.1, 2130706433) to dotted decimal.
  if (!rules.allowPrivateTargets) {
    const refused = isIpLiteral(url.hostname) ? "url must name a public host, not an IP address or a local name" : refusedHostName(url.hostname);
    if (refused) ctx.addIssue({ code: z.ZodIssueCode.custom, message: refused });
  }
}

const webhookUrl = (rules: UrlRules) =>
  z
    .string({ required_error: "url is required", invalid_type_error: "url must be a string" })
    .trim()
    .max(2048, "url must be at most 2048 characters")
    .refine(isSingleLine, singleLineMessage("url"))
    .superRefine((value, ctx) => checkUrl(value, rules, ctx))
    .openapi(FORMATS.webhookUrl);

const eventTypes = z
  .array(
    z
      .string({ invalid_type_error: "each event type must be a string" })
      .max(100, "an event type has at most 100 characters")
      .regex(EVENT_TYPE_PATTERN, "an event type looks like invoice.confirmed"),
    { invalid_type_error: "event_types must be an array of event types, or null for all" },
  )
  .min(1, "event_types must name at least one event type (or be null for all)")
  .max(50, "event_types may name at most 50 event types")
  .transform((types) => [...new Set(types)])
  .nullable();

export const createEndpointSchema = (rules: UrlRules) =>
  z
    .object(
      { url: webhookUrl(rules), event_types: eventTypes.optional(), enabled: z.boolean({ invalid_type_error: "enabled must be true or false" }).optional() },
      { invalid_type_error: "the body must be a JSON object" },
    )
    .strict();

export const updateEndpointSchema = (rules: UrlRules) =>
  createEndpointSchema(rules)
    .partial()
    .refine((value) => Object.values(value).some((field) => field !== undefined), {
      message: "send at least one of url, event_types, enabled",
    });

export type CreateEndpointInput = z.output<ReturnType<typeof createEndpointSchema>>;
export type UpdateEndpointInput = z.output<ReturnType<typeof updateEndpointSchema>>;

export const listDeliveriesQuerySchema = z
  .object({
    cursor: z.string().regex(/^whd_[0-9A-Za-z]{22}$/, "cursor is not one this API returned").optional(),
    limit: limitParam.optional(),
  })
  .strict();

export type EndpointJson = {
  id: string;
  url: string;
  event_types: string[] | null;
  enabled: boolean;
  created_at: string;
  /** Only in the answer that created the endpoint: the signing secret is shown once. */
  secret?: string;
};

export function endpointJson(row: WebhookEndpoint, secret?: string): EndpointJson {
  return {
    id: row.id,
    url: row.url,
    event_types: row.eventTypes,
    enabled: row.enabled,
    created_at: row.createdAt.toISOString(),
    ...(secret === undefined ? {} : { secret }),
  };
}

export type DeliveryJson = {
  id: string;
  message_id: string;
  event_type: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  /** While pending: the earliest time of the next attempt. */
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
};

export function deliveryJson(row: DeliveryLogRow): DeliveryJson {
  return {
    id: row.id,
    message_id: row.messageId,
    event_type: row.eventType,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    next_attempt_at: row.status === "pending" ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    created_at: row.createdAt.toISOString(),
    delivered_at: row.deliveredAt?.toISOString() ?? null,
  };
}

// ---- The answers, and the operations for the OpenAPI document ----

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    event_types: z.array(z.string()).nullable(),
    enabled: z.boolean(),
    created_at: instant,
    secret: z.string().optional().openapi({ description: "Only in the answer that created the endpoint." }),
  })
  .strict()
  .openapi({
    example: {
      id: "whe_3zsuIPRXw74sNJSUbcQl4W", url: "https://erp.example.com/webhooks/payer-portal", event_types: ["invoice.confirmed", "invoice.paid"],
      enabled: true, created_at: "2026-02-20T15:10:00.000Z", secret: "whsec_PoMGv3DejEU5o/gz3P9jTKH8MrBheRmggSZrJhvkGzU=",
    },
  });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    message_id: z.string(),
    event_type: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: nullableString,
    next_attempt_at: instant.nullable(),
    created_at: instant,
    delivered_at: instant.nullable(),
  })
  .strict()
  .openapi({
    example: {
      id: "whd_1t4gSPTn4YwdsGpBz23Wj2", message_id: "whm_7ONxmRviveNb8dWpPf3z0b", event_type: "invoice.paid", status: "pending",
      attempts: 2, last_status_code: 503, last_error: "HTTP 503 Service Unavailable", next_attempt_at: "2026-03-14T09:17:31.000Z",
      created_at: "2026-03-14T09:12:31.870Z", delivered_at: null,
    },
  });

export const webhookDeliveryPageSchema = page(webhookDeliverySchema);

/**
 * The webhook URL rules as in production (https only, public hosts), which is what the document
 * promises; development servers may accept more.
 */
const PRODUCTION_URL_RULES = { isProduction: true, allowPrivateTargets: false };
const endpointParams = z.object({ id: id("id", "whe") });

export const webhookOperations: Operation[] = [
  {
    method: "get", path: "/api/v1/webhook-endpoints", operationId: "listWebhookEndpoints", tag: "Webhooks",
    summary: "List webhook endpoints", success: [json(200, "The endpoints", list(webhookEndpointSchema), "WebhookEndpointList")],
  },
  {
    method: "post", path: "/api/v1/webhook-endpoints", operationId: "createWebhookEndpoint", tag: "Webhooks", idempotent: true,
    summary: "Register an endpoint (its signing secret is answered once)",
    description: "A retry with the same Idempotency-Key answers the same endpoint and secret instead of registering another.",
    body: bodyOf(createEndpointSchema(PRODUCTION_URL_RULES), "WebhookEndpointCreate", { url: "https://erp.example.com/webhooks/payer-portal", event_types: ["invoice.confirmed", "invoice.paid"] }),
    success: [json(201, "The endpoint, with `secret`", webhookEndpointSchema, "WebhookEndpoint")], errors: [409, 422],
  },
  {
    method: "get", path: "/api/v1/webhook-endpoints/{id}", operationId: "getWebhookEndpoint", tag: "Webhooks", params: endpointParams,
    summary: "Get an endpoint (without its secret)", success: [json(200, "The endpoint", webhookEndpointSchema, "WebhookEndpoint")],
  },
  {
    method: "patch", path: "/api/v1/webhook-endpoints/{id}", operationId: "updateWebhookEndpoint", tag: "Webhooks",
    params: endpointParams, summary: "Change url, event_types or enabled",
    body: bodyOf(updateEndpointSchema(PRODUCTION_URL_RULES), "WebhookEndpointUpdate", { event_types: ["invoice.confirmed", "invoice.paid", "dispute.opened"] }),
    success: [json(200, "The endpoint", webhookEndpointSchema, "WebhookEndpoint")], errors: [422],
  },
  {
    method: "delete", path: "/api/v1/webhook-endpoints/{id}", operationId: "removeWebhookEndpoint", tag: "Webhooks",
    params: endpointParams, summary: "Remove an endpoint", success: [noContent("Removed")],
  },
  {
    method: "get", path: "/api/v1/webhook-endpoints/{id}/deliveries", operationId: "listWebhookDeliveries", tag: "Webhooks",
    params: endpointParams, query: listDeliveriesQuerySchema, summary: "The endpoint's delivery log, newest first",
    success: [json(200, "A page of deliveries", webhookDeliveryPageSchema, "WebhookDeliveryPage")], errors: [422],
  },
  {
    method: "post", path: "/api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay", operationId: "replayWebhookDelivery",
    tag: "Webhooks", params: z.object({ id: id("id", "whe"), deliveryId: id("deliveryId", "whd") }),
    idempotent: true, summary: "Send a delivery again now (same webhook-id)",
    success: [json(202, "The delivery, queued", webhookDeliverySchema, "WebhookDelivery")],
  },
];
