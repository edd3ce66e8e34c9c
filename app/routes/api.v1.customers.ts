// GET lists the key's customers (newest first, cursor-paged, ?external_id= to find one); POST creates one.
import { apiRoute, keyedJson } from "~/api/route.server";
import { json } from "~/api/problem.server";
import { publicUrl } from "~/platform/config.server";
import { createCustomer, listCustomersPage } from "~/features/customers/customers.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, query }) => {
    const result = await listCustomersPage(app.db, { supplierId: caller.supplierId, query });
    return result.ok ? json(result.page) : result;
  },
  POST: async ({ app, caller, actor, idempotencyKey, body }) => {
    const key = idempotencyKey();
    const result = await createCustomer(app.db, { ...caller, ip: actor.ip, userAgent: actor.userAgent, input: await body(), idempotencyKey: key });
    if (!result.ok) return result;
    return keyedJson(result.body, 201, result.replayed, { Location: publicUrl(app.config, `/api/v1/customers/${result.body.id}`) });
  },
});
