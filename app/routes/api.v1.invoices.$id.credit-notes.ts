// Issues a credit note for an invoice: the whole invoice by default, or the lines given (negative
// amounts that add up, at most what is left to credit). The answer is the credit note.
import { apiRoute, keyedJson } from "~/api/route.server";
import { publicUrl } from "~/platform/config.server";
import { createCreditNote } from "~/features/invoices/invoice-changes.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await createCreditNote(app.db, app.config, {
      ...caller, id: params.id ?? "", input: await body(), idempotencyKey: key, origin: { ip: actor.ip, userAgent: actor.userAgent },
    });
    if (!result.ok) return result;
    const location = publicUrl(app.config, `/api/v1/invoices/${result.invoice.id}`);
    return keyedJson(result.invoice, result.status, result.replayed, { Location: location });
  },
});
