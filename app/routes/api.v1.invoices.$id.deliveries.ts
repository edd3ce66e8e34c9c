// Deliveries of an invoice: POST adds what was delivered (whole invoice or some lines) for the
// payer to approve on the portal page; GET lists them with the payer's decision. A POST with an
// Idempotency-Key adds them once: a retry answers the first deliveries (Idempotent-Replayed).
import { apiRoute, keyedJson } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { addDeliveries, listDeliveries } from "~/features/invoices/deliveries.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const deliveries = await listDeliveries(app.db, caller.supplierId, params.id ?? "");
    return deliveries ? json({ data: deliveries }) : notFound("Invoice");
  },
  POST: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await addDeliveries(app.db, {
      ...caller, ip: actor.ip, userAgent: actor.userAgent, invoiceId: params.id ?? "", input: await body(), idempotencyKey: key,
    });
    return result.ok ? keyedJson({ data: result.deliveries }, 201, result.replayed) : result;
  },
});
