// Data access for changing an invoice after it was created: update, cancel, credit. Every query is
// scoped by supplier; the caller holds the invoice's row lock (lockInvoice) for the whole change.
import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { invoiceLines, invoices, payments } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import type { InvoiceLineRow, NewInvoiceLine } from "~/features/invoices/db/invoices.server";

export type InvoiceRow = typeof invoices.$inferSelect;

/**
 * Locks the invoice until the transaction ends. Payer confirmations, payments and reminders lock
 * the same row, so a change never races a confirmation or a payment arriving meanwhile.
 */
export async function lockInvoice(tx: Tx, supplierId: string, id: string): Promise<InvoiceRow | undefined> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, id)))
    .limit(1)
    .for("update");
  return row;
}

export async function invoiceLinesOf(db: DbOrTx, invoiceId: string): Promise<InvoiceLineRow[]> {
  return db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));
}

/**
 * A card or Swish checkout still open for the payer: its amount was fixed when it started, so
 * changing the invoice's amount now would let the payer pay the old one.
 */
export async function hasPaymentInProgress(db: DbOrTx, supplierId: string, invoiceId: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.supplierId, supplierId),
        eq(payments.invoiceId, invoiceId),
        eq(payments.status, "pending"),
        or(isNull(payments.checkoutExpiresAt), gt(payments.checkoutExpiresAt, now)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export type InvoiceColumnChanges = Partial<
  Pick<InvoiceRow, "number" | "issueDate" | "dueDate" | "customerId" | "totalNet" | "totalVat" | "rounding" | "total">
>;

export async function updateInvoiceColumns(
  tx: Tx,
  supplierId: string,
  id: string,
  changes: InvoiceColumnChanges,
  now: Date,
): Promise<void> {
  await tx
    .update(invoices)
    .set({ ...changes, updatedAt: now })
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, id)));
}

/** Lines are replaced as a whole: their positions are the order the API was given them in. */
export async function replaceInvoiceLines(tx: Tx, invoiceId: string, lines: NewInvoiceLine[]): Promise<void> {
  await tx.delete(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId));
  await tx.insert(invoiceLines).values(lines.map((line) => ({ ...line, invoiceId })));
}

export async function markInvoiceCancelled(tx: Tx, supplierId: string, id: string, now: Date): Promise<void> {
  await tx
    .update(invoices)
    .set({ cancelledAt: now, updatedAt: now })
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, id), isNull(invoices.cancelledAt)));
}

/** How much the invoice's credit notes credit so far (positive minor units); cancelled ones do not count. */
export async function creditedAmount(db: DbOrTx, supplierId: string, invoiceId: string): Promise<number> {
  const [row] = await db
    .select({ credited: sql<string>`coalesce(sum(-${invoices.total}), 0)` })
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.creditsInvoiceId, invoiceId), isNull(invoices.cancelledAt)));
  return Number(row?.credited ?? 0);
}
