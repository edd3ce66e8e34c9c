// One customer of the key's supplier, with its billing contacts; PATCH changes some of its fields.
// Another supplier's id answers exactly like an unknown one (404).
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { getCustomer, updateCustomer } from "~/features/customers/customers.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const customer = await getCustomer(app.db, { supplierId: caller.supplierId, id: params.id ?? "" });
    return customer ? json(customer) : notFound("Customer");
  },
  PATCH: async ({ app, caller, actor, params, body }) => {
    const input = await body();
    const result = await updateCustomer(app.db, { ...caller, ip: actor.ip, userAgent: actor.userAgent, id: params.id ?? "", input });
    return result.ok ? json(result.customer) : result;
  },
});
