// Sends one delivery again now (same webhook-id), e.g. after the supplier fixed its endpoint.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound } from "~/api/problem.server";
import { replayWebhookDelivery } from "~/services/webhooks.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const result = await replayWebhookDelivery(context.app.db, caller.supplierId, params.id ?? "", params.deliveryId ?? "", {
    actor: "supplier",
    actorId: caller.apiKeyId,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
  });
  return result.ok ? json(result.delivery, 202) : notFound("Webhook delivery");
}
