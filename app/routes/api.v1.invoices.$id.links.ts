// Reissues an invoice's portal link: the new URL is returned once, and older links stop working.
// With an Idempotency-Key a retry answers the same link (Idempotent-Replayed) instead of revoking it.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf } from "~/api/request.server";
import { reissueLink } from "~/services/invoices.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const result = await reissueLink(context.app.db, context.app.config, {
    supplierId: caller.supplierId,
    apiKeyId: caller.apiKeyId,
    invoiceId: params.id ?? "",
    idempotencyKey,
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.link, 201, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
