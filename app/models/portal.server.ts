// Reads for the payer's portal page. Every query is scoped by the supplier of the resolved link.
import { and, asc, eq, sql } from "drizzle-orm";
import { customers, invoiceLines, invoices, links, suppliers } from "../../db/schema";
import type { DbOrTx } from "../../db/client";
import { linkStateColumns } from "./links.server";

// Both queries start from the link's hash, so they run at once, right after the signature check;
// the caller then checks the link's state before using anything.

/** Link state, invoice, supplier and customer in one round trip. */
function portalInvoiceQuery(db: DbOrTx) {
  return db
    .select({
      link: linkStateColumns,
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
    .from(links)
    .innerJoin(invoices, and(eq(invoices.id, links.invoiceId), eq(invoices.supplierId, links.supplierId)))
    .innerJoin(suppliers, eq(suppliers.id, invoices.supplierId))
    .innerJoin(customers, and(eq(customers.id, invoices.customerId), eq(customers.supplierId, invoices.supplierId)))
    .where(eq(links.idHash, sql.placeholder("idHash")))
    .limit(1)
    .prepare("portal_invoice_by_link");
}

export type PortalInvoiceRow = NonNullable<Awaited<ReturnType<typeof findPortalInvoiceByLink>>>;

/** The lines of the link's invoice in order; the join keeps the link's supplier scope. */
function portalLinesQuery(db: DbOrTx) {
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
    .from(links)
    .innerJoin(invoices, and(eq(invoices.id, links.invoiceId), eq(invoices.supplierId, links.supplierId)))
    .innerJoin(invoiceLines, eq(invoiceLines.invoiceId, invoices.id))
    .where(eq(links.idHash, sql.placeholder("idHash")))
    .orderBy(asc(invoiceLines.position))
    .prepare("portal_lines_by_link");
}

// The portal is the hottest page: its two queries are named prepared statements, so PostgreSQL
// plans them once per connection and drizzle builds their SQL once per process.
const prepared = new WeakMap<DbOrTx, { invoice: ReturnType<typeof portalInvoiceQuery>; lines: ReturnType<typeof portalLinesQuery> }>();

function statements(db: DbOrTx) {
  let found = prepared.get(db);
  if (!found) {
    found = { invoice: portalInvoiceQuery(db), lines: portalLinesQuery(db) };
    prepared.set(db, found);
  }
  return found;
}

export async function findPortalInvoiceByLink(db: DbOrTx, idHash: string) {
  const [row] = await statements(db).invoice.execute({ idHash });
  return row;
}

export async function listPortalInvoiceLinesByLink(db: DbOrTx, idHash: string) {
  return statements(db).lines.execute({ idHash });
}

export type PortalLineRow = Awaited<ReturnType<typeof listPortalInvoiceLinesByLink>>[number];
