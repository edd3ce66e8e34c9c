// The invoice PDF the supplier's ERP made (issue #21). PUT stores it (application/pdf, at most
// 10 MB, a PDF that opens and is not encrypted; 201 the first time, 200 when it replaces one):
// from then on the payer's page offers it and the notice and reminders attach it, stamped.
// GET answers it as uploaded, or with `?stamped=true` with the pay-now box on its first page.
import { apiRoute } from "~/api/route.server";
import { json, notFound, problem, validationProblem } from "~/api/problem.server";
import { readBodyLimited } from "~/api/request.server";
import { supplierPdfQuerySchema } from "~/features/invoices/api.schemas";
import { invoicePdfResponse, supplierDocumentForSupplier } from "~/features/invoices/pdf/invoice-pdf.server";
import { MAX_SUPPLIER_PDF_BYTES, SUPPLIER_PDF_REFUSED, uploadSupplierPdf } from "~/features/invoices/supplier-pdf/supplier-pdf.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, queryOf }) => {
    const { lang, stamped } = queryOf(supplierPdfQuerySchema);
    const result = await supplierDocumentForSupplier(app.db, app.config, {
      supplierId: caller.supplierId,
      invoiceId: params.id ?? "",
      stamped: stamped ?? false,
      ...(lang ? { locale: lang } : {}),
    });
    if (!result.ok) {
      return result.reason === "not_found"
        ? notFound("Invoice")
        : problem(404, "Not found", "No document was uploaded for this invoice: PUT it first (GET /pdf gives the portal's own copy).");
    }
    const response = invoicePdfResponse(result.pdf);
    // How the box was placed: settings, free_corner, no_free_corner (bottom right), or none.
    if (stamped) response.headers.set("Pay-Box-Placement", result.placement);
    return response;
  },
  PUT: async ({ app, caller, actor, params, request }) => {
    if (!/^application\/pdf\b/i.test(request.headers.get("content-type") ?? "")) {
      return problem(415, "Unsupported media type", "Send the invoice as the request body with Content-Type: application/pdf.");
    }
    const bytes = await readBodyLimited(request, MAX_SUPPLIER_PDF_BYTES, SUPPLIER_PDF_REFUSED.too_large);
    const result = await uploadSupplierPdf(app.db, { supplierId: caller.supplierId, invoiceId: params.id ?? "", bytes, actor });
    if (result.ok) return json(result.document, result.replaced ? 200 : 201);
    if (result.reason === "not_found") return notFound("Invoice");
    if (result.reason === "too_large") return problem(413, "Payload too large", SUPPLIER_PDF_REFUSED.too_large);
    return validationProblem([{ field: "(body)", message: SUPPLIER_PDF_REFUSED[result.reason] }], "The file was not stored.");
  },
});
