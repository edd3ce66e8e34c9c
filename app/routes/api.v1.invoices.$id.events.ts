// The invoice's audit log, oldest first: views, confirmations, problems, answers, deliveries,
// contact changes, links, payments. Another supplier's invoice answers like an unknown one.
import { apiRoute } from "~/api/route.server";
import { eventJson } from "~/api/invoice-json.server";
import { json, notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { listInvoiceEvents } from "~/models/events.server";
import { invoiceExists } from "~/models/invoices.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const id = params.id ?? "";
    if (!isPublicId("inv", id) || !(await invoiceExists(app.db, caller.supplierId, id))) return notFound("Invoice");
    const events = await listInvoiceEvents(app.db, caller.supplierId, id);
    return json({ data: events.map(eventJson) });
  },
});
