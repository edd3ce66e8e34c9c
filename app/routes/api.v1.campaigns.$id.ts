// One campaign of the key's supplier with its counts and a page of the per-customer state
// (?limit=1–1000, ?after=<next_after>). Another supplier's id answers exactly like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { campaignReportQuerySchema } from "~/api/campaign-schemas";
import { fieldErrors, invalid, json, methodNotAllowed, notFound, problemResponse } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { campaignReport } from "~/services/campaigns.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const query = campaignReportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return problemResponse(invalid(fieldErrors(query.error), "The query has invalid parameters."));
  const id = params.id ?? "";
  if (!isPublicId("cmp", id)) return notFound("Campaign");
  const report = await campaignReport(context.app.db, { supplierId: caller.supplierId, campaignId: id, ...query.data });
  return report ? json(report) : notFound("Campaign");
}

export function action() {
  return methodNotAllowed(["GET"]);
}
