// One billing contact of a customer: GET shows it (with `email_status`), PATCH changes some of its
// fields under the portal's contact rules; a new email address is how a bounced one is fixed.
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { listCustomerContacts, updateCustomerContact } from "~/features/customers/customers.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const contacts = await listCustomerContacts(app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
    const contact = contacts?.find((row) => row.id === params.contactId);
    return contact ? json(contact) : notFound("Contact");
  },
  PATCH: async ({ app, caller, actor, params, body }) => {
    const input = await body();
    const result = await updateCustomerContact(app.db, {
      ...caller, ip: actor.ip, userAgent: actor.userAgent, id: params.id ?? "", contactId: params.contactId ?? "", input,
    });
    return result.ok ? json(result.contact) : result;
  },
});
