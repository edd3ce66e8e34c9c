// Sends the invoice notice to the invoice's billing contacts (once per contact; asking again
// only mails contacts added since). Optional body: { "message": "…" }, shown in the email.
// With an Idempotency-Key a retry answers the first answer again (Idempotent-Replayed).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { sendInvoiceSchema } from "~/api/invoice-schemas";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readJson } from "~/api/request.server";
import { isPublicId } from "~/domain/public-id";
import { sendInvoiceNoticeOnce } from "~/services/invoice-notice.server";

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  // An empty body is fine: the message is optional.
  const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("content-type");
  const input = hasBody ? await readJson(request, sendInvoiceSchema) : {};
  const id = params.id ?? "";
  if (!isPublicId("inv", id)) return notFound("Invoice");
  const result = await sendInvoiceNoticeOnce(context.app.db, {
    supplierId: caller.supplierId,
    invoiceId: id,
    message: input.message ?? null,
    idempotencyKey,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.body, result.status, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
