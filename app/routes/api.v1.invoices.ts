// POST creates an invoice (with its first portal link); GET lists the supplier's invoices.
import { keyedJson, apiRoute } from "~/api/route.server";
import { json } from "~/api/problem.server";
import { publicUrl } from "~/platform/config.server";
import { createInvoice, listInvoices } from "~/features/invoices/invoices.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, query }) => {
    const result = await listInvoices(app.db, { supplierId: caller.supplierId, query });
    return result.ok ? json(result.page) : result;
  },
  POST: async ({ app, caller, actor, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await createInvoice(app.db, app.config, {
      ...caller, input: await body(), idempotencyKey: key, origin: { ip: actor.ip, userAgent: actor.userAgent },
    });
    if (!result.ok) return result;
    const location = publicUrl(app.config, `/api/v1/invoices/${result.invoice.id}`);
    return keyedJson(result.invoice, result.status, result.replayed, { Location: location });
  },
});
