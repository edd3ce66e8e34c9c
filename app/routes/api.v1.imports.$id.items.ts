// GET pages through every entry of the key's supplier's ended bank-file import (its report holds
// the first 1,000): each entry in file order with its flags in words. Another supplier's id
// answers exactly like an unknown one.
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { bankFileReportPage } from "~/features/bank-files/bank-file-report.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, query }) => {
    const result = await bankFileReportPage(app.db, { supplierId: caller.supplierId, importId: params.id ?? "", query });
    if (result.ok) return json(result.page);
    return "reason" in result ? notFound("Import") : result;
  },
});
