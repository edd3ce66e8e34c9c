
import { apiRoute, keyedJson } from "~/api/route.server";
import { notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { startCampaign } from "~/services/campaigns.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey }) => {
    const key = idempotencyKey();
    const id = params.id ?? "";
    if (!isPublicId("cmp", id)) return notFound("Campaign");
    const result = await startCampaign(app.db, { supplierId: caller.supplierId, campaignId: id, idempotencyKey: key, actor });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
