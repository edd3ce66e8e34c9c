// The supplier's own PDF of an invoice (issue #21): one row per invoice, replaced by a new upload,
// read scoped by supplier (the API's key, or the supplier of the payer's resolved link).
import { and, eq } from "drizzle-orm";
import type { PayBoxPosition } from "~/domain/pay-box-position";
import { invoices, supplierInvoicePdfs, suppliers } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type SupplierPdfRow = typeof supplierInvoicePdfs.$inferSelect;
export type SupplierPdfFacts = Omit<SupplierPdfRow, "content" | "supplierId">;

/** Whether the supplier has this invoice (another supplier's is unknown here). */
export async function isSupplierInvoice(db: DbOrTx, scope: { supplierId: string; invoiceId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.supplierId, scope.supplierId), eq(invoices.id, scope.invoiceId)))
    .limit(1);
  return row !== undefined;
}

/** Stores the upload, replacing the one before; returns what was stored without the bytes. */
export async function saveSupplierPdf(db: DbOrTx, row: Omit<SupplierPdfRow, "uploadedAt">, now: Date): Promise<SupplierPdfFacts> {
  const values = { ...row, uploadedAt: now };
  const [saved] = await db
    .insert(supplierInvoicePdfs)
    .values(values)
    .onConflictDoUpdate({
      target: supplierInvoicePdfs.invoiceId,
      set: { content: values.content, byteSize: values.byteSize, pageCount: values.pageCount, sha256: values.sha256, uploadedAt: now },
    })
    .returning({
      invoiceId: supplierInvoicePdfs.invoiceId,
      byteSize: supplierInvoicePdfs.byteSize,
      pageCount: supplierInvoicePdfs.pageCount,
      sha256: supplierInvoicePdfs.sha256,
      uploadedAt: supplierInvoicePdfs.uploadedAt,
    });
  return saved!;
}

/** The stored PDF with where its supplier wants the pay-now box; undefined when none was uploaded. */
export async function findSupplierPdf(
  db: DbOrTx,
  scope: { supplierId: string; invoiceId: string },
): Promise<(SupplierPdfRow & { payBoxPosition: PayBoxPosition | null }) | undefined> {
  const [row] = await db
    .select({ pdf: supplierInvoicePdfs, payBoxPosition: suppliers.payBoxPosition })
    .from(supplierInvoicePdfs)
    .innerJoin(suppliers, eq(suppliers.id, supplierInvoicePdfs.supplierId))
    .where(and(eq(supplierInvoicePdfs.supplierId, scope.supplierId), eq(supplierInvoicePdfs.invoiceId, scope.invoiceId)))
    .limit(1);
  return row && { ...row.pdf, payBoxPosition: row.payBoxPosition };
}
