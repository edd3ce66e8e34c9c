// The console's webhook settings (/app/settings/webhooks): the form's fields turned into the
// API's input and its refusals into dictionary keys by field. The work is the API's own use cases
// (webhooks.server.ts: the same URL rules, audit events, secret shown once and replay).
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import type { MessageKey } from "~/i18n";
import { createWebhookEndpoint, urlRules, type Actor } from "~/features/webhooks/webhooks.server";

export type EndpointFormRefusal = { errors: { url?: MessageKey; event_types?: MessageKey }; values: { url: string; event_types: string } };

/** "invoice.paid, payment.succeeded" (commas, spaces or lines) → the API's list; empty: every type. */
const eventTypesOf = (text: string) => {
  const types = text.split(/[\s,]+/).filter(Boolean);
  return types.length === 0 ? null : types;
};

export async function createEndpointFromForm(
  db: Db,
  config: Pick<Config, "isProduction" | "webhookAllowPrivateTargets">,
  request: { supplierId: string; actor: Actor; url: string; eventTypes: string },
): Promise<{ ok: true; id: string; secret: string } | { ok: false; refusal: EndpointFormRefusal } | { ok: false; refusal?: undefined }> {
  const input = { url: request.url.trim(), event_types: eventTypesOf(request.eventTypes) };
  const result = await createWebhookEndpoint(db, urlRules(config), request.supplierId, input, request.actor);
  if (result.ok) return { ok: true, id: result.endpoint.id, secret: result.endpoint.secret ?? "" };
  if (result.reason === "not_found") return { ok: false };
  const errors: EndpointFormRefusal["errors"] = {};
  for (const error of result.errors) {
    if (error.field.startsWith("event_types")) errors.event_types = "console.webhooks.error.eventTypes";
    else errors.url = "console.webhooks.error.url";
  }
  return { ok: false, refusal: { errors, values: { url: request.url.slice(0, 2000), event_types: request.eventTypes.slice(0, 2000) } } };
}
