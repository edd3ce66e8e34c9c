// One campaign of the key's supplier with its counts and a page of the per-customer state
// (?limit=1–1000, ?after=<next_after>). Another supplier's id answers exactly like an unknown one.
import { apiRoute } from "~/api/route.server";
import { campaignReportQuerySchema } from "~/features/campaigns/api.schemas";
import { json, notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { campaignReport } from "~/features/campaigns/campaigns.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, queryOf }) => {
    const query = queryOf(campaignReportQuerySchema);
    const id = params.id ?? "";
    if (!isPublicId("cmp", id)) return notFound("Campaign");
    const report = await campaignReport(app.db, { supplierId: caller.supplierId, campaignId: id, ...query });
    return report ? json(report) : notFound("Campaign");
  },
});
