// What a supplier prints on a PDF to be paid: accounts, OCR and RF references, the Swish, invoice-QR
// and EPC payloads and their image URLs. Another supplier's invoice answers like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound } from "~/api/problem.server";
import { paymentInstructionsForInvoice, paymentInstructionsJson } from "~/services/payment-instructions.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const invoiceId = params.id ?? "";
  const instructions = await paymentInstructionsForInvoice(context.app.db, { supplierId: caller.supplierId, invoiceId });
  if (!instructions) return notFound("Invoice");
  return json(paymentInstructionsJson(context.app.config, invoiceId, instructions));
}

export function action() {
  return methodNotAllowed(["GET"]);
}
