// A payment's receipt as a PDF, /i/<token>/receipts/<payment id>.pdf, linked from the page's
// receipt: token-scoped exactly like /i/<token>/invoice.pdf (the link's checks, only its own
// invoice's payments, the page's language, the same bare 404, never cached, nothing recorded).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { invoicePdfResponse } from "~/features/invoices/pdf/invoice-pdf.server";
import { openLinkedInvoice } from "~/features/links/linked-invoice.server";
import { receiptPdfForToken } from "~/features/payments/receipts/receipt-pdf.server";
import { linkNotFound } from "~/platform/forms/form-action.server";

export async function loader(args: LoaderFunctionArgs) {
  const { request, params, context } = args;
  // One segment, "<id>.pdf" (a route segment cannot be part parameter, part literal).
  const paymentId = /^(.+)\.pdf$/.exec(params.file ?? "")?.[1];
  if (paymentId === undefined) throw linkNotFound();
  const { pdf } = await openLinkedInvoice(args, "receipt PDF refused", (token) =>
    receiptPdfForToken(context.app.db, context.app.config, { token, paymentId, request }),
  );
  return invoicePdfResponse(pdf);
}
