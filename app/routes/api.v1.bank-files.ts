// POST /api/v1/bank-files: the bank's reconciliation file (BgMax or camt.054) as the raw body.
// Books the payments it names on the key's supplier's invoices and answers the report: 201, or 200
// for `?dry_run=true`; 422 (problem+json naming the line or entry) for a file that is not booked.
// With an Idempotency-Key a retry answers the first report; without one a re-import books nothing
// new and says so (already_imported).
import { apiRoute, keyedJson } from "~/api/route.server";
import { problem } from "~/api/problem.server";
import { readBodyLimited } from "~/api/request.server";
import {
  BANK_FILE_CONTENT_TYPES, bankFileQuerySchema, importBankFile, MAX_BANK_FILE_BYTES,
} from "~/features/bank-files/bank-file-import.server";

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
    const result = await importBankFile(app.db, { supplierId: caller.supplierId, bytes, dryRun: query.dry_run ?? false, idempotencyKey: key, actor });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
