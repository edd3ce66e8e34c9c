// GET lists the key's contact-update campaigns (newest first, cursor-paged); POST creates one
// (a draft: nothing is sent until POST …/start). Every wrong field is named in the 422.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { createCampaignSchema, listCampaignsQuerySchema } from "~/api/campaign-schemas";
import { fieldErrors, invalid, json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { publicUrl } from "~/config.server";
import { createCampaign, listCampaigns } from "~/services/campaigns.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const query = listCampaignsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return problemResponse(invalid(fieldErrors(query.error), "The query has invalid parameters."));
  const result = await listCampaigns(context.app.db, { supplierId: caller.supplierId, ...query.data });
  return result.ok ? json(result.body) : problemResponse(result.problem);
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  // Parsed here rather than by readJson, so an unknown field is named at its own path.
  const input = createCampaignSchema.safeParse(await readJson(request, z.unknown()));
  if (!input.success) return problemResponse(invalid(fieldErrors(input.error)));
  const result = await createCampaign(context.app.db, {
    supplierId: caller.supplierId,
    input: input.data,
    idempotencyKey,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.body, result.status, {
    Location: publicUrl(context.app.config, `/api/v1/campaigns/${result.body.id}`),
    ...(result.replayed ? { "Idempotent-Replayed": "true" } : {}),
  });
}
