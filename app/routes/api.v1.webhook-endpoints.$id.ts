// One webhook endpoint of the key's supplier: GET (without its secret), PATCH url, event_types or
// enabled, DELETE. Another supplier's endpoint answers exactly like an unknown one.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, validationProblem } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import {
  getWebhookEndpoint, removeWebhookEndpoint, updateWebhookEndpoint, urlRules,
} from "~/services/webhooks.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const endpoint = await getWebhookEndpoint(context.app.db, caller.supplierId, params.id ?? "");
  return endpoint ? json(endpoint) : notFound("Webhook endpoint");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const caller = await requireApiKey(request, context);
  const actor = {
    actor: "supplier" as const,
    actorId: caller.apiKeyId,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
  };
  const id = params.id ?? "";
  if (request.method === "DELETE") {
    const removed = await removeWebhookEndpoint(context.app.db, caller.supplierId, id, actor);
    return removed ? new Response(null, { status: 204 }) : notFound("Webhook endpoint");
  }
  const input = await readJson(request, z.unknown());
  const result = await updateWebhookEndpoint(context.app.db, urlRules(context.app.config), caller.supplierId, id, input, actor);
  if (result.ok) return json(result.endpoint);
  return result.reason === "not_found" ? notFound("Webhook endpoint") : validationProblem(result.errors);
}
