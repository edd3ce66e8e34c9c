// The delivery log of one endpoint, newest first: status, attempts, last HTTP status and error.
import { apiRoute } from "~/api/route.server";
import { json, notFound, validationProblem } from "~/api/problem.server";
import { listWebhookDeliveries } from "~/features/webhooks/webhooks.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, query }) => {
    const result = await listWebhookDeliveries(app.db, caller.supplierId, params.id ?? "", query);
    if (result.ok) return json(result.page);
    return result.reason === "not_found"
      ? notFound("Webhook endpoint")
      : validationProblem(result.errors, "The query has invalid parameters.");
  },
});
