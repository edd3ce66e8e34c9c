// One invoice of the key's supplier. Another supplier's id answers exactly like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound } from "~/api/problem.server";
import { getInvoice } from "~/services/invoices.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const invoice = await getInvoice(context.app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
  return invoice ? json(invoice) : notFound("Invoice");
}

export function action() {
  return methodNotAllowed(["GET"]);
}
