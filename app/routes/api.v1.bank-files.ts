// POST /api/v1/bank-files: the bank's reconciliation file (BgMax or camt.054) as the raw body.
// Books the payments it names on the key's supplier's invoices and answers the report: 201, or 200
// for `?dry_run=true`; 422 (problem+json naming the line or entry) for a file that is not booked.
// With an Idempotency-Key a retry answers the first report; without one a re-import books nothing
// new and says so (already_imported).
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { fieldErrors, invalid, json, methodNotAllowed, problem, problemResponse } from "~/api/problem.server";
import { idempotencyKeyOf, readBodyLimited } from "~/api/request.server";
import { bankFileQuerySchema, importBankFile, MAX_BANK_FILE_BYTES } from "~/services/bank-file-import.server";

const CONTENT_TYPES = /^(text\/plain|application\/xml|text\/xml|application\/octet-stream)\s*(;|$)/i;

export function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const caller = await requireApiKey(request, context);
  const idempotencyKey = idempotencyKeyOf(request);
  const query = bankFileQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return problemResponse(invalid(fieldErrors(query.error), "The query has invalid parameters."));
  if (!CONTENT_TYPES.test(request.headers.get("content-type") ?? "")) {
    return problem(
      415,
      "Unsupported media type",
      "Send the bank file as it came from the bank, with Content-Type text/plain (BgMax), application/xml (camt.054) or application/octet-stream.",
    );
  }
  const bytes = await readBodyLimited(request, MAX_BANK_FILE_BYTES, `A bank file may be at most ${MAX_BANK_FILE_BYTES} bytes (20 MB).`);
  const result = await importBankFile(context.app.db, {
    supplierId: caller.supplierId,
    bytes,
    dryRun: query.data.dry_run ?? false,
    idempotencyKey,
    actor: { actor: "supplier", actorId: caller.apiKeyId, ip: context.request.ip, userAgent: context.request.userAgent },
  });
  if (!result.ok) return problemResponse(result.problem);
  return json(result.body, result.status, result.replayed ? { "Idempotent-Replayed": "true" } : {});
}
