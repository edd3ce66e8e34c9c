// The invoice as the payer's actions need it: locked with its content, supplier and customer
// for a state change, or read in one round trip for what the portal page shows beside it.
import { and, asc, eq, sql, type AnyColumn } from "drizzle-orm";
import { customers, invoiceLines, invoices, suppliers } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { invoiceCustomerJoin, invoiceOfSupplier, invoiceSupplierJoin } from "~/features/invoices/db/invoices.server";

/** What a locked invoice comes with: its supplier's and customer's facts the payer's actions and the ledger announce. */
const lockedInvoiceColumns = {
  invoice: invoices,
  supplier: {
    id: suppliers.id,
    name: suppliers.name,
    language: suppliers.language,
    timeZone: suppliers.timeZone,
    notificationEmail: suppliers.notificationEmail,
    paymentReportPauseDays: suppliers.paymentReportPauseDays,
    paymentOptions: suppliers.paymentOptions,
  },
  customer: { id: customers.id, name: customers.name, language: customers.language },
};

export async function lockInvoiceForPayer(tx: Tx, scope: { supplierId: string; invoiceId: string }) {
  const [row] = await tx
    .select(lockedInvoiceColumns)
    .from(invoices)
    .innerJoin(suppliers, invoiceSupplierJoin)
    .innerJoin(customers, invoiceCustomerJoin)
    .where(invoiceOfSupplier(scope))
    .limit(1)
    .for("update", { of: invoices });
  if (!row) return undefined;
  const lines = await tx
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, scope.invoiceId))
    .orderBy(asc(invoiceLines.position));
  return { ...row, lines };
}

export type LockedInvoice = NonNullable<Awaited<ReturnType<typeof lockInvoiceForPayer>>>;

/**
 * Locks many invoices of one supplier in one statement, in id order (the order every batch takes
 * them, so two batches never deadlock), with what the ledger announces about them (no lines).
 */
export async function lockInvoicesForLedger(tx: Tx, supplierId: string, invoiceIds: readonly string[]) {
  if (invoiceIds.length === 0) return [];
  return tx
    .select(lockedInvoiceColumns)
    .from(invoices)
    .innerJoin(suppliers, invoiceSupplierJoin)
    .innerJoin(customers, invoiceCustomerJoin)
    .where(and(eq(invoices.supplierId, supplierId), sql`${invoices.id} = any(${sql.param([...new Set(invoiceIds)])}::text[])`))
    .orderBy(asc(invoices.id))
    .for("update", { of: invoices });
}

export type LedgerInvoice = Awaited<ReturnType<typeof lockInvoicesForLedger>>[number];

export async function recordConfirmation(
  tx: Tx,
  invoiceId: string,
  confirmation: { at: Date; by: string | null; reference: string | null; costCentre: string | null; contentHash: string },
): Promise<void> {
  await tx
    .update(invoices)
    .set({
      confirmedAt: confirmation.at,
      confirmedBy: confirmation.by,
      confirmedReference: confirmation.reference,
      confirmedCostCentre: confirmation.costCentre,
      confirmedContentHash: confirmation.contentHash,
      updatedAt: confirmation.at,
    })
    .where(eq(invoices.id, invoiceId));
}

/** Event types the payer's timeline shows; everything else in the audit log stays internal. */
export const TIMELINE_EVENT_TYPES = [
  "invoice.created", "invoice.confirmed", "invoice.disputed", "dispute.resolved", "delivery.added", "delivery.approved",
  "delivery.disputed", "contact.updated", "contact.added", "invoice.sent", "reminder.sent", "payment.succeeded", "payment.refunded",
  "payment.failed", "payment.reported", "invoice.paid",
] as const;

export type PayerViewRow = {
  timeZone: string;
  confirmedAt: Date | null;
  confirmedBy: string | null;
  confirmedReference: string | null;
  confirmedCostCentre: string | null;
  disputes: {
    id: string; kind: "invoice" | "delivery"; deliveryId: string | null; reason: string; message: string | null;
    linePositions: number[] | null; status: "open" | "accepted" | "rejected"; resolution: Record<string, unknown> | null;
    createdAt: string; resolvedAt: string | null; attachmentName: string | null;
  }[];
  deliveries: {
    id: string; description: string; deliveredOn: string | null; location: string | null; linePositions: number[] | null;
    status: "pending" | "approved" | "problem"; decidedAt: string | null;
  }[];
  contacts: {
    id: string; name: string | null; email: string | null; phone: string | null; invoiceReference: string | null;
    addressLine1: string | null; addressLine2: string | null; postalCode: string | null; city: string | null;
    country: string | null; language: "sv" | "en" | null; channel: "email" | "peppol" | "post"; peppolId: string | null;
    /** Mail to the address bounced or was marked as spam: the payer is asked to correct it. */
    emailFailure?: "bounced" | "complained" | null;
  }[];
  /** Only the data fields the timeline shows; IPs, user agents and contact details stay out. */
  events: { type: string; createdAt: string; data: Record<string, unknown> }[];
};

