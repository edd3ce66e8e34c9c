// POST records a payment the supplier received outside the portal (bank transfer, cash);
// GET lists the invoice's payments. Another supplier's invoice answers like an unknown one.
import { apiRoute, keyedJson } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { publicUrl } from "~/platform/config.server";
import { isOwnInvoice } from "~/features/invoices/invoices.server";
import { listPaymentsPage, recordManualPayment } from "~/features/payments/payments-api.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, query }) => {
    const invoiceId = params.id ?? "";
    if (!(await isOwnInvoice(app.db, caller.supplierId, invoiceId))) return notFound("Invoice");
    const result = await listPaymentsPage(app.db, { supplierId: caller.supplierId, invoiceId, query });
    return result.ok ? json(result.page) : result;
  },
  POST: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await recordManualPayment(app.db, {
      supplierId: caller.supplierId, invoiceId: params.id ?? "", input: await body(), idempotencyKey: key, actor,
    });
    if (!result.ok) return result;
    const location = publicUrl(app.config, `/api/v1/payments/${result.payment.id}`);
    return keyedJson(result.payment, 201, result.replayed, { Location: location });
  },
});
