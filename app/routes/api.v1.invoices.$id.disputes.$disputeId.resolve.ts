// The supplier answers a dispute: `accepted` with a credit note reference or a corrected invoice
// (which gets a new portal link for the payer), or `rejected` with a message. The payer is told.
// With an Idempotency-Key a retry answers the first answer again (Idempotent-Replayed), not a 409.
import { apiRoute, keyedJson } from "~/api/route.server";
import { resolveDisputeFromApi } from "~/features/invoices/disputes.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await resolveDisputeFromApi(app.db, app.config, {
      ...caller,
      ip: actor.ip,
      userAgent: actor.userAgent,
      invoiceId: params.id ?? "",
      disputeId: params.disputeId ?? "",
      input: await body(),
      idempotencyKey: key,
    });
    return result.ok ? keyedJson(result.dispute, 200, result.replayed) : result;
  },
});
