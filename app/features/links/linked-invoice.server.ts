// What the files behind an invoice link (/i/<token>/invoice.pdf, receipts/<id>.pdf, due-date.ics,
// qr/<kind>.<ext>) share: the token from the path opens what it leads to, and a link that fails
// any check is logged by its token's short hash, never the token, and answered with the page's
// same bare 404, never cached.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { linkNotFound } from "~/platform/forms/form-action.server";
import { shortHash } from "~/platform/logger.server";

/**
 * The opened result, or a thrown 404 logged as `rejected` (with the failed check's reason, when
 * `open` gives one).
 */
export async function openLinkedInvoice<Result extends { ok: true } | { ok: false; reason?: string }>(
  { params, context }: Pick<LoaderFunctionArgs, "params" | "context">,
  rejected: string,
  open: (token: string) => Promise<Result>,
): Promise<Extract<Result, { ok: true }>> {
  const token = params.token ?? "";
  const result = await open(token);
  if (!result.ok) {
    const reason = "reason" in result ? { reason: result.reason } : {};
    context.app.log.info({ tokenHash: shortHash(token), ip: context.request.ip, ...reason }, rejected);
    throw linkNotFound();
  }
  return result as Extract<Result, { ok: true }>;
}
