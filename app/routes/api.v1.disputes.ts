// The supplier's disputes (problems payers reported), newest first: ?status=open|accepted|rejected,
// ?invoice=inv_…, ?cursor=, ?limit=.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { listDisputes } from "~/services/disputes.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const result = await listDisputes(context.app.db, { supplierId: caller.supplierId, query: new URL(request.url).searchParams });
  return result.ok ? json(result.page) : problemResponse(result.problem);
}

export function action() {
  return methodNotAllowed(["GET"]);
}
