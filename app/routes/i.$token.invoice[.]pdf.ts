// The payer's copy of the invoice as a PDF, /i/<token>/invoice.pdf, linked from the page: the token
// stays in the path (redacted from logs, rate-limited like the page, since every /i/ path is), the
// language is chosen as on the page, and every failure is the page's same bare 404. A download is
// not a visit and changes nothing (security L3).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { invoicePdfForToken, invoicePdfResponse } from "~/features/invoices/pdf/invoice-pdf.server";
import { openLinkedInvoice } from "~/features/links/linked-invoice.server";

export async function loader(args: LoaderFunctionArgs) {
  const { request, context } = args;
  const { pdf } = await openLinkedInvoice(args, "link rejected for the invoice PDF", (token) =>
    invoicePdfForToken(context.app.db, context.app.config, { token, request }),
  );
  return invoicePdfResponse(pdf);
}
