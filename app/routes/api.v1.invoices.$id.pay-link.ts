// The printed "pay now" link of one invoice for the key's supplier: `{ url, code, qr: { svg, png } }`,
// the same for the invoice's whole life. Another supplier's invoice answers like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problem } from "~/api/problem.server";
import { getPayLink, PAY_LINK_REFUSED } from "~/services/pay-links.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const outcome = await getPayLink(context.app.db, context.app.config, { supplierId: caller.supplierId, invoiceId: params.id ?? "" });
  if (outcome.kind === "not_found") return notFound("Invoice");
  if (outcome.kind !== "ok") return problem(409, "No pay link", PAY_LINK_REFUSED[outcome.kind]);
  return json(outcome.payLink);
}

export function action() {
  return methodNotAllowed(["GET"]);
}
