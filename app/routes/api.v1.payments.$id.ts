// One payment of the key's supplier. Another supplier's id answers exactly like an unknown one.
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { getPayment } from "~/features/payments/payments-api.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const payment = await getPayment(app.db, caller.supplierId, params.id ?? "");
    return payment ? json(payment) : notFound("Payment");
  },
});
