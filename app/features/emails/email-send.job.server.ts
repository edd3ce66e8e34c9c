// The email.send job: render the queued email in its language, then deliver it through Resend,
// or, without RESEND_API_KEY, leave it in the outbox (the row is the delivered message).
// Idempotent (J2): a sent, failed or suppressed email is never sent again, the row is locked
// while it is sent, and Resend's Idempotency-Key covers a crash between its answer and our commit.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { AppServices } from "~/platform/context";
import type { DbOrTx, Tx } from "../../../db/client";
import { emailsTotal } from "~/platform/metrics/counters.server";
import { defineJob } from "../../platform/jobs/registry.server";
import { sendWithResend } from "~/integrations/resend.server";
import { appendEvent } from "~/platform/audit/db/events.server";
import { isAddressSuppressed } from "~/features/emails/db/email-suppressions.server";
import { PORTAL_LINK_PLACEHOLDER, payerEmailFacts, withPortalLink, type PayerEmailFacts } from "~/features/emails/email-context.server";
import { invoicePdfAttachment } from "~/features/invoices/pdf/invoice-pdf.server";
import {
  lockEmailForSending, markEmailSent, markEmailSuppressed, recordEmailFailure, storeRenderedEmail, type EmailRow,
} from "~/features/emails/db/emails.server";
import { getSupplier, type Supplier } from "~/features/suppliers/db/suppliers.server";
import { EMAIL_SEND_JOB } from "~/features/emails/email.server";
import type { Config, Mailbox } from "~/platform/config.server";
import { EmailPropsError, emailAudience, renderEmail, type RenderedEmail } from "../../../emails";

// 1 try + 5 retries, 60 s doubling: 1, 2, 4, 8, 16 minutes, so ~31 minutes in all.
const RETRY_LIMIT = 5;
const MAX_ATTEMPTS = RETRY_LIMIT + 1;

export class EmailSendError extends Error {
  readonly code = "email_send_failed";
  constructor(readonly emailId: string, readonly providerCode: string, message: string) {
    super(`Email ${emailId} not sent (${providerCode}): ${message}`);
    this.name = "EmailSendError";
  }
}

/**
 * Resend takes 1–256 characters in a header; a key that does not fit (long, or with an address
 * like `åsa@…` in it) is sent as its hash, which is just as stable.
 */
