// The invoice notice: the email that brings an invoice to its billing contacts, with the links to
// confirm and pay it. Sent when the supplier asks (POST /api/v1/invoices/:id/send, or `send: true`
// when creating it), once per contact: asking again only mails contacts added since.
import { and, eq } from "drizzle-orm";
import { customers, invoices, suppliers } from "../../db/schema";
import type { DbOrTx } from "../../db/client";
import { listBillingContacts } from "~/models/contacts.server";
import { appendEvent, type Actor } from "~/models/events.server";
import { emailRecipients, queueEmail } from "~/services/email.server";
import { publishWebhookEvent } from "~/services/webhooks.server";

export type NoticeEmail = { id: string; to: string; status: "queued" | "already_sent" };

export type NoticeResult =
  | { ok: true; emails: NoticeEmail[] }
  | { ok: false; reason: "not_found" | "cancelled" | "credit_note" | "no_recipient" };

export async function sendInvoiceNotice(
  db: DbOrTx,
  params: { supplierId: string; invoiceId: string; actor: Actor; message?: string | null },
): Promise<NoticeResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ invoice: invoices, supplier: suppliers, customer: customers })
      .from(invoices)
      .innerJoin(suppliers, eq(suppliers.id, invoices.supplierId))
      .innerJoin(customers, eq(customers.id, invoices.customerId))
      .where(and(eq(invoices.supplierId, params.supplierId), eq(invoices.id, params.invoiceId)))
      .limit(1);
    if (!row) return { ok: false, reason: "not_found" };
    const { invoice, supplier, customer } = row;
    if (invoice.cancelledAt !== null) return { ok: false, reason: "cancelled" };
    if (invoice.total <= 0) return { ok: false, reason: "credit_note" };
    const recipients = emailRecipients(await listBillingContacts(tx, supplier.id, customer.id), customer, supplier);
    if (recipients.length === 0) return { ok: false, reason: "no_recipient" };

    const sent: NoticeEmail[] = [];
    for (const recipient of recipients) {
      const { emailId, queued } = await queueEmail(tx, {
        supplierId: supplier.id,
        invoiceId: invoice.id,
        customerId: customer.id,
        template: "invoice-notice",
        locale: recipient.locale,
        to: recipient.address,
        idempotencyKey: `notice:${invoice.id}:${recipient.contactId}:${recipient.address.toLowerCase()}`,
        props: {
          invoiceNumber: invoice.number,
          supplierName: supplier.name,
          issueDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          total: invoice.total,
          currency: invoice.currency,
          message: params.message ?? null,
        },
      });
      sent.push({ id: emailId, to: recipient.address, status: queued ? "queued" : "already_sent" });
    }
    const queued = sent.filter((email) => email.status === "queued");
    if (queued.length > 0) {
      const data = { email_ids: queued.map((email) => email.id), to: queued.map((email) => email.to) };
      await appendEvent(tx, { ...params.actor, supplierId: supplier.id, invoiceId: invoice.id, customerId: customer.id, type: "invoice.sent", data });
      await publishWebhookEvent(tx, {
        supplierId: supplier.id,
        type: "invoice.sent",
        payload: { invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id }, ...data },
      });
    }
    return { ok: true, emails: sent };
  });
}
