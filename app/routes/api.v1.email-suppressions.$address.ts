// One suppressed address of the key's supplier: GET shows why, DELETE lifts it (204), so mail
// to it goes out again. Another supplier's suppression answers exactly like an unknown one (404).
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { getSuppression, liftSuppression } from "~/features/emails/email-suppressions.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const suppression = await getSuppression(app.db, caller.supplierId, params.address ?? "");
    return suppression ? json(suppression) : notFound("Suppression");
  },
  DELETE: async ({ app, caller, actor, params }) => {
    const lifted = await liftSuppression(app.db, caller.supplierId, params.address ?? "", actor);
    return lifted ? new Response(null, { status: 204 }) : notFound("Suppression");
  },
});
