// The receipt of one payment of the key's supplier as a PDF: /api/v1/payments/<id>/receipt.pdf?lang=sv|en
// (default: the customer's language, else the supplier's). The same document the payer downloads
// from the page. Another supplier's payment, and one that did not arrive, answer like an unknown one.
import { apiRoute } from "~/api/route.server";
import { invoicePdfQuerySchema } from "~/features/invoices/api.schemas";
import { notFound } from "~/api/problem.server";
import { invoicePdfResponse } from "~/features/invoices/pdf/invoice-pdf.server";
import { receiptPdfForSupplier } from "~/features/payments/receipts/receipt-pdf.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, queryOf }) => {
    const { lang } = queryOf(invoicePdfQuerySchema);
    const pdf = await receiptPdfForSupplier(app.db, app.config, {
      supplierId: caller.supplierId,
      paymentId: params.id ?? "",
      ...(lang ? { locale: lang } : {}),
    });
    return pdf ? invoicePdfResponse(pdf) : notFound("Payment");
  },
});
