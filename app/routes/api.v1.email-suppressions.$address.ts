// One suppressed address of the key's supplier: GET shows why, DELETE lifts it (204), so mail
// to it goes out again. Another supplier's suppression answers exactly like an unknown one (404).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound } from "~/api/problem.server";
import { getSuppression, liftSuppression } from "~/services/email-suppressions.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const suppression = await getSuppression(context.app.db, caller.supplierId, params.address ?? "");
  return suppression ? json(suppression) : notFound("Suppression");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "DELETE") return methodNotAllowed(["GET", "DELETE"]);
  const caller = await requireApiKey(request, context);
  const lifted = await liftSuppression(context.app.db, caller.supplierId, params.address ?? "", {
    actor: "supplier",
    actorId: caller.apiKeyId,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
  });
  return lifted ? new Response(null, { status: 204 }) : notFound("Suppression");
}
