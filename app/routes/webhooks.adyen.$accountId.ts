// Adyen's standard webhook for one supplier's payment account: /webhooks/adyen/<account id>.
// Verification and the ledger changes live in app/integrations/adyen-webhook.server.ts.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleAdyenWebhook } from "~/integrations/adyen-webhook.server";

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed();
  return handleAdyenWebhook(context.app, params.accountId ?? "", request);
}

export function loader() {
  return methodNotAllowed();
}

function methodNotAllowed(): Response {
  return new Response("Method not allowed", { status: 405, headers: { allow: "POST", "content-type": "text/plain; charset=utf-8" } });
}
