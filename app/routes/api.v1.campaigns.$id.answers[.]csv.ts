// The campaign's answers as CSV for the supplier's ERP or a spreadsheet: one line per billing
// contact now on file. UTF-8 with a BOM, so Excel shows å, ä and ö; cells a spreadsheet would run
// as formulas are neutralised (payers typed them).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { methodNotAllowed, notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { campaignAnswersCsv } from "~/services/campaigns.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const id = params.id ?? "";
  if (!isPublicId("cmp", id)) return notFound("Campaign");
  const csv = await campaignAnswersCsv(context.app.db, { supplierId: caller.supplierId, campaignId: id });
  if (csv === null) return notFound("Campaign");
  return new Response(`\ufeff${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${id}-answers.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

export function action() {
  return methodNotAllowed(["GET"]);
}
