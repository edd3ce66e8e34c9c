// GET lists the key's supplier's card-payment accounts (Stripe, Adyen): hints of the keys, never
// the keys, and the webhook URL to register at each provider.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problem } from "~/api/problem.server";
import { listPaymentAccounts } from "~/services/payment-accounts.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const result = await listPaymentAccounts(context.app.db, context.app.config, caller.supplierId);
  if (!result.ok) return problem(503, "Credentials encryption not configured", result.message);
  return json({ data: result.accounts });
}

export function action() {
  return methodNotAllowed(["GET"]);
}
