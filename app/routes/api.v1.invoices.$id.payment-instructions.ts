// What a supplier prints on a PDF to be paid: accounts, OCR and RF references, the Swish, invoice-QR
// and EPC payloads and their image URLs. Another supplier's invoice answers like an unknown one.
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { paymentInstructionsForInvoice, paymentInstructionsJson } from "~/features/payments/payment-instructions.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const invoiceId = params.id ?? "";
    const instructions = await paymentInstructionsForInvoice(app.db, { supplierId: caller.supplierId, invoiceId });
    return instructions ? json(paymentInstructionsJson(app.config, invoiceId, instructions)) : notFound("Invoice");
  },
});
