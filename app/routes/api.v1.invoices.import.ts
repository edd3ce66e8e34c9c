// POST /api/v1/invoices/import: a CSV of invoices (text/csv, ≤ 5 MB), one row per invoice line.
// The file is stored and imported by a job: the answer is 202 with the import (Location:
// /api/v1/imports/{id}), whose report, when done, lists what was created, skipped and wrong.
// `?all_or_nothing=true`, `?dry_run=true` (a job too: checking a large file costs as much as
// reading it). With an Idempotency-Key a retry of the same file and flags answers the same import.
import { apiRoute } from "~/api/route.server";
import { CSV_IMPORT_MAX_BYTES as MAX_CSV_BYTES, importQuerySchema } from "~/features/invoices/api.schemas";
import { problem } from "~/api/problem.server";
import { readBodyLimited } from "~/api/request.server";
import { startInvoiceImport } from "~/features/invoices/import/invoice-import.server";
import { acceptedImport } from "~/platform/imports/imports.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, request, idempotencyKey, queryOf }) => {
    const key = idempotencyKey();
    const query = queryOf(importQuerySchema);
    if (!/^(text|application)\/csv\b/i.test(request.headers.get("content-type") ?? "")) {
      return problem(415, "Unsupported media type", "Send the file as CSV with Content-Type: text/csv (UTF-8).");
    }
    const csv = await readBodyLimited(request, MAX_CSV_BYTES, `The CSV may be at most ${MAX_CSV_BYTES} bytes; split the file.`);
    const result = await startInvoiceImport(app.db, {
      supplierId: caller.supplierId,
      csv,
      actor,
      options: { all_or_nothing: query.all_or_nothing ?? false, dry_run: query.dry_run ?? false },
      ...(key === undefined ? {} : { idempotencyKey: key }),
    });
    return result.ok ? acceptedImport(result.body, result.replayed) : result;
  },
});
