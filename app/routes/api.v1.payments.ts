// GET lists the key's supplier's payments, newest first (filters: invoice_id, status, provider,
// method, created_after, created_before; cursor paging).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { listPaymentsPage } from "~/services/payments-api.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const result = await listPaymentsPage(context.app.db, { supplierId: caller.supplierId, query: new URL(request.url).searchParams });
  return result.ok ? json(result.page) : problemResponse(result.problem);
}

export function action() {
  return methodNotAllowed(["GET"]);
}
