// Resend's webhook events as we received them, one row per svix-id: claiming the id in the same
// transaction as the event's effects makes a redelivery (or a concurrent duplicate, which waits on
// the first one's row lock) change nothing.
import { and, eq } from "drizzle-orm";
import { emailProviderEvents, emails, invoices } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import type { EmailRow } from "~/features/emails/db/emails.server";

export type EmailEventOutcome = "applied" | "already_suppressed" | "transient" | "not_ours" | "ignored";

/** False when this event id was handled before: the caller then does nothing at all. */
export async function claimProviderEvent(
  tx: Tx,
  event: { eventId: string; type: string; providerEmailId: string | null; outcome: EmailEventOutcome },
): Promise<boolean> {
  const rows = await tx
    .insert(emailProviderEvents)
    .values(event)
    .onConflictDoNothing({ target: emailProviderEvents.eventId })
    .returning({ eventId: emailProviderEvents.eventId });
  return rows.length === 1;
}

/** What the event turned out to do, once its effects are known (same transaction as the claim). */
export async function setProviderEventOutcome(tx: Tx, eventId: string, outcome: EmailEventOutcome): Promise<void> {
  await tx.update(emailProviderEvents).set({ outcome }).where(eq(emailProviderEvents.eventId, eventId));
}

/**
 * The email Resend knows by this id, whichever supplier sent it: one Resend account serves the
 * whole deployment, and the email row then says which supplier the bounce belongs to.
 */
export async function findEmailByProviderId(db: DbOrTx, providerId: string): Promise<EmailRow | undefined> {
  const [row] = await db.select().from(emails).where(eq(emails.providerId, providerId)).limit(1);
  return row;
}

/** The number of the invoice an email was about, for telling the supplier which one. */
export async function invoiceNumberOf(db: DbOrTx, supplierId: string, invoiceId: string): Promise<string | null> {
  const [row] = await db
    .select({ number: invoices.number })
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, invoiceId)))
    .limit(1);
  return row?.number ?? null;
}
