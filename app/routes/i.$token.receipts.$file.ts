// A payment's receipt as a PDF, /i/<token>/receipts/<payment id>.pdf, linked from the page's
// receipt: token-scoped exactly like /i/<token>/invoice.pdf (the link's checks, only its own
// invoice's payments, the page's language, the same bare 404, never cached, nothing recorded).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { shortHash } from "~/platform/logger.server";
import { invoicePdfResponse } from "~/features/invoices/pdf/invoice-pdf.server";
import { receiptPdfForToken } from "~/features/payments/receipts/receipt-pdf.server";

const notFound = () => new Response(null, { status: 404, headers: { "Cache-Control": "private, no-store" } });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  // One segment, "<id>.pdf" (a route segment cannot be part parameter, part literal).
  const paymentId = /^(.+)\.pdf$/.exec(params.file ?? "")?.[1];
  if (paymentId === undefined) throw notFound();
  const result = await receiptPdfForToken(context.app.db, context.app.config, { token, paymentId, request });
  if (!result.ok) {
    context.app.log.info({ tokenHash: shortHash(token), ip: context.request.ip, reason: result.reason }, "receipt PDF refused");
    throw notFound();
  }
  return invoicePdfResponse(result.pdf);
}
