// The invoice's pay link as a QR code (/app/invoices/:id/pay-link.svg) for the console's page:
// the same pay link and image the API's /pay-link/qr.svg gives.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { consoleRoute } from "~/features/console/console-route.server";
import { getPayLink } from "~/features/links/pay-links.server";
import { qrResponse } from "~/features/payments/qr.server";
import { NO_STORE } from "~/platform/forms/form-action.server";

const route = consoleRoute({
  permission: "invoices.read",
  load: async (call) => {
    const outcome = await getPayLink(call.app.db, call.app.config, { supplierId: call.supplier.id, invoiceId: call.params.id ?? "" });
    if (outcome.kind !== "ok") throw new Response(null, { status: 404, headers: NO_STORE });
    return qrResponse(outcome.payLink.url, "svg", {});
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
