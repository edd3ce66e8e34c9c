// POST /api/v1/invoices/import behind the request's Idempotency-Key. The import is idempotent by
// invoice number already, but a second run answers another report ("skipped: exists" instead of
// "created"); with a key, a retry after a lost answer gets the first report again, byte for byte.
// Kept beside invoice-import.server rather than in it: the CLI imports without keys.
import { createHash } from "node:crypto";
import type { Db } from "../../../../db/client";
import { runIdempotent, type Keyed } from "~/api/idempotency.server";
import { importInvoices, type ImportParams, type ImportReport } from "~/features/invoices/import/invoice-import.server";

type ImportConfig = Parameters<typeof importInvoices>[1];

/** Nothing created (and nothing would be): the answer is a 422 carrying the report. */
export function nothingImported(report: ImportReport): boolean {
  return report.errors.length > 0 && report.created.length === 0 && report.would_create.length === 0;
}

/** Thrown inside the keyed transaction so a failed import keeps no claim: the fixed file can reuse the key. */
class NothingImported extends Error {
  constructor(readonly report: ImportReport) {
    super("nothing imported");
  }
}

/** The report (status 200, or 422 when nothing was imported), or the key's problem (422 reused, 409). */
export async function importInvoicesOnce(
  db: Db,
  config: ImportConfig,
  params: ImportParams & { idempotencyKey?: string },
): Promise<Keyed<ImportReport>> {
  const answer = (report: ImportReport) => ({ ok: true as const, status: nothingImported(report) ? 422 : 200, body: report, replayed: false });
  if (params.idempotencyKey === undefined) return answer(await importInvoices(db, config, params));
  const keyed = {
    supplierId: params.supplierId,
    key: params.idempotencyKey,
    route: "POST /api/v1/invoices/import",
    // The same file with other flags (a dry run, then the real run) is another request.
    input: {
      csv_sha256: createHash("sha256").update(params.csv).digest("hex"),
      all_or_nothing: params.allOrNothing ?? false,
      dry_run: params.dryRun ?? false,
    },
  };
  try {
    return await db.transaction((claim) =>
      runIdempotent(claim, keyed, async () => {
        // The import runs on the pool (its own batch transactions, a few invoices in flight), not
        // in `claim`: that transaction only holds the key, so a concurrent retry with it waits for
        // the first report, and an import that fails frees the key with the rollback.
        const report = await importInvoices(db, config, params);
        if (nothingImported(report)) throw new NothingImported(report);
        return { status: 200, body: report };
      }),
    );
  } catch (error) {
    if (error instanceof NothingImported) return answer(error.report);
    throw error;
  }
}
