// The invoice's audit log, oldest first: views, confirmations, problems, answers, deliveries,
// contact changes, links, payments. Another supplier's invoice answers like an unknown one.
import { apiRoute } from "~/api/route.server";
import { eventJson } from "~/features/invoices/api.json.server";
import { json, notFound } from "~/api/problem.server";
import { invoiceTimeline } from "~/features/invoices/invoices.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const events = await invoiceTimeline(app.db, caller.supplierId, params.id ?? "");
    return events ? json({ data: events.map(eventJson) }) : notFound("Invoice");
  },
});
