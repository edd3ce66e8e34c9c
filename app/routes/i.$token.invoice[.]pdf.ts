// The payer's copy of the invoice as a PDF, /i/<token>/invoice.pdf, linked from the page: the token
// stays in the path (redacted from logs, rate-limited like the page, since every /i/ path is), the
// language is chosen as on the page, and every failure is the page's same bare 404. A download is
// not a visit and changes nothing (security L3).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { shortHash } from "~/platform/logger.server";
import { invoicePdfForToken, invoicePdfResponse } from "~/features/invoices/pdf/invoice-pdf.server";

const notFound = () => new Response(null, { status: 404, headers: { "Cache-Control": "private, no-store" } });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const result = await invoicePdfForToken(context.app.db, context.app.config, { token, request });
  if (!result.ok) {
    context.app.log.info({ tokenHash: shortHash(token), ip: context.request.ip, reason: result.reason }, "link rejected for the invoice PDF");
    throw notFound();
  }
  return invoicePdfResponse(result.pdf);
}
