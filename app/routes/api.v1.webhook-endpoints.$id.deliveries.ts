// The delivery log of one endpoint, newest first: status, attempts, last HTTP status and error.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, validationProblem } from "~/api/problem.server";
import { listWebhookDeliveries } from "~/services/webhooks.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const query = new URL(request.url).searchParams;
  const result = await listWebhookDeliveries(context.app.db, caller.supplierId, params.id ?? "", query);
  if (result.ok) return json(result.page);
  return result.reason === "not_found"
    ? notFound("Webhook endpoint")
    : validationProblem(result.errors, "The query has invalid parameters.");
}

export function action() {
  return methodNotAllowed(["GET"]);
}
