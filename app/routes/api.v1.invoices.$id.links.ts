// Reissues an invoice's portal link: the new URL is returned once, and older links stop working.
// With an Idempotency-Key a retry answers the same link (Idempotent-Replayed) instead of revoking it.
import { apiRoute, keyedJson } from "~/api/route.server";
import { reissueLink } from "~/features/invoices/invoices.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, params, idempotencyKey }) => {
    const result = await reissueLink(app.db, app.config, { ...caller, invoiceId: params.id ?? "", idempotencyKey: idempotencyKey() });
    return result.ok ? keyedJson(result.link, 201, result.replayed) : result;
  },
});
