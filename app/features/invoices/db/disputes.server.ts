// Problems payers report (with the invoice or a delivery) and the supplier's answers. Every
// query is scoped by supplier.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { attachments, disputes, invoices } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { newPublicId } from "~/domain/public-id";

export type DisputeRow = typeof disputes.$inferSelect;
export type DisputeStatus = DisputeRow["status"];
export type NewDispute = Omit<typeof disputes.$inferInsert, "id" | "status" | "resolution" | "resolvedAt" | "createdAt">;

export type DisputeWithAttachment = DisputeRow & {
  attachment: { id: string; filename: string; contentType: string; size: number } | null;
};

export async function insertDispute(db: DbOrTx, dispute: NewDispute, now: Date): Promise<DisputeRow> {
  const [row] = await db
    .insert(disputes)
    .values({ ...dispute, id: newPublicId("dsp"), createdAt: now })
    .returning();
  return row!;
}

/** Locks the dispute (scoped to supplier and invoice) so two answers cannot both apply. */
export async function findDisputeForUpdate(
  tx: Tx,
  scope: { supplierId: string; invoiceId: string; disputeId: string },
): Promise<DisputeRow | undefined> {
  const [row] = await tx
    .select()
    .from(disputes)
    .where(
      and(eq(disputes.supplierId, scope.supplierId), eq(disputes.invoiceId, scope.invoiceId), eq(disputes.id, scope.disputeId)),
    )
    .limit(1)
    .for("update");
  return row;
}

export async function resolveDispute(
  tx: Tx,
  id: string,
  answer: { status: "accepted" | "rejected"; resolution: Record<string, unknown>; resolvedAt: Date },
): Promise<DisputeRow> {
  const [row] = await tx
    .update(disputes)
    .set({ status: answer.status, resolution: answer.resolution, resolvedAt: answer.resolvedAt })
    .where(eq(disputes.id, id))
    .returning();
  return row!;
}

/** An open problem with the invoice itself, or with one delivery. */
export async function hasOpenDispute(
  db: DbOrTx,
  about: { invoiceId: string; kind: "invoice" } | { deliveryId: string },
): Promise<boolean> {
  const target =
    "deliveryId" in about
      ? eq(disputes.deliveryId, about.deliveryId)
      : and(eq(disputes.invoiceId, about.invoiceId), eq(disputes.kind, "invoice"));
  const [row] = await db
    .select({ id: disputes.id })
    .from(disputes)
    .where(and(target, eq(disputes.status, "open")))
    .limit(1);
  return row !== undefined;
}

/**
 * The invoice's `disputed` fact (reminders pause while it is true) follows its disputes: true
 * while any is open. Recomputed in the same transaction as every change to them.
 */
export async function refreshInvoiceDisputed(tx: Tx, invoiceId: string): Promise<boolean> {
  const [row] = await tx
    .update(invoices)
    .set({
      disputed: sql`exists (select 1 from ${disputes} where ${disputes.invoiceId} = ${invoiceId} and ${disputes.status} = 'open')`,
      updatedAt: new Date(),
    })
    .where(eq(invoices.id, invoiceId))
    .returning({ disputed: invoices.disputed });
  return row!.disputed;
}

const withAttachment = {
  dispute: disputes,
  attachment: {
    id: attachments.id,
    filename: attachments.filename,
    contentType: attachments.contentType,
    size: attachments.size,
  },
};

function joined(row: { dispute: DisputeRow; attachment: DisputeWithAttachment["attachment"] }): DisputeWithAttachment {
  return { ...row.dispute, attachment: row.attachment?.id ? row.attachment : null };
}

export async function findDispute(db: DbOrTx, supplierId: string, id: string): Promise<DisputeWithAttachment | undefined> {
  const [row] = await db
    .select(withAttachment)
    .from(disputes)
    .leftJoin(attachments, eq(attachments.id, disputes.attachmentId))
    .where(and(eq(disputes.supplierId, supplierId), eq(disputes.id, id)))
    .limit(1);
  return row ? joined(row) : undefined;
}

export type DisputeFilter = {
  status?: DisputeStatus;
  invoiceId?: string;
  /** The last dispute of the previous page (newest first). */
  after?: { createdAt: string; id: string };
  limit: number;
};

/** Newest first; one row more than asked, so the caller knows whether another page exists. */
export async function listSupplierDisputes(
  db: DbOrTx,
  supplierId: string,
  filter: DisputeFilter,
): Promise<{ rows: (DisputeWithAttachment & { createdAtExact: string })[]; hasMore: boolean }> {
  const conditions: SQL[] = [eq(disputes.supplierId, supplierId)];
  if (filter.status) conditions.push(eq(disputes.status, filter.status));
  if (filter.invoiceId) conditions.push(eq(disputes.invoiceId, filter.invoiceId));
  if (filter.after) {
    conditions.push(sql`(${disputes.createdAt}, ${disputes.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id})`);
  }
  const rows = await db
    .select({
      ...withAttachment,
      // Microseconds survive here, unlike in a JS Date; the cursor needs them to neither skip nor repeat.
      createdAtExact: sql<string>`to_char(${disputes.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(disputes)
    .leftJoin(attachments, eq(attachments.id, disputes.attachmentId))
    .where(and(...conditions))
    .orderBy(desc(disputes.createdAt), desc(disputes.id))
    .limit(filter.limit + 1);
  return {
    rows: rows.slice(0, filter.limit).map((row) => ({ ...joined(row), createdAtExact: row.createdAtExact })),
    hasMore: rows.length > filter.limit,
  };
}
