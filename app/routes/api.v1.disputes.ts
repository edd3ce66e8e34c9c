// The supplier's disputes (problems payers reported), newest first: ?status=open|accepted|rejected,
// ?invoice=inv_…, ?cursor=, ?limit=.
import { apiRoute } from "~/api/route.server";
import { json } from "~/api/problem.server";
import { listDisputes } from "~/features/invoices/disputes.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, query }) => {
    const result = await listDisputes(app.db, { supplierId: caller.supplierId, query });
    return result.ok ? json(result.page) : result;
  },
});
