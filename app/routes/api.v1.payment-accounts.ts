
import { apiRoute } from "~/api/route.server";
import { json, problem } from "~/api/problem.server";
import { listPaymentAccounts } from "~/services/payment-accounts.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller }) => {
    const result = await listPaymentAccounts(app.db, app.config, caller.supplierId);
    return result.ok ? json({ data: result.accounts }) : problem(503, "Credentials encryption not configured", result.message);
  },
});
