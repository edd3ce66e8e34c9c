// The key's supplier's suppressed addresses (bounced, or marked as spam), by address:
// `?address=` finds one, `?cursor=&limit=` pages through them.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { json, methodNotAllowed, problemResponse } from "~/api/problem.server";
import { listSuppressionsPage } from "~/services/email-suppressions.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const result = await listSuppressionsPage(context.app.db, { supplierId: caller.supplierId, query: new URL(request.url).searchParams });
  return result.ok ? json(result.page) : problemResponse(result.problem);
}

export function action(_args: ActionFunctionArgs) {
  return methodNotAllowed(["GET"]);
}
