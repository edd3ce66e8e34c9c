// Queues an email as part of the change that causes it: the row and its email.send job are
// written in the caller's transaction, so a rolled-back change sends nothing and a committed
// one is never lost (security J1). Rendering and sending happen in the job.
import { z } from "zod";
import type { DbOrTx, Tx } from "../../../db/client";
import { enqueueJob, enqueueJobs } from "~/platform/jobs/queue.server";
import { isPublicId } from "~/domain/public-id";
import { getEmail, insertEmail, insertEmails, listRecentEmails, type EmailRow, type EmailSummary, type NewEmail } from "~/features/emails/db/emails.server";
import { parseEmailProps, type EmailPropsInput, type EmailTemplateName } from "../../../emails";

export const EMAIL_SEND_JOB = "email.send";

export type QueueEmailInput<N extends EmailTemplateName> = {
  supplierId: string;
  invoiceId?: string | null;
  customerId?: string | null;
  template: N;
  locale: "sv" | "en";
  to: string;
  props: EmailPropsInput<N>;
  /**
   * One email per purpose and recipient, e.g. `dispute:<id>:supplier`: queuing again with the
   * same key (a retried request) returns the first email. Also Resend's Idempotency-Key.
   */
  idempotencyKey: string;
  /** Reminders carry a PDF copy of the invoice, rendered when the email is sent. */
  attachInvoicePdf?: boolean;
};

export class InvalidEmailError extends Error {
  readonly code = "email_invalid";
  constructor(readonly issues: string[]) {
    super(`Cannot queue email: ${issues.join("; ")}`);
    this.name = "InvalidEmailError";
  }
}

const envelope = z.object({
  to: z.string().trim().max(254).email("is not a valid email address"),
  locale: z.enum(["sv", "en"]),
  idempotencyKey: z.string().trim().min(1, "must not be empty").max(1000),
});

/** An email's row, checked: its envelope and its props against the template's schema. */
function emailRow<N extends EmailTemplateName>(input: QueueEmailInput<N>): NewEmail {
  const checked = envelope.safeParse(input);
  if (!checked.success) {
    throw new InvalidEmailError(checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  return {
    supplierId: input.supplierId,
    invoiceId: input.invoiceId ?? null,
    customerId: input.customerId ?? null,
    idempotencyKey: checked.data.idempotencyKey,
    template: input.template,
    locale: checked.data.locale,
    props: parseEmailProps(input.template, input.props),
    toAddress: checked.data.to,
    attachInvoicePdf: input.attachInvoicePdf === true && input.invoiceId != null,
  };
}

/**
 * Validates the props against the template's schema (a bad call fails here, in the caller's
 * request, rather than later in the worker) and queues the email. Throws InvalidEmailError or
 * EmailPropsError. `queued` is false when the idempotency key was already used.
 */
export async function queueEmail<N extends EmailTemplateName>(
  db: DbOrTx,
  input: QueueEmailInput<N>,
): Promise<{ emailId: string; queued: boolean }> {
  const row = emailRow(input);
  // A savepoint when the caller is in a transaction, a transaction otherwise: row and job together.
  return db.transaction(async (tx) => {
    const { id, inserted } = await insertEmail(tx, row);
    if (inserted) await enqueueJob(tx, EMAIL_SEND_JOB, { emailId: id });
    return { emailId: id, queued: inserted };
  });
}

/**
 * queueEmail for many emails at once, in the caller's transaction: each checked the same way,
 * the rows and their email.send jobs written in a few statements. A key already used queues nothing.
 */
export async function queueEmails<N extends EmailTemplateName>(tx: Tx, inputs: readonly QueueEmailInput<N>[]): Promise<void> {
  const created = await insertEmails(tx, inputs.map(emailRow));
  await enqueueJobs(tx, EMAIL_SEND_JOB, created.map((emailId) => ({ emailId })));
}

export type EmailRecipient = { contactId: string; address: string; locale: "sv" | "en" };

/**
 * The billing contacts to email, each in its own language (else the customer's, else the
 * supplier's). Invoice notices, reminders and new links go to those that take invoices by email;
 * `anyChannel` also includes contacts who get invoices by post or Peppol but have an address
 * (receipts). Never an address typed by a visitor.
 */
export function emailRecipients(
  contacts: readonly { id: string; email: string | null; channel: "email" | "peppol" | "post"; language: "sv" | "en" | null }[],
  customer: { language: "sv" | "en" | null },
  supplier: { language: "sv" | "en" },
  options: { anyChannel?: boolean } = {},
): EmailRecipient[] {
  return contacts.flatMap((contact) =>
    contact.email && (options.anyChannel || contact.channel === "email")
      ? [{ contactId: contact.id, address: contact.email, locale: contact.language ?? customer.language ?? supplier.language }]
      : [],
  );
}

/** The newest emails queued, for the development outbox (`/dev/outbox`). */
export async function outboxEmails(db: DbOrTx, limit: number): Promise<EmailSummary[]> {
  return listRecentEmails(db, limit);
}

/** One email as stored, for the development outbox; undefined for an id that is no email's. */
export async function outboxEmail(db: DbOrTx, id: string): Promise<EmailRow | undefined> {
  return isPublicId("msg", id) ? getEmail(db, id) : undefined;
}
