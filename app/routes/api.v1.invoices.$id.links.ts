
import { apiRoute, keyedJson } from "~/api/route.server";
import { reissueLink } from "~/services/invoices.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, params, idempotencyKey }) => {
    const result = await reissueLink(app.db, app.config, { ...caller, invoiceId: params.id ?? "", idempotencyKey: idempotencyKey() });
    return result.ok ? keyedJson(result.link, 201, result.replayed) : result;
  },
});
