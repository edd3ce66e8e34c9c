// Places an open unapplied bank payment on one or several invoices, to the öre, through the
// ledger (one transaction); `version` guards against two people placing it at once (409).
import { apiRoute, keyedJson } from "~/api/route.server";
import { allocateUnappliedPayment } from "~/features/bank-files/unapplied-payments.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await allocateUnappliedPayment(app.db, {
      supplierId: caller.supplierId, id: params.id ?? "", input: await body(), actor, ...(key === undefined ? {} : { idempotencyKey: key }),
    });
    return result.ok ? keyedJson(result.body, 200, result.replayed) : result;
  },
});
