// GET lists the key's webhook endpoints; POST registers one and answers its signing secret once
// (a retry with the same Idempotency-Key answers that same endpoint and secret, Idempotent-Replayed).
import { apiRoute, keyedJson } from "~/api/route.server";
import { json } from "~/api/problem.server";
import { publicUrl } from "~/platform/config.server";
import { createWebhookEndpointOnce, listWebhookEndpoints } from "~/features/webhooks/webhooks.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller }) => json({ data: await listWebhookEndpoints(app.db, caller.supplierId) }),
  POST: async ({ app, caller, actor, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await createWebhookEndpointOnce(app.db, app.config, { supplierId: caller.supplierId, input: await body(), idempotencyKey: key, actor });
    if (!result.ok) return result;
    const location = publicUrl(app.config, `/api/v1/webhook-endpoints/${result.body.id}`);
    return keyedJson(result.body, 201, result.replayed, { Location: location });
  },
});
