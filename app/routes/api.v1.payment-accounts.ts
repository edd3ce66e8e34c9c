// GET lists the key's supplier's card-payment accounts (Stripe, Adyen): hints of the keys, never
// the keys, and the webhook URL to register at each provider.
import { apiRoute } from "~/api/route.server";
import { json, problem } from "~/api/problem.server";
import { listPaymentAccounts } from "~/features/payments/payment-accounts.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller }) => {
    const result = await listPaymentAccounts(app.db, app.config, caller.supplierId);
    return result.ok ? json({ data: result.accounts }) : problem(503, "Credentials encryption not configured", result.message);
  },
});
