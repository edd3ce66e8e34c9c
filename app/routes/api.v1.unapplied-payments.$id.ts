// One unapplied bank payment of the key's supplier, with its allocations and proposals. Another
// supplier's id answers exactly like an unknown one.
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { getUnappliedPayment } from "~/features/bank-files/unapplied-payments.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const payment = await getUnappliedPayment(app.db, caller.supplierId, params.id ?? "");
    return payment ? json(payment) : notFound("Unapplied payment");
  },
});
