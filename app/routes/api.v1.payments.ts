// GET lists the key's supplier's payments, newest first (filters: invoice_id, status, provider,
// method, created_after, created_before; cursor paging).
import { apiRoute } from "~/api/route.server";
import { json } from "~/api/problem.server";
import { listPaymentsPage } from "~/features/payments/payments-api.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, query }) => {
    const result = await listPaymentsPage(app.db, { supplierId: caller.supplierId, query });
    return result.ok ? json(result.page) : result;
  },
});
