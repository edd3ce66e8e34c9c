
import { apiRoute, keyedJson } from "~/api/route.server";
import { resolveDisputeFromApi } from "~/services/disputes.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await resolveDisputeFromApi(app.db, app.config, {
      ...caller,
      ip: actor.ip,
      userAgent: actor.userAgent,
      invoiceId: params.id ?? "",
      disputeId: params.disputeId ?? "",
      input: await body(),
      idempotencyKey: key,
    });
    return result.ok ? keyedJson(result.dispute, 200, result.replayed) : result;
  },
});
