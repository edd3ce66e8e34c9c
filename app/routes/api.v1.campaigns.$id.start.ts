// Starts a draft campaign: 202, and the emails go out through the job queue from its start_at
// (or now), throttled. Starting it again is a 409, so each customer is asked once; with the same
// Idempotency-Key a retry answers the first answer again (Idempotent-Replayed).
import { apiRoute, keyedJson } from "~/api/route.server";
import { notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { startCampaign } from "~/features/campaigns/campaigns.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey }) => {
    const key = idempotencyKey();
    const id = params.id ?? "";
    if (!isPublicId("cmp", id)) return notFound("Campaign");
    const result = await startCampaign(app.db, { supplierId: caller.supplierId, campaignId: id, idempotencyKey: key, actor });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
