// A customer's billing contacts: GET lists them, POST adds one (the portal's contact rules).
import { apiRoute, keyedJson } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { addCustomerContact, listCustomerContacts } from "~/features/customers/customers.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const contacts = await listCustomerContacts(app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
    return contacts ? json({ data: contacts }) : notFound("Customer");
  },
  POST: async ({ app, caller, actor, params, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await addCustomerContact(app.db, {
      ...caller, ip: actor.ip, userAgent: actor.userAgent, id: params.id ?? "", input: await body(), idempotencyKey: key,
    });
    return result.ok ? keyedJson(result.body, 201, result.replayed) : result;
  },
});
