// One billing contact of a customer: GET shows it (with `email_status`), PATCH changes some of its
// fields under the portal's contact rules; a new email address is how a bounced one is fixed.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import { listCustomerContacts, updateCustomerContact } from "~/services/customers.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const contacts = await listCustomerContacts(context.app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
  const contact = contacts?.find((row) => row.id === params.contactId);
  return contact ? json(contact) : notFound("Contact");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH") return methodNotAllowed(["GET", "PATCH"]);
  const caller = await requireApiKey(request, context);
  const input = await readJson(request, z.unknown());
  const result = await updateCustomerContact(context.app.db, {
    ...caller,
    ip: context.request.ip,
    userAgent: context.request.userAgent,
    id: params.id ?? "",
    contactId: params.contactId ?? "",
    input,
  });
  return result.ok ? json(result.contact) : problemResponse(result.problem);
}
