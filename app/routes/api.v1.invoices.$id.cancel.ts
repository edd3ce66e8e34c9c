// Cancels an invoice no money was received for (else 409: issue a credit note). Optional body:
// { "reason": "…" }. Cancelling a cancelled invoice answers 200 with the same body.
import { apiRoute, keyedJson } from "~/api/route.server";
import { cancelInvoice } from "~/features/invoices/invoice-changes.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, request, idempotencyKey, body }) => {
    const key = idempotencyKey();
    // An empty body is fine: the reason is optional.
    const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("content-type");
    const result = await cancelInvoice(app.db, app.config, {
      ...caller,
      id: params.id ?? "",
      input: hasBody ? await body() : undefined,
      idempotencyKey: key,
      origin: { ip: actor.ip, userAgent: actor.userAgent },
    });
    return result.ok ? keyedJson(result.invoice, result.status, result.replayed) : result;
  },
});
