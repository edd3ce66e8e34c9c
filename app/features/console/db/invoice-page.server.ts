// What the console's invoice page reads beyond what the API's use cases give: the invoice's
// emails with their delivery state, and whether the supplier uploaded its own PDF.
import { and, asc, eq } from "drizzle-orm";
import { emails, supplierInvoicePdfs } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type InvoiceEmailRow = {
  id: string;
  template: string;
  toAddress: string;
  status: "queued" | "sent" | "failed" | "suppressed";
  createdAt: Date;
  deliveredAt: Date | null;
  openedAt: Date | null;
  bouncedAt: Date | null;
};

export async function listInvoiceEmails(db: DbOrTx, supplierId: string, invoiceId: string): Promise<InvoiceEmailRow[]> {
  return db
    .select({
      id: emails.id, template: emails.template, toAddress: emails.toAddress, status: emails.status, createdAt: emails.createdAt,
      deliveredAt: emails.deliveredAt, openedAt: emails.openedAt, bouncedAt: emails.bouncedAt,
    })
    .from(emails)
    .where(and(eq(emails.supplierId, supplierId), eq(emails.invoiceId, invoiceId)))
    .orderBy(asc(emails.createdAt))
    .limit(200);
}

export async function hasSupplierPdf(db: DbOrTx, supplierId: string, invoiceId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: supplierInvoicePdfs.invoiceId })
    .from(supplierInvoicePdfs)
    .where(and(eq(supplierInvoicePdfs.supplierId, supplierId), eq(supplierInvoicePdfs.invoiceId, invoiceId)))
    .limit(1);
  return row !== undefined;
}