const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

// Event types are constants of ours (checked below), so they can be part of the statement's text.
const TIMELINE_TYPES_SQL = sql.raw(
  TIMELINE_EVENT_TYPES.map((type) => {
    if (!/^[a-z_.]+$/.test(type)) throw new Error(`unexpected event type ${type}`);
    return `'${type}'`;
  }).join(", "),
);

/**
 * A customer's billing contacts as the payer sees them (oldest first), as a column of a query that
 * has the customer's id and supplier: the invoice page's and the campaign page's.
 */
export function billingContactsJson(customerId: AnyColumn, supplierId: AnyColumn) {
  return sql`coalesce((select json_agg(json_build_object(
      'id', c.id, 'name', c.name, 'email', c.email, 'phone', c.phone, 'invoiceReference', c.invoice_reference,
      'addressLine1', c.address_line1, 'addressLine2', c.address_line2, 'postalCode', c.postal_code, 'city', c.city,
      'country', c.country, 'language', c.language, 'channel', c.channel, 'peppolId', c.peppol_id,
      'emailFailure', c.email_failure) order by c.created_at, c.id)
    from contacts c where c.customer_id = ${customerId} and c.supplier_id = ${supplierId} and c.is_billing), '[]')`.mapWith(
    json<PayerViewRow["contacts"]>,
  );
}

/**
 * What the page shows beside the invoice: confirmation, disputes, deliveries, billing contacts
 * and the timeline (the first view by a person, not every view, and at most the latest 200 other
 * events). Columns for the portal's one query (app/features/portal/db/portal.server.ts), which joins the
 * invoice by its link.
 */
export const payerPanelColumns = {
  confirmedAt: invoices.confirmedAt,
  confirmedBy: invoices.confirmedBy,
  confirmedReference: invoices.confirmedReference,
  confirmedCostCentre: invoices.confirmedCostCentre,
  disputes: sql`coalesce((select json_agg(json_build_object(
      'id', d.id, 'kind', d.kind, 'deliveryId', d.delivery_id, 'reason', d.reason, 'message', d.message,
      'linePositions', d.line_positions, 'status', d.status, 'resolution', d.resolution, 'createdAt', d.created_at,
      'resolvedAt', d.resolved_at, 'attachmentName', a.filename) order by d.created_at, d.id)
    from disputes d left join attachments a on a.id = d.attachment_id
    where d.invoice_id = ${invoices.id} and d.supplier_id = ${invoices.supplierId}), '[]')`.mapWith(json<PayerViewRow["disputes"]>),
  deliveries: sql`coalesce((select json_agg(json_build_object(
      'id', v.id, 'description', v.description, 'deliveredOn', v.delivered_on, 'location', v.location,
      'linePositions', v.line_positions, 'status', v.status, 'decidedAt', v.decided_at) order by v.created_at, v.id)
    from deliveries v where v.invoice_id = ${invoices.id} and v.supplier_id = ${invoices.supplierId}), '[]')`.mapWith(
    json<PayerViewRow["deliveries"]>,
  ),
  contacts: billingContactsJson(invoices.customerId, invoices.supplierId),
  events: sql`coalesce((select json_agg(json_build_object('type', e.type, 'createdAt', e.created_at, 'data', e.data) order by e.seq)
    from (
      (select seq, type, created_at, jsonb_build_object(
          'reason', data->'reason', 'kind', data->'kind', 'status', data->'status', 'confirmed_by', data->'confirmed_by',
          'description', data->'description', 'amount', data->'amount', 'currency', data->'currency',
          'method', data->'method', 'amount_refunded', data->'amount_refunded', 'step', data->'step') as data
        from events where invoice_id = ${invoices.id} and supplier_id = ${invoices.supplierId} and type in (${TIMELINE_TYPES_SQL})
        order by seq desc limit 200)
      union all
      (select seq, type, created_at, '{}'::jsonb from events
        where invoice_id = ${invoices.id} and supplier_id = ${invoices.supplierId} and type = 'invoice.viewed'
          and coalesce(data->>'automated', 'false') <> 'true'
        order by seq limit 1)
    ) e), '[]')`.mapWith(json<PayerViewRow["events"]>),
};

/** What issuing a link for another invoice of the supplier needs (a corrected invoice). */
export async function findInvoiceForLink(db: DbOrTx, supplierId: string, id: string) {
  const [row] = await db
    .select({
      id: invoices.id,
      supplierId: invoices.supplierId,
      number: invoices.number,
      linkVersion: invoices.linkVersion,
      cancelledAt: invoices.cancelledAt,
    })
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, id)))
    .limit(1);
  return row;
}
