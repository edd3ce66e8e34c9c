// The invoice's audit log, oldest first: views, confirmations, problems, answers, deliveries,
// contact changes, links, payments. Another supplier's invoice answers like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { eventJson } from "~/api/invoice-json.server";
import { json, methodNotAllowed, notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { listInvoiceEvents } from "~/models/events.server";
import { invoiceExists } from "~/models/invoices.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const id = params.id ?? "";
  if (!isPublicId("inv", id) || !(await invoiceExists(context.app.db, caller.supplierId, id))) return notFound("Invoice");
  const events = await listInvoiceEvents(context.app.db, caller.supplierId, id);
  return json({ data: events.map(eventJson) });
}

export function action() {
  return methodNotAllowed(["GET"]);
}
