// The printed "pay now" link of one invoice for the key's supplier: `{ url, code, qr: { svg, png } }`,
// the same for the invoice's whole life. Another supplier's invoice answers like an unknown one.
import { apiRoute } from "~/api/route.server";
import { json, notFound, problem } from "~/api/problem.server";
import { getPayLink, PAY_LINK_REFUSED } from "~/features/links/pay-links.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const outcome = await getPayLink(app.db, app.config, { supplierId: caller.supplierId, invoiceId: params.id ?? "" });
    if (outcome.kind === "not_found") return notFound("Invoice");
    if (outcome.kind !== "ok") return problem(409, "No pay link", PAY_LINK_REFUSED[outcome.kind]);
    return json(outcome.payLink);
  },
});
