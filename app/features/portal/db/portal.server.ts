// Reads for the payer's portal page. Every query is scoped by the supplier of the resolved link.
import { and, eq, sql } from "drizzle-orm";
import { customers, emails, invoices, links, paymentAccounts, paymentReports, payments, suppliers } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import type { LedgerMethod, ReportedMethod } from "~/domain/payment-methods";
import {
  invoiceCustomerJoin, invoiceFactColumns, invoiceLinesJson, invoiceSupplierJoin, supplierPayeeColumns, type InvoiceLineJson,
} from "~/features/invoices/db/invoices.server";
import { linkStateColumns } from "../../links/db/links.server";
import { payerPanelColumns } from "./payer-invoices.server";

export type PortalLineRow = InvoiceLineJson;

export type PortalPaymentRow = {
  id: string;
  provider: "stripe" | "adyen" | "manual";
  method: LedgerMethod;
  currency: string;
  amount: number;
  amountRefunded: number;
  status: "pending" | "succeeded" | "failed" | "cancelled";
  chargeback: "open" | "won" | "lost" | null;
  failureReason: string | null;
  providerReference: string | null;
  /** ISO instants as PostgreSQL writes them in JSON. */
  receivedAt: string | null;
  createdAt: string;
  /** Where this payment's receipt email went (or is going): queued or sent, never suppressed or failed. */
  receiptEmailedTo: string[];
};

export type PortalPaymentReportRow = {
  paidOn: string;
  amount: number;
  currency: string;
  method: ReportedMethod;
  createdAt: string;
};

const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

/** The invoice's ledger, oldest first: receipts, a pending checkout, the last failed attempt. */
const paymentsJson = sql`coalesce((
    select json_agg(json_build_object(
      'id', p.id, 'provider', p.provider, 'method', p.method, 'currency', p.currency, 'amount', p.amount,
      'amountRefunded', p.amount_refunded, 'status', p.status, 'chargeback', p.chargeback,
      'failureReason', p.failure_reason, 'providerReference', p.provider_reference,
      'receivedAt', p.received_at, 'createdAt', p.created_at,
      'receiptEmailedTo', case when p.status = 'succeeded' then coalesce((
        select json_agg(distinct e.to_address) from ${emails} e
        where e.invoice_id = p.invoice_id and e.supplier_id = p.supplier_id and e.template = 'payment-receipt'
          and starts_with(e.idempotency_key, 'receipt:' || p.id || ':') and e.status in ('queued', 'sent')
      ), '[]') else '[]' end
    ) order by p.created_at, p.id)
    from ${payments} p where p.invoice_id = ${invoices.id} and p.supplier_id = ${invoices.supplierId}
  ), '[]')`.mapWith(json<PortalPaymentRow[]>);

/** The payer's latest "I have paid", if any. */
const latestReportJson = sql`(
    select json_build_object('paidOn', r.paid_on, 'amount', r.amount, 'currency', r.currency, 'method', r.method, 'createdAt', r.created_at)
    from ${paymentReports} r where r.invoice_id = ${invoices.id} and r.supplier_id = ${invoices.supplierId}
    order by r.created_at desc, r.id desc limit 1
  )`.mapWith((value: unknown) => (value === null ? null : json<PortalPaymentReportRow>(value)));

/** The methods the supplier's Stripe/Adyen accounts take. */
const accountMethodsSql = sql`coalesce((
    select array_agg(distinct m) from ${paymentAccounts} a cross join unnest(a.methods) m
    where a.supplier_id = ${invoices.supplierId}
  ), '{}')`.mapWith((value: unknown) => (Array.isArray(value) ? (value as string[]) : parseTextArray(value)));

/** postgres.js returns text[] as an array; a raw sql column may still arrive as "{a,b}". */
function parseTextArray(value: unknown): string[] {
  if (typeof value !== "string" || value.length < 2) return [];
  const inner = value.slice(1, -1);
  return inner === "" ? [] : inner.split(",");
}

/**
 * Everything the page shows, in one round trip from the link's hash: link state, invoice with
 * its lines, supplier, customer, the payer's panel (confirmation, disputes, deliveries,
 * contacts, timeline) and payments (ledger, latest "I have paid", card/Swish accounts).
 * The caller checks the link's state before using anything.
 */
function portalInvoiceQuery(db: DbOrTx) {
  return db
    .select({
      link: linkStateColumns,
      invoice: {
        ...invoiceFactColumns,
        disputed: invoices.disputed,
        cancelledAt: invoices.cancelledAt,
        paymentReportedUntil: invoices.paymentReportedUntil,
      },
      supplier: {
        ...supplierPayeeColumns,
        timeZone: suppliers.timeZone,
        language: suppliers.language,
        brandColor: suppliers.brandColor,
        logoUrl: suppliers.logoUrl,
        contactEmail: suppliers.contactEmail,
        contactPhone: suppliers.contactPhone,
        paymentOptions: suppliers.paymentOptions,
      },
      customer: {
        id: customers.id,
        name: customers.name,
        language: customers.language,
        contactsConfirmedAt: customers.contactsConfirmedAt,
      },
      lines: invoiceLinesJson,
      panel: payerPanelColumns,
      payments: paymentsJson,
      latestPaymentReport: latestReportJson,
      accountMethods: accountMethodsSql,
    })
    .from(links)
    .innerJoin(invoices, and(eq(invoices.id, links.invoiceId), eq(invoices.supplierId, links.supplierId)))
    .innerJoin(suppliers, invoiceSupplierJoin)
    .innerJoin(customers, invoiceCustomerJoin)
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
