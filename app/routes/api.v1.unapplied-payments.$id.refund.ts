// Marks an open unapplied bank payment to be paid back to the payer; nothing is booked.
// `version` must be the one read (409 otherwise).
import { apiRoute, keyedJson } from "~/api/route.server";
import { markUnappliedPayment } from "~/features/bank-files/unapplied-payments.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await markUnappliedPayment(app.db, {
      supplierId: caller.supplierId, id: params.id ?? "", state: "refund_pending", input: await body(), actor, ...(key === undefined ? {} : { idempotencyKey: key }),
    });
    return result.ok ? keyedJson(result.body, 200, result.replayed) : result;
  },
});
