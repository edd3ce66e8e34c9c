// The invoice list as CSV (/app/invoices.csv?…): the same query string as the page, every row the
// filters match (not just one page), streamed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { consoleRoute } from "~/features/console/console-route.server";
import { invoiceListCsv } from "~/features/console/invoice-list.server";
import { NO_STORE } from "~/platform/forms/form-action.server";

const route = consoleRoute({
  permission: "invoices.read",
  load: async (call) => {
    const stream = await invoiceListCsv(call.app.db, call.supplier.id, new URL(call.request.url).searchParams, call.now);
    // A wrong filter: back to the page, which names it.
    if (!stream) return new Response(null, { status: 303, headers: { ...NO_STORE, Location: `/app/invoices${new URL(call.request.url).search}` } });
    const day = call.now.toISOString().slice(0, 10);
    return new Response(stream, {
      headers: { ...NO_STORE, "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="invoices-${day}.csv"` },
    });
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
