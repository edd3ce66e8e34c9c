// GET lists the key's supplier's unapplied bank payments (what an import could not book), oldest
// first (filter: state; cursor paging).
import { apiRoute } from "~/api/route.server";
import { json } from "~/api/problem.server";
import { listUnappliedPage } from "~/features/bank-files/unapplied-payments.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, query }) => {
    const result = await listUnappliedPage(app.db, { supplierId: caller.supplierId, query });
    return result.ok ? json(result.page) : result;
  },
});
