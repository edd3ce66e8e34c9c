// One payment of the key's supplier. Another supplier's id answers exactly like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound } from "~/api/problem.server";
import { getPayment } from "~/services/payments-api.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const payment = await getPayment(context.app.db, caller.supplierId, params.id ?? "");
  return payment ? json(payment) : notFound("Payment");
}

export function action() {
  return methodNotAllowed(["GET"]);
}
