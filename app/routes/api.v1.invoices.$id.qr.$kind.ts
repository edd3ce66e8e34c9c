// A QR image of one invoice for the key's supplier: /api/v1/invoices/<id>/qr/<swish|uqr|epc>.<svg|png>
// (?size= pixels, ?margin= modules). Another supplier's invoice answers like an unknown one.
import { apiRoute } from "~/api/route.server";
import { notFound, problem, validationProblem } from "~/api/problem.server";
import { isQrKind, paymentInstructionsForInvoice, qrPayload } from "~/features/payments/payment-instructions.server";
import { parseQrImageOptions, qrResponse } from "~/features/payments/qr.server";

const IMAGE = /^([a-z]+)\.(svg|png)$/;

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, query }) => {
    const match = IMAGE.exec(params.kind ?? "");
    const kind = match?.[1] ?? "";
    if (!match || !isQrKind(kind)) return notFound("QR code");
    const options = parseQrImageOptions(query);
    if (!options.ok) return validationProblem(options.errors, "The image parameters are invalid.");
    const instructions = await paymentInstructionsForInvoice(app.db, { supplierId: caller.supplierId, invoiceId: params.id ?? "" });
    if (!instructions) return notFound("Invoice");
    const payload = qrPayload(instructions, kind);
    // The invoice exists but this code does not apply (other currency, no Swish number, nothing due).
    if (payload === null) return problem(404, "Not found", "This invoice has no such QR code; see its payment-instructions.");
    return qrResponse(payload, match[2] as "svg" | "png", options.value);
  },
});
