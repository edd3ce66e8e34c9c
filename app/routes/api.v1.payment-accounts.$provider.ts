// The key's supplier's account at one provider (`stripe` or `adyen`): GET, PUT (create or replace
// the credentials; the account keeps its id and webhook URL), DELETE (stop offering it).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, notFound, problem, validationProblem } from "~/api/problem.server";
import { readJson } from "~/api/request.server";
import {
  getPaymentAccount, isPaymentProvider, removePaymentAccount, setPaymentAccount,
} from "~/services/payment-accounts.server";

const notConfigured = (message: string) => problem(503, "Credentials encryption not configured", message);
const noAccount = () => notFound("Payment account");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const provider = params.provider ?? "";
  if (!isPaymentProvider(provider)) return noAccount();
  const result = await getPaymentAccount(context.app.db, context.app.config, caller.supplierId, provider);
  if (result.ok) return json(result.account);
  return result.reason === "not_found" ? noAccount() : notConfigured(result.message);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PUT" && request.method !== "DELETE") return methodNotAllowed(["GET", "PUT", "DELETE"]);
  const caller = await requireApiKey(request, context);
  const provider = params.provider ?? "";
  if (!isPaymentProvider(provider)) return notFound("Payment provider (stripe or adyen)");
  const actor = { actor: "supplier" as const, actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent };
  const { db, config } = context.app;
  if (request.method === "DELETE") {
    const removed = await removePaymentAccount(db, { supplierId: caller.supplierId, provider, actor });
    return removed.ok ? new Response(null, { status: 204 }) : noAccount();
  }
  const input = await readJson(request, z.unknown());
  const result = await setPaymentAccount(db, config, { supplierId: caller.supplierId, provider, input, actor });
  if (result.ok) return json(result.account, result.created ? 201 : 200);
  if (result.reason === "invalid") return validationProblem(result.errors);
  if (result.reason === "not_configured") return notConfigured(result.message);
  return notFound("Supplier");
}
