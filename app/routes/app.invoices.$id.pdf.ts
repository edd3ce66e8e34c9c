// The invoice's PDF from the console (/app/invoices/:id/pdf): the portal's own copy, or with
// ?document=supplier the PDF the supplier uploaded, stamped with the pay-now box; the same use
// cases the API's /pdf and /document answer with.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { consoleRoute, notFound } from "~/features/console/console-route.server";
import { invoicePdfForSupplier, invoicePdfResponse, supplierDocumentForSupplier } from "~/features/invoices/pdf/invoice-pdf.server";

const route = consoleRoute({
  permission: "invoices.read",
  load: async (call) => {
    const scope = { supplierId: call.supplier.id, invoiceId: call.params.id ?? "" };
    if (new URL(call.request.url).searchParams.get("document") === "supplier") {
      const result = await supplierDocumentForSupplier(call.app.db, call.app.config, { ...scope, stamped: true });
      if (!result.ok) throw notFound();
      return invoicePdfResponse(result.pdf);
    }
    const pdf = await invoicePdfForSupplier(call.app.db, call.app.config, scope);
    if (!pdf) throw notFound();
    return invoicePdfResponse(pdf);
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
