// Sends the invoice notice to the invoice's billing contacts (once per contact; asking again
// only mails contacts added since). Optional body: { "message": "…" }, shown in the email.
// With an Idempotency-Key a retry answers the first answer again (Idempotent-Replayed).
import { apiRoute, keyedJson } from "~/api/route.server";
import { sendInvoiceSchema } from "~/features/invoices/api.schemas";
import { notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { sendInvoiceNoticeOnce } from "~/features/invoices/invoice-notice.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, request, idempotencyKey, body }) => {
    const key = idempotencyKey();
    // An empty body is fine: the message is optional.
    const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("content-type");
    const input = hasBody ? await body(sendInvoiceSchema) : {};
    const id = params.id ?? "";
    if (!isPublicId("inv", id)) return notFound("Invoice");
    const result = await sendInvoiceNoticeOnce(app.db, {
      supplierId: caller.supplierId, invoiceId: id, message: input.message ?? null, idempotencyKey: key, actor,
    });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
