// A campaign's answers as CSV from the console: the API's export (campaignAnswersCsv: one line
// per billing contact, formula-like cells neutralised), UTF-8 with a BOM for Excel.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isPublicId } from "~/domain/public-id";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { consoleRoute } from "~/features/console/console-route.server";
import { campaignAnswersCsv } from "~/features/campaigns/campaigns.server";

const route = consoleRoute({
  permission: "campaigns.read",
  load: async (call) => {
    const id = call.params.id ?? "";
    const csv = isPublicId("cmp", id) ? await campaignAnswersCsv(call.app.db, { supplierId: call.supplier.id, campaignId: id }) : null;
    if (csv === null) throw new Response(null, { status: 404, headers: NO_STORE });
    return new Response(`\ufeff${csv}`, {
      headers: { ...NO_STORE, "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${id}-answers.csv"` },
    });
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
