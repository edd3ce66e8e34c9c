// Sends the invoice notice to the invoice's billing contacts (once per contact; asking again
// only mails contacts added since). Optional body: { "message": "…" }, shown in the email.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { sendInvoiceSchema } from "~/api/invoice-schemas";
import { json, methodNotAllowed, notFound, problem } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import { isPublicId } from "~/domain/public-id";
import { sendInvoiceNotice } from "~/services/invoice-notice.server";

const REFUSED = {
  cancelled: "The invoice is cancelled.",
  credit_note: "A credit note is not sent as an invoice to pay.",
  no_recipient: "The customer has no billing contact with an email address: add one first.",
} as const;

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  // An empty body is fine: the message is optional.
  const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("content-type");
  const input = hasBody ? await readJson(request, sendInvoiceSchema) : {};
  const id = params.id ?? "";
  if (!isPublicId("inv", id)) return notFound("Invoice");
  const result = await sendInvoiceNotice(context.app.db, {
    supplierId: caller.supplierId,
    invoiceId: id,
    message: input.message ?? null,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) {
    if (result.reason === "not_found") return notFound("Invoice");
    return problem(409, "Cannot send the invoice", REFUSED[result.reason]);
  }
  return json({ invoice_id: id, emails: result.emails }, 202);
}
