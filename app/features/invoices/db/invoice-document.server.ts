// What a printed copy of one invoice shows (app/features/invoices/pdf/invoice-pdf.server.ts): the invoice with
// its lines, the supplier, the customer and its first billing contact, in one round trip. Scoped by
// supplier: the portal passes the supplier of the resolved link, the API the key's supplier.
import { sql } from "drizzle-orm";
import { contacts, customers, invoices, suppliers } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import {
  invoiceCustomerJoin, invoiceFactColumns, invoiceLinesJson, invoiceOfSupplier, invoiceSupplierJoin, supplierPayeeColumns,
  type InvoiceLineJson,
} from "~/features/invoices/db/invoices.server";

export type InvoiceDocumentLine = InvoiceLineJson;

export type InvoiceDocumentContact = {
  name: string | null;
  invoiceReference: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
};

export type InvoiceDocument = {
  invoice: {
    id: string;
    number: string;
    currency: string;
    issueDate: string;
    dueDate: string;
    totalNet: number;
    totalVat: number;
    rounding: number;
    total: number;
    amountPaid: number;
    ocr: string;
    cancelledAt: Date | null;
    /** The payer's own reference, given when confirming the invoice on the portal. */
    confirmedReference: string | null;
  };
  supplier: {
    name: string;
    orgNumber: string | null;
    vatNumber: string | null;
    bankgiro: string | null;
    plusgiro: string | null;
    iban: string | null;
    bic: string | null;
    swishNumber: string | null;
    language: "sv" | "en";
  };
  customer: { name: string; orgNumber: string | null; language: "sv" | "en" | null };
  /** The customer's first billing contact (oldest), whose reference and address the copy is addressed to. */
  billingContact: InvoiceDocumentContact | null;
  lines: InvoiceDocumentLine[];
};

const fromJson = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;


const billingContactJson = sql`(
    select json_build_object(
      'name', c.name, 'invoiceReference', c.invoice_reference, 'addressLine1', c.address_line1,
      'addressLine2', c.address_line2, 'postalCode', c.postal_code, 'city', c.city, 'country', c.country
    )
    from ${contacts} c
    where c.customer_id = ${invoices.customerId} and c.supplier_id = ${invoices.supplierId} and c.is_billing
    order by c.created_at, c.id limit 1
  )`.mapWith((value: unknown) => (value === null ? null : fromJson<InvoiceDocumentContact>(value)));

/** One invoice of the supplier as its copy shows it, or undefined (unknown and foreign ids alike). */
export async function findInvoiceDocument(
  db: DbOrTx,
  scope: { supplierId: string; invoiceId: string },
): Promise<InvoiceDocument | undefined> {
  const [row] = await db
    .select({
      invoice: {
        ...invoiceFactColumns,
        cancelledAt: invoices.cancelledAt,
        confirmedReference: invoices.confirmedReference,
      },
      supplier: { ...supplierPayeeColumns, language: suppliers.language },
      customer: { name: customers.name, orgNumber: customers.orgNumber, language: customers.language },
      billingContact: billingContactJson,
      lines: invoiceLinesJson,
    })
    .from(invoices)
    .innerJoin(suppliers, invoiceSupplierJoin)
    .innerJoin(customers, invoiceCustomerJoin)
    .where(invoiceOfSupplier(scope))
    .limit(1);
  return row;
}
