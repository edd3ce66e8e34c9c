// Starts a draft campaign: 202, and the emails go out through the job queue from its start_at
// (or now), throttled. Starting it again is a 409, so each customer is asked once; with the same
// Idempotency-Key a retry answers the first answer again (Idempotent-Replayed).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf } from "~/api/request.server";
import { isPublicId } from "~/domain/public-id";
import { startCampaign } from "~/services/campaigns.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const id = params.id ?? "";
  if (!isPublicId("cmp", id)) return notFound("Campaign");
  const result = await startCampaign(context.app.db, {
    supplierId: caller.supplierId,
    campaignId: id,
    idempotencyKey,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.body, result.status, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
