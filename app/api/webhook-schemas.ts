// Webhook endpoints as the API and the CLI see them: request schemas and the JSON shapes. Strict,
// like the invoice schemas, so a typo (`event_type`) is reported rather than ignored.
import { z } from "zod";
import { limitParam } from "~/api/query-schemas";
import type { DeliveryLogRow, WebhookEndpoint } from "~/models/webhooks.server";

export type UrlRules = { isProduction: boolean; allowPrivateTargets: boolean };

/** `invoice.confirmed`, `delivery.problem_reported`: lowercase words joined by dots. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

const LOCAL_HOSTNAMES = /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i;

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
  const isAddress = url.hostname.startsWith("[") || /^\d+\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (!rules.allowPrivateTargets && (isAddress || LOCAL_HOSTNAMES.test(url.hostname))) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "url must name a public host, not an IP address or a local name" });
  }
}

const webhookUrl = (rules: UrlRules) =>
  z
    .string({ required_error: "url is required", invalid_type_error: "url must be a string" })
    .trim()
    .max(2048, "url must be at most 2048 characters")
    .superRefine((value, ctx) => checkUrl(value, rules, ctx));

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
