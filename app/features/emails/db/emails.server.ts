// The emails table: one row per message, written in the transaction that causes it, then
// rendered and sent by the email.send job. Without Resend the row is the delivered message.
import { and, desc, eq, sql, type AnyColumn } from "drizzle-orm";
import { emails } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { insertRows } from "../../../../db/bulk-insert";
import { newPublicId } from "~/domain/public-id";

export type EmailRow = typeof emails.$inferSelect;

export type NewEmail = {
  supplierId: string;
  invoiceId: string | null;
  customerId: string | null;
  idempotencyKey: string;
  template: string;
  locale: "sv" | "en";
  props: Record<string, unknown>;
  toAddress: string;
  attachInvoicePdf?: boolean;
};

/**
 * Inserts the email unless one with the same idempotency key exists; answers the row's id
 * either way, and whether this call created it.
 */
export async function insertEmail(db: DbOrTx, email: NewEmail): Promise<{ id: string; inserted: boolean }> {
  const [row] = await db
    .insert(emails)
    .values({ id: newPublicId("msg"), ...email })
    .onConflictDoNothing({ target: emails.idempotencyKey })
    .returning({ id: emails.id });
  if (row) return { id: row.id, inserted: true };
  const [existing] = await db
    .select({ id: emails.id })
    .from(emails)
    .where(eq(emails.idempotencyKey, email.idempotencyKey))
    .limit(1);
  if (!existing) throw new Error("email idempotency conflict without a row"); // cannot happen: the key is unique
  return { id: existing.id, inserted: false };
}

/**
 * insertEmail for many emails in multi-row statements: answers the ids of the rows it created
 * (a key already used creates none), for set-based producers such as a bank file's receipts.
 */
export async function insertEmails(db: DbOrTx, list: readonly NewEmail[]): Promise<string[]> {
  // The key is the only unique index a new id can hit.
  const rows = list.map((email) => ({ id: newPublicId("msg"), ...email, attachInvoicePdf: email.attachInvoicePdf ?? false }));
  return insertRows(db, emails, rows, { onConflictDoNothing: true, returning: "id" });
}

export async function getEmail(db: DbOrTx, id: string): Promise<EmailRow | undefined> {
  const [row] = await db.select().from(emails).where(eq(emails.id, id)).limit(1);
  return row;
}

/**
 * Locks the row for the sender until the transaction ends; undefined when another worker holds
 * it (that worker is sending it right now) or when it does not exist.
 */
export async function lockEmailForSending(tx: Tx, id: string): Promise<EmailRow | undefined> {
  const [row] = await tx.select().from(emails).where(eq(emails.id, id)).limit(1).for("update", { skipLocked: true });
  return row;
}

/** Keeps what was rendered, so a retry sends exactly the same message. */
export async function storeRenderedEmail(db: DbOrTx, id: string, rendered: { subject: string; html: string; text: string }) {
  await db.update(emails).set(rendered).where(eq(emails.id, id));
}

/** Sent; an outbox email is delivered at once (the outbox is the delivery in development). */
export async function markEmailSent(
  db: DbOrTx,
  id: string,
  delivery: { transport: "outbox" | "resend"; providerId: string | null },
): Promise<boolean> {
  const sentAt = new Date();
  const rows = await db
    .update(emails)
    .set({
      status: "sent",
      transport: delivery.transport,
      providerId: delivery.providerId,
      error: null,
      sentAt,
      ...(delivery.transport === "outbox" ? { deliveredAt: sentAt } : {}),
    })
    .where(and(eq(emails.id, id), eq(emails.status, "queued")))
    .returning({ id: emails.id });
  return rows.length === 1;
}

export type EmailOutcome = "delivered" | "opened" | "bounced";

/**
 * What the provider reported about a sent email, kept at its earliest time: events may arrive out
 * of order, and an email is opened many times. An opened email was delivered, whatever came first.
 */
export async function recordEmailOutcome(db: DbOrTx, id: string, outcome: EmailOutcome, at: Date): Promise<void> {
  const earliest = (column: AnyColumn) => sql`least(${column}, ${at.toISOString()}::timestamptz)`;
  const changes = {
    delivered: { deliveredAt: earliest(emails.deliveredAt) },
    opened: { openedAt: earliest(emails.openedAt), deliveredAt: earliest(emails.deliveredAt) },
    bounced: { bouncedAt: earliest(emails.bouncedAt) },
  }[outcome];
  await db.update(emails).set(changes).where(eq(emails.id, id));
}

/** The address no longer receives mail from this supplier (it bounced or complained): never sent. */
export async function markEmailSuppressed(db: DbOrTx, id: string, reason: string): Promise<void> {
  await db.update(emails).set({ status: "suppressed", error: reason }).where(and(eq(emails.id, id), eq(emails.status, "queued")));
}

/** Counts a failed attempt; `final` marks the email failed (no more retries). Answers the attempts so far. */
export async function recordEmailFailure(db: DbOrTx, id: string, error: string, final: boolean): Promise<number> {
  const [row] = await db
    .update(emails)
    .set({ attempts: sql`${emails.attempts} + 1`, error: error.slice(0, 1000), ...(final ? { status: "failed" as const } : {}) })
    .where(eq(emails.id, id))
    .returning({ attempts: emails.attempts });
  return row?.attempts ?? 0;
}

export type EmailSummary = Pick<EmailRow, "id" | "toAddress" | "subject" | "template" | "status" | "transport" | "createdAt" | "sentAt">;

/** Newest first, across suppliers: for the development outbox only. */
export async function listRecentEmails(db: DbOrTx, limit = 100): Promise<EmailSummary[]> {
  return db
    .select({
      id: emails.id,
      toAddress: emails.toAddress,
      subject: emails.subject,
      template: emails.template,
      status: emails.status,
      transport: emails.transport,
      createdAt: emails.createdAt,
      sentAt: emails.sentAt,
    })
    .from(emails)
    .orderBy(desc(emails.createdAt), desc(emails.id))
    .limit(limit);
}
