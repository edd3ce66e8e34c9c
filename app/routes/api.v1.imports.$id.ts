// One import of the key's supplier (a CSV of invoices, a bank file): its state, progress and, when
// done, its report or problem. Another supplier's id answers exactly like an unknown one.
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { getImport, importJson } from "~/platform/imports/imports.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const row = await getImport(app.db, caller.supplierId, params.id ?? "");
    return row ? json(importJson(row)) : notFound("Import");
  },
});
