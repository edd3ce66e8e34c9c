// What suppliers say they delivered for an invoice, and the payer's decision on each.
import { and, asc, eq, sql } from "drizzle-orm";
import { deliveries, invoices } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { newPublicId } from "~/domain/public-id";

export type DeliveryRow = typeof deliveries.$inferSelect;
export type DeliveryStatus = DeliveryRow["status"];
export type NewDelivery = { description: string; deliveredOn: string | null; location: string | null; linePositions: number[] | null };

export async function insertDeliveries(
  tx: Tx,
  scope: { supplierId: string; invoiceId: string },
  items: NewDelivery[],
  now: Date,
): Promise<DeliveryRow[]> {
  if (items.length === 0) return [];
  // One created_at per item, a microsecond apart, so the list keeps the order they were sent in.
  return tx
    .insert(deliveries)
    .values(
      items.map((item, index) => ({
        ...item,
        id: newPublicId("dlv"),
        supplierId: scope.supplierId,
        invoiceId: scope.invoiceId,
        createdAt: new Date(now.getTime() + index),
      })),
    )
    .returning();
}

export async function listInvoiceDeliveries(db: DbOrTx, supplierId: string, invoiceId: string): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.supplierId, supplierId), eq(deliveries.invoiceId, invoiceId)))
    .orderBy(asc(deliveries.createdAt), asc(deliveries.id));
}

export async function findDeliveryForUpdate(
  tx: Tx,
  scope: { supplierId: string; invoiceId: string; deliveryId: string },
): Promise<DeliveryRow | undefined> {
  const [row] = await tx
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.supplierId, scope.supplierId),
        eq(deliveries.invoiceId, scope.invoiceId),
        eq(deliveries.id, scope.deliveryId),
      ),
    )
    .limit(1)
    .for("update");
  return row;
}

export async function decideDelivery(tx: Tx, id: string, status: "approved" | "problem", now: Date): Promise<DeliveryRow> {
  const [row] = await tx.update(deliveries).set({ status, decidedAt: now }).where(eq(deliveries.id, id)).returning();
  return row!;
}

/**
 * The invoice's `delivery_status` fact from its deliveries: none without any, problem when any
 * has a problem, approved when all are approved, else pending.
 */
export async function refreshInvoiceDeliveryStatus(tx: Tx, invoiceId: string): Promise<DeliveryStatus | "none"> {
  const [row] = await tx
    .update(invoices)
    .set({
      deliveryStatus: sql`(
        select case
          when count(*) = 0 then 'none'
          when bool_or(${deliveries.status} = 'problem') then 'problem'
          when bool_and(${deliveries.status} = 'approved') then 'approved'
          else 'pending' end
        from ${deliveries} where ${deliveries.invoiceId} = ${invoiceId})`,
      updatedAt: new Date(),
    })
    .where(eq(invoices.id, invoiceId))
    .returning({ deliveryStatus: invoices.deliveryStatus });
  return row!.deliveryStatus;
}
