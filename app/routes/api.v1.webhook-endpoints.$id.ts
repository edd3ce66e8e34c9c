// One webhook endpoint of the key's supplier: GET (without its secret), PATCH url, event_types or
// enabled, DELETE. Another supplier's endpoint answers exactly like an unknown one.
import { apiRoute } from "~/api/route.server";
import { json, notFound, validationProblem } from "~/api/problem.server";
import {
  getWebhookEndpoint, removeWebhookEndpoint, updateWebhookEndpoint, urlRules,
} from "~/features/webhooks/webhooks.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const endpoint = await getWebhookEndpoint(app.db, caller.supplierId, params.id ?? "");
    return endpoint ? json(endpoint) : notFound("Webhook endpoint");
  },
  PATCH: async ({ app, caller, actor, params, body }) => {
    const input = await body();
    const result = await updateWebhookEndpoint(app.db, urlRules(app.config), caller.supplierId, params.id ?? "", input, actor);
    if (result.ok) return json(result.endpoint);
    return result.reason === "not_found" ? notFound("Webhook endpoint") : validationProblem(result.errors);
  },
  DELETE: async ({ app, caller, actor, params }) => {
    const removed = await removeWebhookEndpoint(app.db, caller.supplierId, params.id ?? "", actor);
    return removed ? new Response(null, { status: 204 }) : notFound("Webhook endpoint");
  },
});
