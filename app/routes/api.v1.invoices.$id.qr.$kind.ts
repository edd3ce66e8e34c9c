// A QR image of one invoice for the key's supplier: /api/v1/invoices/<id>/qr/<swish|uqr|epc>.<svg|png>
// (?size= pixels, ?margin= modules). Another supplier's invoice answers like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { methodNotAllowed, notFound, problem, validationProblem } from "~/api/problem.server";
import { isQrKind, paymentInstructionsForInvoice, qrPayload } from "~/services/payment-instructions.server";
import { parseQrImageOptions, qrResponse } from "~/services/qr.server";

const IMAGE = /^([a-z]+)\.(svg|png)$/;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const match = IMAGE.exec(params.kind ?? "");
  const kind = match?.[1] ?? "";
  if (!match || !isQrKind(kind)) return notFound("QR code");
  const options = parseQrImageOptions(new URL(request.url).searchParams);
  if (!options.ok) return validationProblem(options.errors, "The image parameters are invalid.");
  const instructions = await paymentInstructionsForInvoice(context.app.db, { supplierId: caller.supplierId, invoiceId: params.id ?? "" });
  if (!instructions) return notFound("Invoice");
  const payload = qrPayload(instructions, kind);
  // The invoice exists but this code does not apply (other currency, no Swish number, nothing due).
  if (payload === null) return problem(404, "Not found", "This invoice has no such QR code; see its payment-instructions.");
  return qrResponse(payload, match[2] as "svg" | "png", options.value);
}

export function action() {
  return methodNotAllowed(["GET"]);
}