export function providerIdempotencyKey(key: string): string {
  return /^[\x21-\x7e]{1,256}$/.test(key) ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

/** `"Name" <address>`; the name loses anything that could break out of the header. */
function mailbox(name: string | null, address: string): string {
  const clean = name?.replace(/["\\\r\n<>]/g, "").trim();
  return clean ? `"${clean}" <${address}>` : address;
}

/** Payers see the supplier as the sender (and reply to its notification address). */
function envelopeFor(row: EmailRow, supplier: Supplier, from: Mailbox) {
  const toPayer = emailAudience(row.template) === "payer";
  return {
    from: mailbox(toPayer ? supplier.name : from.name, from.address),
    replyTo: toPayer ? supplier.notificationEmail : null,
  };
}

/** The first try's rendering is stored and reused, so every try sends the same message. */
async function rendered(db: DbOrTx, row: EmailRow, supplier: Supplier, facts: PayerEmailFacts | null): Promise<RenderedEmail> {
  if (row.subject !== null && row.html !== null && row.text !== null) {
    return { subject: row.subject, html: row.html, text: row.text };
  }
  const email = await renderEmail(row.template, row.props, {
    locale: row.locale,
    brand: { name: supplier.name, brandColor: supplier.brandColor, logoUrl: supplier.logoUrl, timeZone: supplier.timeZone },
    invoice: facts?.invoice ?? null,
    portalUrl: facts?.portalUrl ? PORTAL_LINK_PLACEHOLDER : null,
  });
  await storeRenderedEmail(db, row.id, email);
  return email;
}

/**
 * Payer emails about an invoice show its payment facts and carry their own portal link; one
 * about the customer (a campaign's) carries the customer's link it was queued with.
 */
async function factsFor(tx: Tx, config: Config, row: EmailRow, supplier: Supplier): Promise<PayerEmailFacts | null> {
  if (emailAudience(row.template) !== "payer") return null;
  return payerEmailFacts(tx, config, row, supplier, new Date());
}

/** The invoice copy reminders carry, rendered from the invoice as it is now (same bytes on each try). */
async function invoiceAttachments(tx: Tx, config: Config, row: EmailRow): Promise<{ filename: string; content: Buffer }[]> {
  const pdf = await invoicePdfAttachment(tx, config, { supplierId: row.supplierId, invoiceId: row.invoiceId!, locale: row.locale });
  return pdf ? [pdf] : [];
}

type Outcome = { kind: "done"; result: "sent" | "failed" | "suppressed" | "skipped" } | { kind: "retry"; code: string; message: string };

/**
 * Sends one queued email. The row stays locked through the provider call (at most its 15 s
 * timeout), so two workers never send the same email at the same time.
 */
export async function sendEmail(emailId: string, services: AppServices): Promise<Outcome> {
  const { config } = services;
  return services.db.transaction(async (tx): Promise<Outcome> => {
    const row = await lockEmailForSending(tx, emailId);
    // Gone, or locked: another worker is sending it right now and will finish (or retry) it.
    if (!row || row.status !== "queued") return { kind: "done", result: "skipped" };
    const supplier = await getSupplier(tx, row.supplierId);
    if (!supplier) throw new Error(`supplier ${row.supplierId} of email ${row.id} not found`);
    const event = { supplierId: row.supplierId, invoiceId: row.invoiceId, customerId: row.customerId, actor: "system" as const };
    const facts = { email_id: row.id, template: row.template, to: row.toAddress };
    const suppressed = await isAddressSuppressed(tx, row.supplierId, row.toAddress);
    if (suppressed) {
      await markEmailSuppressed(tx, row.id, `address ${suppressed.reason}`);
      await appendEvent(tx, { ...event, type: "email.suppressed", data: { ...facts, reason: suppressed.reason } });
      return { kind: "done", result: "suppressed" };
    }
    let email: RenderedEmail;
    let payer: PayerEmailFacts | null;
    try {
      payer = await factsFor(tx, config, row, supplier);
      email = await rendered(tx, row, supplier, payer);
    } catch (error) {
      // Stored props that no longer fit the template (it changed since) fail the same way every time.
      if (!(error instanceof EmailPropsError)) throw error;
      await recordEmailFailure(tx, row.id, error.message, true);
      await appendEvent(tx, { ...event, type: "email.failed", data: { ...facts, error: error.message } });
      return { kind: "done", result: "failed" };
    }

    email = withPortalLink(email, config, payer?.portalUrl ?? null);
    const attachments = row.attachInvoicePdf && row.invoiceId ? await invoiceAttachments(tx, config, row) : [];
    const sentFacts = { ...facts, ...(attachments.length ? { attachments: attachments.map((file) => file.filename) } : {}) };

    if (!config.email.resend) {
      if (config.isProduction) services.log.warn({ emailId: row.id }, "RESEND_API_KEY is not set: email kept in the outbox, not delivered");
      await markEmailSent(tx, row.id, { transport: "outbox", providerId: null });
      await appendEvent(tx, { ...event, type: "email.sent", data: { ...sentFacts, transport: "outbox" } });
      return { kind: "done", result: "sent" };
    }

    const result = await sendWithResend(
      config.email.resend,
      {
        ...envelopeFor(row, supplier, config.email.from),
        to: row.toAddress,
        ...email,
        attachments,
        tags: [{ name: "email_id", value: row.id }, { name: "template", value: row.template }],
      },
      { idempotencyKey: providerIdempotencyKey(row.idempotencyKey) },
    );
    if (result.ok) {
      await markEmailSent(tx, row.id, { transport: "resend", providerId: result.providerId });
      await appendEvent(tx, { ...event, type: "email.sent", data: { ...sentFacts, transport: "resend", provider_id: result.providerId } });
      return { kind: "done", result: "sent" };
    }
    // Our keys are unique per email, so Resend knowing this one means it took this email on an
    // earlier try (whose answer we lost) and now sees a different payload: e.g. the invoice copy
    // changed because a payment arrived in between. Sending again would be the duplicate.
    if (result.code === "invalid_idempotent_request") {
      await markEmailSent(tx, row.id, { transport: "resend", providerId: null });
      await appendEvent(tx, { ...event, type: "email.sent", data: { ...sentFacts, transport: "resend", note: "accepted on an earlier try" } });
      return { kind: "done", result: "sent" };
    }
    const final = !result.retryable || row.attempts + 1 >= MAX_ATTEMPTS;
    const error = `${result.code}${result.statusCode ? ` (${result.statusCode})` : ""}: ${result.message}`;
    await recordEmailFailure(tx, row.id, error, final);
    if (final) {
      await appendEvent(tx, { ...event, type: "email.failed", data: { ...facts, error } });
      return { kind: "done", result: "failed" };
    }
    return { kind: "retry", code: result.code, message: result.message };
  });
}

export const emailSendJob = defineJob({
  name: EMAIL_SEND_JOB,
  schema: z.object({ emailId: z.string().min(1) }),
  retryLimit: RETRY_LIMIT,
  retryDelay: 60,
  retryBackoff: true,
  handle: async ({ emailId }, services) => {
    const outcome = await sendEmail(emailId, services);
    if (outcome.kind === "done" && outcome.result !== "skipped") emailsTotal.inc({ outcome: outcome.result });
    // Thrown after the commit, so the counted attempt stays recorded while pg-boss retries.
    if (outcome.kind === "retry") throw new EmailSendError(emailId, outcome.code, outcome.message);
  },
});
