// POST /api/v1/bank-files: the bank's reconciliation file (BgMax or camt.054) as the raw body.
// The file is stored and booked by a job: the answer is 202 with the import (Location:
// /api/v1/imports/{id}), whose report, when done, says what was booked and flagged; a file that
// is not booked (invalid, a test file, another account's) ends as a failed import naming the line
// or entry. Not a BgMax or camt.054 file at all is a 422 at once. `?dry_run=true` books in a
// transaction that is rolled back. With an Idempotency-Key a retry answers the same import;
// without one a re-import books nothing new and says so (already_imported).
import { apiRoute } from "~/api/route.server";
import { problem } from "~/api/problem.server";
import { readBodyLimited } from "~/api/request.server";
import {
  BANK_FILE_CONTENT_TYPES, bankFileQuerySchema, MAX_BANK_FILE_BYTES, startBankFileImport,
} from "~/features/bank-files/bank-file-import.server";
import { acceptedImport } from "~/platform/imports/imports.server";

const CONTENT_TYPES = new RegExp(`^(${BANK_FILE_CONTENT_TYPES.join("|")})\\s*(;|$)`, "i");

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, request, idempotencyKey, queryOf }) => {
    const key = idempotencyKey();
    const query = queryOf(bankFileQuerySchema);
    if (!CONTENT_TYPES.test(request.headers.get("content-type") ?? "")) {
      return problem(
        415,
        "Unsupported media type",
        "Send the bank file as it came from the bank, with Content-Type text/plain (BgMax), application/xml (camt.054) or application/octet-stream.",
      );
    }
    const bytes = await readBodyLimited(request, MAX_BANK_FILE_BYTES, `A bank file may be at most ${MAX_BANK_FILE_BYTES} bytes (20 MB).`);
    const result = await startBankFileImport(app.db, {
      supplierId: caller.supplierId,
      bytes,
      dryRun: query.dry_run ?? false,
      actor,
      ...(key === undefined ? {} : { idempotencyKey: key }),
    });
    return result.ok ? acceptedImport(result.body, result.replayed) : result;
  },
});
