// The supplier answers a dispute: `accepted` with a credit note reference or a corrected invoice
// (which gets a new portal link for the payer), or `rejected` with a message. The payer is told.
// With an Idempotency-Key a retry answers the first answer again (Idempotent-Replayed), not a 409.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { resolveDisputeFromApi } from "~/services/disputes.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const input = await readJson(request, z.unknown());
  const result = await resolveDisputeFromApi(context.app.db, context.app.config, {
    ...caller,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
    invoiceId: params.id ?? "",
    disputeId: params.disputeId ?? "",
    input,
    idempotencyKey,
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.dispute, 200, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
