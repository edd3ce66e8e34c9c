// A copy of one invoice of the key's supplier as a PDF: /api/v1/invoices/<id>/pdf?lang=sv|en
// (default: the customer's language, else the supplier's). The same document the payer downloads
// and reminders carry. Another supplier's invoice answers exactly like an unknown one.
import { apiRoute } from "~/api/route.server";
import { invoicePdfQuerySchema } from "~/features/invoices/api.schemas";
import { notFound } from "~/api/problem.server";
import { invoicePdfForSupplier, invoicePdfResponse } from "~/features/invoices/pdf/invoice-pdf.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, queryOf }) => {
    const { lang } = queryOf(invoicePdfQuerySchema);
    const pdf = await invoicePdfForSupplier(app.db, app.config, {
      supplierId: caller.supplierId,
      invoiceId: params.id ?? "",
      ...(lang ? { locale: lang } : {}),
    });
    return pdf ? invoicePdfResponse(pdf) : notFound("Invoice");
  },
});
