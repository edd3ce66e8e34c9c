// One invoice of the key's supplier; PATCH changes it while the payer has not confirmed it and
// nothing was paid. Another supplier's id answers exactly like an unknown one (404).
import { apiRoute, keyedJson } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { getInvoice } from "~/features/invoices/invoices.server";
import { updateInvoice } from "~/features/invoices/invoice-changes.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const invoice = await getInvoice(app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
    return invoice ? json(invoice) : notFound("Invoice");
  },
  PATCH: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await updateInvoice(app.db, app.config, {
      ...caller, id: params.id ?? "", input: await body(), idempotencyKey: key, origin: { ip: actor.ip, userAgent: actor.userAgent },
    });
    return result.ok ? keyedJson(result.invoice, result.status, result.replayed) : result;
  },
});
