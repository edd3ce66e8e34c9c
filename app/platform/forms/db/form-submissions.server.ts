// One-time submission ids of the portal's forms (security L4: idempotent under double submit).
import { formSubmissions } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

/**
 * Claims a form's submission id inside the action's transaction. False when it was already
 * claimed: the earlier submission did (or, if still running, will have done) the work. A
 * concurrent duplicate waits on the primary key until the first commits or rolls back.
 */
export async function claimFormSubmission(
  db: DbOrTx,
  /** invoiceId is null for a campaign page's forms (customer-level). */
  submission: { id: string; invoiceId: string | null; intent: string },
): Promise<boolean> {
  const rows = await db
    .insert(formSubmissions)
    .values(submission)
    .onConflictDoNothing({ target: formSubmissions.id })
    .returning({ id: formSubmissions.id });
  return rows.length === 1;
}
