// Adyen's standard webhook for one supplier's payment account: /webhooks/adyen/<account id>.
// Verification and the ledger changes live in app/integrations/adyen-webhook.server.ts.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleAdyenWebhook } from "~/integrations/adyen-webhook.server";
import { webhookMethodNotAllowed } from "~/platform/webhook-receiver.server";

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return webhookMethodNotAllowed();
  return handleAdyenWebhook(context.app, params.accountId ?? "", request);
}

export const loader = webhookMethodNotAllowed;
