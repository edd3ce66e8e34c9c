// Cancels a campaign: its links stop working, emails not yet sent are not sent and no follow-up
// goes out. Answers already given stay. Cancelling it again is a 409.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf } from "~/api/request.server";
import { isPublicId } from "~/domain/public-id";
import { cancelCampaign } from "~/services/campaigns.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const id = params.id ?? "";
  if (!isPublicId("cmp", id)) return notFound("Campaign");
  const result = await cancelCampaign(context.app.db, {
    supplierId: caller.supplierId,
    campaignId: id,
    idempotencyKey,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.body, result.status, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
