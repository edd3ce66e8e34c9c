// Reads for the payer's portal page. Every query is scoped by the supplier of the resolved link.
import { and, asc, eq } from "drizzle-orm";
import { customers, invoiceLines, invoices, suppliers } from "../../db/schema";
import type { DbOrTx } from "../../db/client";

type InvoiceKey = { supplierId: string; invoiceId: string };

/** Invoice, supplier and customer in one round trip. */
export async function findPortalInvoice(db: DbOrTx, key: InvoiceKey) {
  const [row] = await db
    .select({
      invoice: {
        id: invoices.id,
        number: invoices.number,
        currency: invoices.currency,
        issueDate: invoices.issueDate,
        dueDate: invoices.dueDate,
        totalNet: invoices.totalNet,
        totalVat: invoices.totalVat,
        rounding: invoices.rounding,
        total: invoices.total,
        amountPaid: invoices.amountPaid,
        ocr: invoices.ocr,
        disputed: invoices.disputed,
        cancelledAt: invoices.cancelledAt,
      },
      supplier: {
        name: suppliers.name,
        orgNumber: suppliers.orgNumber,
        vatNumber: suppliers.vatNumber,
        bankgiro: suppliers.bankgiro,
        plusgiro: suppliers.plusgiro,
        iban: suppliers.iban,
        bic: suppliers.bic,
        timeZone: suppliers.timeZone,
        language: suppliers.language,
        brandColor: suppliers.brandColor,
        logoUrl: suppliers.logoUrl,
      },
      customer: {
        id: customers.id,
        name: customers.name,
        language: customers.language,
      },
    })
    .from(invoices)
    .innerJoin(suppliers, eq(suppliers.id, invoices.supplierId))
    .innerJoin(customers, and(eq(customers.id, invoices.customerId), eq(customers.supplierId, invoices.supplierId)))
    .where(and(eq(invoices.id, key.invoiceId), eq(invoices.supplierId, key.supplierId)))
    .limit(1);
  return row;
}

export type PortalInvoiceRow = NonNullable<Awaited<ReturnType<typeof findPortalInvoice>>>;

/** The invoice's lines in order; joined to the invoice only to keep the supplier scope. */
export async function listPortalInvoiceLines(db: DbOrTx, key: InvoiceKey) {
  return db
    .select({
      position: invoiceLines.position,
      description: invoiceLines.description,
      quantity: invoiceLines.quantity,
      unit: invoiceLines.unit,
      unitPrice: invoiceLines.unitPrice,
      vatRate: invoiceLines.vatRate,
      net: invoiceLines.net,
      vat: invoiceLines.vat,
    })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(and(eq(invoiceLines.invoiceId, key.invoiceId), eq(invoices.supplierId, key.supplierId)))
    .orderBy(asc(invoiceLines.position));
}

export type PortalLineRow = Awaited<ReturnType<typeof listPortalInvoiceLines>>[number];
