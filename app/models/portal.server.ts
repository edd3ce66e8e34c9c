// Reads for the payer's portal page. Every query is scoped by the supplier of the resolved link.
import { and, eq, sql } from "drizzle-orm";
import { customers, invoiceLines, invoices, links, suppliers } from "../../db/schema";
import type { DbOrTx } from "../../db/client";
import { linkStateColumns } from "./links.server";
import { payerPanelColumns } from "./payer-invoices.server";

export type PortalLineRow = {
  position: number;
  description: string;
  /** Decimal text as stored, e.g. "2.500". */
  quantity: string;
  unit: string | null;
  unitPrice: number;
  /** Percent as decimal text, e.g. "25.00". */
  vatRate: string;
  net: number;
  vat: number;
};

/** The invoice's lines as one JSON array, in order (amounts are safe integers, decimals text). */
const linesJson = sql<PortalLineRow[]>`coalesce((
    select json_agg(json_build_object(
      'position', l.position, 'description', l.description, 'quantity', l.quantity::text, 'unit', l.unit,
      'unitPrice', l.unit_price, 'vatRate', l.vat_rate::text, 'net', l.net, 'vat', l.vat
    ) order by l.position)
    from ${invoiceLines} l where l.invoice_id = ${invoices.id}
  ), '[]')`.mapWith((value: string | PortalLineRow[]) => (typeof value === "string" ? JSON.parse(value) : value));

/**
 * Everything the page shows, in one round trip from the link's hash: link state, invoice with
 * its lines, supplier, customer and the payer's panel (confirmation, disputes, deliveries,
 * contacts, timeline). The caller checks the link's state before using anything.
 */
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
        swishNumber: suppliers.swishNumber,
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
      lines: linesJson,
      panel: payerPanelColumns,
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

// The portal is the hottest page: its one query is a named prepared statement, so PostgreSQL
// plans it once per connection and drizzle builds its SQL once per process.
const prepared = new WeakMap<DbOrTx, ReturnType<typeof portalInvoiceQuery>>();

export async function findPortalInvoiceByLink(db: DbOrTx, idHash: string) {
  let query = prepared.get(db);
  if (!query) {
    query = portalInvoiceQuery(db);
    prepared.set(db, query);
  }
  const [row] = await query.execute({ idHash });
  return row;
}
