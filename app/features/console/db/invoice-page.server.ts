// What the console's invoice page reads beyond what the API's use cases give: the invoice's
// emails with their delivery state, its webhook deliveries, and whether the supplier uploaded its
// own PDF.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { emails, supplierInvoicePdfs, webhookDeliveries, webhookEndpoints, webhookMessages } from "../../../../db/schema";
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

export type InvoiceWebhookRow = {
  id: string;
  type: string;
  endpointId: string;
  endpointUrl: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

/**
 * The invoice's most recent webhook deliveries (`limit`), newest first. Messages name their
 * invoice in the payload (`invoice.id`, or `invoice_id` for an address's failing email); the
 * expression is the one webhook_messages_invoice_idx indexes, so this never scans the supplier's
 * messages.
 */
export async function listInvoiceWebhooks(db: DbOrTx, supplierId: string, invoiceId: string, limit: number): Promise<InvoiceWebhookRow[]> {
  return invoiceWebhooksQuery(db, supplierId, invoiceId, limit);
}

/** The query itself, unsent: its plan is tested. */
export function invoiceWebhooksQuery(db: DbOrTx, supplierId: string, invoiceId: string, limit: number) {
  const invoiceOf = sql`coalesce(${webhookMessages.payload} -> 'invoice' ->> 'id', ${webhookMessages.payload} ->> 'invoice_id')`;
  return db
    .select({
      id: webhookDeliveries.id, type: webhookMessages.type, endpointId: webhookEndpoints.id, endpointUrl: webhookEndpoints.url,
      status: webhookDeliveries.status, attempts: webhookDeliveries.attempts, lastStatusCode: webhookDeliveries.lastStatusCode,
      createdAt: webhookMessages.createdAt, deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookMessages)
    .innerJoin(webhookDeliveries, eq(webhookDeliveries.messageId, webhookMessages.id))
    .innerJoin(webhookEndpoints, and(eq(webhookEndpoints.id, webhookDeliveries.endpointId), eq(webhookEndpoints.supplierId, supplierId)))
    .where(and(eq(webhookMessages.supplierId, supplierId), sql`${invoiceOf} = ${invoiceId}`))
    .orderBy(desc(webhookMessages.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}
