// What a payment receipt shows (app/features/payments/receipts/receipt-pdf.server.ts): one payment that arrived, its
// invoice, the supplier and the customer, in one round trip. Scoped by supplier, and by invoice too
// when the portal asks (a link opens the receipts of its own invoice only).
import { and, eq, type SQL } from "drizzle-orm";
import { customers, invoices, payments, suppliers } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import type { LedgerMethod } from "~/domain/payment-methods";
import { invoiceCustomerJoin } from "~/features/invoices/db/invoices.server";

export type ReceiptDocument = {
  payment: {
    id: string;
    amount: number;
    amountRefunded: number;
    currency: string;
    method: LedgerMethod;
    providerReference: string | null;
    chargeback: "open" | "won" | "lost" | null;
    receivedAt: Date | null;
    createdAt: Date;
  };
  invoice: { id: string; number: string; ocr: string };
  supplier: { name: string; orgNumber: string | null; vatNumber: string | null; timeZone: string; language: "sv" | "en" };
  customer: { name: string; orgNumber: string | null; language: "sv" | "en" | null };
};

/** A succeeded payment of the supplier with what its receipt needs, or undefined (unknown, foreign, not paid). */
export async function findReceiptDocument(
  db: DbOrTx,
  scope: { supplierId: string; paymentId: string; invoiceId?: string },
): Promise<ReceiptDocument | undefined> {
  const conditions: SQL[] = [
    eq(payments.supplierId, scope.supplierId),
    eq(payments.id, scope.paymentId),
    eq(payments.status, "succeeded"),
  ];
  if (scope.invoiceId !== undefined) conditions.push(eq(payments.invoiceId, scope.invoiceId));
  const [row] = await db
    .select({
      payment: {
        id: payments.id,
        amount: payments.amount,
        amountRefunded: payments.amountRefunded,
        currency: payments.currency,
        method: payments.method,
        providerReference: payments.providerReference,
        chargeback: payments.chargeback,
        receivedAt: payments.receivedAt,
        createdAt: payments.createdAt,
      },
      invoice: { id: invoices.id, number: invoices.number, ocr: invoices.ocr },
      supplier: {
        name: suppliers.name,
        orgNumber: suppliers.orgNumber,
        vatNumber: suppliers.vatNumber,
        timeZone: suppliers.timeZone,
        language: suppliers.language,
      },
      customer: { name: customers.name, orgNumber: customers.orgNumber, language: customers.language },
    })
    .from(payments)
    .innerJoin(invoices, and(eq(invoices.id, payments.invoiceId), eq(invoices.supplierId, payments.supplierId)))
    .innerJoin(suppliers, eq(suppliers.id, payments.supplierId))
    .innerJoin(customers, invoiceCustomerJoin)
    .where(and(...conditions))
    .limit(1);
  return row;
}
