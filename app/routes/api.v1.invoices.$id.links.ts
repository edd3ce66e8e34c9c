// Reissues an invoice's portal link: the new URL is returned once, and older links stop working.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound } from "~/api/problem.server";
import { reissueLink } from "~/services/invoices.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const link = await reissueLink(context.app.db, context.app.config, {
    supplierId: caller.supplierId,
    apiKeyId: caller.apiKeyId,
    invoiceId: params.id ?? "",
  });
  return link ? json(link, 201) : notFound("Invoice");
}
