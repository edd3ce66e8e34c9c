// GET lists the key's contact-update campaigns (newest first, cursor-paged); POST creates one
// (a draft: nothing is sent until POST …/start). Every wrong field is named in the 422.
import { z } from "zod";
import { apiRoute, keyedJson } from "~/api/route.server";
import { createCampaignSchema, listCampaignsQuerySchema } from "~/features/campaigns/api.schemas";
import { fieldErrors, invalid, json } from "~/api/problem.server";
import { publicUrl } from "~/platform/config.server";
import { createCampaign, listCampaigns } from "~/features/campaigns/campaigns.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, queryOf }) => {
    const result = await listCampaigns(app.db, { supplierId: caller.supplierId, ...queryOf(listCampaignsQuerySchema) });
    return result.ok ? json(result.body) : result;
  },
  POST: async ({ app, caller, actor, idempotencyKey, body }) => {
    const key = idempotencyKey();
    // Parsed here rather than by readJson, so an unknown field is named at its own path.
    const input = createCampaignSchema.safeParse(await body(z.unknown()));
    if (!input.success) return { ok: false, problem: invalid(fieldErrors(input.error)) };
    const result = await createCampaign(app.db, { supplierId: caller.supplierId, input: input.data, idempotencyKey: key, actor });
    if (!result.ok) return result;
    const location = publicUrl(app.config, `/api/v1/campaigns/${result.body.id}`);
    return keyedJson(result.body, result.status, result.replayed, { Location: location });
  },
});
