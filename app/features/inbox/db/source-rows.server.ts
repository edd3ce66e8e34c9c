// What the inbox shows of its sources' rows, a page's worth at a time (one query per kind on the
// page, by primary key). Read-only: the sources' own features write them.
import { and, eq, inArray } from "drizzle-orm";
import { deliveries, disputes, emailSuppressions, paymentReports } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export async function disputesByIds(db: DbOrTx, supplierId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: disputes.id, invoiceId: disputes.invoiceId, reason: disputes.reason, message: disputes.message, linePositions: disputes.linePositions,
      reporterName: disputes.reporterName, reporterEmail: disputes.reporterEmail, status: disputes.status, resolution: disputes.resolution,
      resolvedAt: disputes.resolvedAt, deliveryDescription: deliveries.description,
    })
    .from(disputes)
    .leftJoin(deliveries, eq(deliveries.id, disputes.deliveryId))
    .where(and(eq(disputes.supplierId, supplierId), inArray(disputes.id, ids)));
}

export async function paymentReportsByIds(db: DbOrTx, supplierId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: paymentReports.id, paidOn: paymentReports.paidOn, amount: paymentReports.amount, currency: paymentReports.currency, method: paymentReports.method })
    .from(paymentReports)
    .where(and(eq(paymentReports.supplierId, supplierId), inArray(paymentReports.id, ids)));
}

/** A lifted suppression has no row any more: the item then shows the address alone. */
export async function suppressionsByAddresses(db: DbOrTx, supplierId: string, addresses: string[]) {
  if (addresses.length === 0) return [];
  return db
    .select({ address: emailSuppressions.address, reason: emailSuppressions.reason, detail: emailSuppressions.detail })
    .from(emailSuppressions)
    .where(and(eq(emailSuppressions.supplierId, supplierId), inArray(emailSuppressions.address, addresses)));
}
