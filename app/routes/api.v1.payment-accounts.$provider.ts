// The key's supplier's account at one provider (`stripe` or `adyen`): GET, PUT (create or replace
// the credentials; the account keeps its id and webhook URL), DELETE (stop offering it).
import { apiRoute } from "~/api/route.server";
import { json, notFound, problem, validationProblem } from "~/api/problem.server";
import {
  getPaymentAccount, isPaymentProvider, removePaymentAccount, setPaymentAccount,
} from "~/features/payments/payment-accounts.server";

const notConfigured = (message: string) => problem(503, "Credentials encryption not configured", message);
const noAccount = () => notFound("Payment account");
const noProvider = () => notFound("Payment provider (stripe or adyen)");

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const provider = params.provider ?? "";
    if (!isPaymentProvider(provider)) return noAccount();
    const result = await getPaymentAccount(app.db, app.config, caller.supplierId, provider);
    if (result.ok) return json(result.account);
    return result.reason === "not_found" ? noAccount() : notConfigured(result.message);
  },
  PUT: async ({ app, caller, actor, params, body }) => {
    const provider = params.provider ?? "";
    if (!isPaymentProvider(provider)) return noProvider();
    const result = await setPaymentAccount(app.db, app.config, { supplierId: caller.supplierId, provider, input: await body(), actor });
    if (result.ok) return json(result.account, result.created ? 201 : 200);
    if (result.reason === "invalid") return validationProblem(result.errors);
    if (result.reason === "not_configured") return notConfigured(result.message);
    return notFound("Supplier");
  },
  DELETE: async ({ app, caller, actor, params }) => {
    const provider = params.provider ?? "";
    if (!isPaymentProvider(provider)) return noProvider();
    const removed = await removePaymentAccount(app.db, { supplierId: caller.supplierId, provider, actor });
    return removed.ok ? new Response(null, { status: 204 }) : noAccount();
  },
});
