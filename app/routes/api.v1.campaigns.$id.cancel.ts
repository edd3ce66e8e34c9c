// Cancels a campaign: its links stop working, emails not yet sent are not sent and no follow-up
// goes out. Answers already given stay. Cancelling it again is a 409.
import { apiRoute, keyedJson } from "~/api/route.server";
import { notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { cancelCampaign } from "~/features/campaigns/campaigns.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey }) => {
    const key = idempotencyKey();
    const id = params.id ?? "";
    if (!isPublicId("cmp", id)) return notFound("Campaign");
    const result = await cancelCampaign(app.db, { supplierId: caller.supplierId, campaignId: id, idempotencyKey: key, actor });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
