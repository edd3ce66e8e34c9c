// Sends one delivery again now (same webhook-id), e.g. after the supplier fixed its endpoint.
// With an Idempotency-Key a retry answers the first replay again (Idempotent-Replayed), not another.
import { apiRoute, keyedJson } from "~/api/route.server";
import { replayWebhookDeliveryOnce } from "~/features/webhooks/webhooks.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey }) => {
    const result = await replayWebhookDeliveryOnce(app.db, {
      supplierId: caller.supplierId,
      endpointId: params.id ?? "",
      deliveryId: params.deliveryId ?? "",
      idempotencyKey: idempotencyKey(),
      actor,
    });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
