// The key's supplier's suppressed addresses (bounced, or marked as spam), by address:
// `?address=` finds one, `?cursor=&limit=` pages through them.
import { apiRoute } from "~/api/route.server";
import { json } from "~/api/problem.server";
import { listSuppressionsPage } from "~/features/emails/email-suppressions.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, query }) => {
    const result = await listSuppressionsPage(app.db, { supplierId: caller.supplierId, query });
    return result.ok ? json(result.page) : result;
  },
});
