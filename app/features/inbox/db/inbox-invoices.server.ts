// The invoice a clerk means when placing a bank payment by the OCR reference printed on it.
import { and, eq } from "drizzle-orm";
import { invoices } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export async function invoiceIdByOcr(db: DbOrTx, supplierId: string, ocr: string): Promise<string | undefined> {
  const [row] = await db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.supplierId, supplierId), eq(invoices.ocr, ocr))).limit(1);
  return row?.id;
}
