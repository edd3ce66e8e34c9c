// The campaign's answers as CSV for the supplier's ERP or a spreadsheet: one line per billing
// contact now on file. UTF-8 with a BOM, so Excel shows å, ä and ö; cells a spreadsheet would run
// as formulas are neutralised (payers typed them).
import { apiRoute } from "~/api/route.server";
import { notFound } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import { campaignAnswersCsv } from "~/features/campaigns/campaigns.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const id = params.id ?? "";
    if (!isPublicId("cmp", id)) return notFound("Campaign");
    const csv = await campaignAnswersCsv(app.db, { supplierId: caller.supplierId, campaignId: id });
    if (csv === null) return notFound("Campaign");
    return new Response(`\ufeff${csv}`, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${id}-answers.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
