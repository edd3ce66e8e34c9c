// Sends one delivery again now (same webhook-id), e.g. after the supplier fixed its endpoint.
// With an Idempotency-Key a retry answers the first replay again (Idempotent-Replayed), not another.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf } from "~/api/request.server";
import { replayWebhookDeliveryOnce } from "~/services/webhooks.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const result = await replayWebhookDeliveryOnce(context.app.db, {
    supplierId: caller.supplierId,
    endpointId: params.id ?? "",
    deliveryId: params.deliveryId ?? "",
    idempotencyKey,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.body, result.status, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
