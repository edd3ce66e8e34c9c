// POST /api/v1/invoices/import: a CSV of invoices (text/csv, ≤ 5 MB), one row per invoice line.
// Answers the import report: 200 when something was created or nothing was wrong, 422 (problem+json
// carrying the same report) when nothing could be created. `?all_or_nothing=true`, `?dry_run=true`.
// With an Idempotency-Key a retry of the same file and flags answers the first report (Idempotent-Replayed).
import { apiRoute } from "~/api/route.server";
import { CSV_IMPORT_MAX_BYTES as MAX_CSV_BYTES, importQuerySchema } from "~/features/invoices/api.schemas";
import { json, problem } from "~/api/problem.server";
import { readBodyLimited } from "~/api/request.server";
import type { ImportReport } from "~/features/invoices/import/invoice-import.server";
import { importInvoicesOnce } from "~/features/invoices/import/invoice-import-once.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, request, idempotencyKey, queryOf }) => {
    const key = idempotencyKey();
    const query = queryOf(importQuerySchema);
    if (!/^(text|application)\/csv\b/i.test(request.headers.get("content-type") ?? "")) {
      return problem(415, "Unsupported media type", "Send the file as CSV with Content-Type: text/csv (UTF-8).");
    }
    const csv = await readBodyLimited(request, MAX_CSV_BYTES, `The CSV may be at most ${MAX_CSV_BYTES} bytes; split the file.`);
    const result = await importInvoicesOnce(app.db, app.config, {
      ...caller,
      csv,
      allOrNothing: query.all_or_nothing ?? false,
      dryRun: query.dry_run ?? false,
      origin: { ip: actor.ip, userAgent: actor.userAgent },
      idempotencyKey: key,
    });
    if (!result.ok) return result;
    return reportResponse(result.status, result.body, result.replayed ? { "Idempotent-Replayed": "true" } : {});
  },
});

function reportResponse(status: number, report: ImportReport, headers: Record<string, string>): Response {
  if (status !== 422) return json(report, status, headers);
  const detail = report.all_or_nothing && report.invoices > 0
    ? "Some rows are invalid, so nothing was imported (all_or_nothing). See errors for each row and field."
    : "No invoice could be imported. See errors for each row and field.";
  return new Response(JSON.stringify({ type: "about:blank", title: "Import failed", status: 422, detail, ...report }), {
    status: 422,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" },
  });
}
