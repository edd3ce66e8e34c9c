// The invoice notice: the email that brings an invoice to its billing contacts, with the links to
// confirm and pay it. Sent when the supplier asks (POST /api/v1/invoices/:id/send, or `send: true`
// when creating it), once per contact: asking again only mails contacts added since.
import { and, eq } from "drizzle-orm";
import { customers, invoices, suppliers } from "../../../db/schema";
import type { Db, DbOrTx } from "../../../db/client";
import { listBillingContacts } from "~/features/customers/db/contacts.server";
import { appendEvent, type Actor } from "~/platform/audit/db/events.server";
import { emailRecipients, queueEmail } from "~/features/emails/email.server";
import { runIdempotent, type Keyed } from "~/api/idempotency.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import type { ProblemBody } from "~/api/problem.server";

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
        // The invoice itself: the supplier's own PDF when it uploaded one, else our copy, with the pay-now box.
        attachInvoicePdf: true,
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

export type SentJson = { invoice_id: string; emails: NoticeEmail[] };

const REFUSED: Record<Exclude<Extract<NoticeResult, { ok: false }>["reason"], "not_found">, string> = {
  cancelled: "The invoice is cancelled.",
  credit_note: "A credit note is not sent as an invoice to pay.",
  no_recipient: "The customer has no billing contact with an email address: add one first.",
};

/** Thrown inside the keyed transaction so a refused send keeps no claim on the key. */
class Refused extends Error {
  constructor(readonly problem: ProblemBody) {
    super(problem.detail ?? problem.title);
  }
}

/**
 * The API's send, behind the request's Idempotency-Key. A repeat without a key mails nobody twice
 * but answers `already_sent`; with a key, a retry after a lost answer gets the first answer (the
 * emails `queued`) again, byte for byte. Refusals are not stored, so the key stays usable.
 */
export async function sendInvoiceNoticeOnce(
  db: Db,
  params: { supplierId: string; invoiceId: string; actor: Actor; message: string | null; idempotencyKey?: string },
): Promise<Keyed<SentJson>> {
  const { supplierId, invoiceId } = params;
  const keyed = { supplierId, key: params.idempotencyKey, route: `POST /api/v1/invoices/${invoiceId}/send`, input: { message: params.message } };
  try {
    return await db.transaction((tx) =>
      runIdempotent(tx, keyed, async () => {
        const result = await sendInvoiceNotice(tx, params);
        if (result.ok) return { status: 202, body: { invoice_id: invoiceId, emails: result.emails } };
        throw new Refused(result.reason === "not_found"
          ? { status: 404, title: "Not found", detail: "Invoice not found." }
          : { status: 409, title: "Cannot send the invoice", detail: REFUSED[result.reason] });
      }),
    );
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.problem };
    throw error;
  }
}
