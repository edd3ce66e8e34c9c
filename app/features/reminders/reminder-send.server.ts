// Sends one queued reminder (the `reminder.send` job): checks again that the invoice still needs
// it, works out the fee and the interest it may state, and queues the reminder email with the
// invoice copy to each billing contact — all in one transaction with the reminder's new state,
// its timeline event and the supplier's webhook (security J1). Running it twice sends once (J2).
import { eq } from "drizzle-orm";
import { customers, invoices, reminders, suppliers } from "../../../db/schema";
import type { Db, Tx } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { lateInterest, reminderFee } from "~/domain/late-payment";
import { todayIn } from "~/domain/invoice-status";
import { nextWorkingTime, type ReminderStep } from "~/domain/reminder-policy";
import { listBillingContacts } from "~/features/customers/db/contacts.server";
import { appendEvent, type Actor } from "~/platform/audit/db/events.server";
import { emailRecipients, queueEmail } from "~/features/emails/email.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

export type SkipReason = "paid" | "cancelled" | "credit_note" | "disputed" | "payment_reported" | "paused" | "no_recipient";

export type ReminderOutcome =
  | { kind: "done" }
  | { kind: "sent"; emailIds: string[] }
  | { kind: "skipped"; reason: SkipReason }
  /** The job ran outside the supplier's working hours: try again when they open. */
  | { kind: "deferred"; until: Date };

type InvoiceRow = typeof invoices.$inferSelect;

/** A clerk's pause still running: until its date, or until resumed when it has none. */
export function remindersPausedByClerk(invoice: Pick<InvoiceRow, "remindersPausedAt" | "remindersPausedUntil">, now: Date): boolean {
  return invoice.remindersPausedAt !== null && (invoice.remindersPausedUntil === null || invoice.remindersPausedUntil > now);
}

/** Why an invoice no longer gets a reminder, checked again when sending (it may have changed since queuing). */
export function reasonToSkip(invoice: InvoiceRow, now: Date): SkipReason | null {
  if (invoice.cancelledAt !== null) return "cancelled";
  if (invoice.total <= 0) return "credit_note";
  if (invoice.paidAt !== null || invoice.amountPaid >= invoice.total) return "paid";
  if (invoice.disputed) return "disputed";
  if (invoice.paymentReportedUntil !== null && invoice.paymentReportedUntil > now) return "payment_reported";
  if (remindersPausedByClerk(invoice, now)) return "paused";
  return null;
}

/** What the reminder may add: an agreed fee (capped by law) and the interest accrued so far. */
function charges(
  step: ReminderStep,
  invoice: InvoiceRow,
  supplier: typeof suppliers.$inferSelect,
  today: string,
  config: Pick<Config, "referenceRates">,
) {
  const fee = reminderFee({ step, currency: invoice.currency, agreed: supplier.reminderFeeAgreed, fee: supplier.reminderFee });
  if (step === "before_due") return { fee, interest: null };
  const accrued = lateInterest({
    principal: invoice.total - invoice.amountPaid,
    dueDate: invoice.dueDate,
    issueDate: invoice.issueDate,
    asOf: today,
    rates: config.referenceRates,
  });
  // A half-year without a configured reference rate: the reminder says nothing rather than guess.
  const interest =
    accrued.ok && accrued.amount > 0 ? { amount: accrued.amount, rateBp: accrued.periods.at(-1)!.rateBp, from: accrued.from } : null;
  return { fee, interest };
}

export type ReminderContext = {
  reminder: typeof reminders.$inferSelect;
  invoice: InvoiceRow;
  supplier: typeof suppliers.$inferSelect;
  customer: typeof customers.$inferSelect;
};

/** What a reminder of this step would state today: its fee and the interest accrued (for the console's preview too). */
export function reminderCharges(
  step: ReminderStep,
  invoice: InvoiceRow,
  supplier: typeof suppliers.$inferSelect,
  config: Pick<Config, "referenceRates">,
  now: Date,
) {
  return charges(step, invoice, supplier, todayIn(supplier.timeZone, now), config);
}

export async function sendReminder(
  db: Db,
  config: Pick<Config, "referenceRates">,
  reminderId: string,
  now = new Date(),
): Promise<ReminderOutcome> {
  return db.transaction(async (tx) => {
    const [reminder] = await tx.select().from(reminders).where(eq(reminders.id, reminderId)).limit(1).for("update");
    if (!reminder || reminder.status !== "queued") return { kind: "done" };
    const [row] = await tx
      .select({ invoice: invoices, supplier: suppliers, customer: customers })
      .from(invoices)
      .innerJoin(suppliers, eq(suppliers.id, invoices.supplierId))
      .innerJoin(customers, eq(customers.id, invoices.customerId))
      .where(eq(invoices.id, reminder.invoiceId))
      .limit(1)
      .for("share", { of: invoices });
    if (!row) return { kind: "done" };
    return deliverReminder(tx, config, { reminder, ...row }, now);
  });
}

/**
 * Sends a queued reminder row whose invoice the caller has locked: skipped (with its reason) when
 * the invoice no longer needs it, put off outside working hours unless `anyHour` (a clerk's "send
 * now"), else the emails, the row's new state, the event (by `actor`, the system by default) and the webhook.
 */
export async function deliverReminder(
  tx: Tx,
  config: Pick<Config, "referenceRates">,
  { reminder, invoice, supplier, customer }: ReminderContext,
  now: Date,
  options: { actor?: Actor; anyHour?: boolean } = {},
): Promise<ReminderOutcome> {
  const step = reminder.step;
  const actor = options.actor ?? { actor: "system" as const, actorId: null };
  const base = { supplierId: supplier.id, invoiceId: invoice.id, customerId: customer.id, ...actor };

  const skip = async (reason: SkipReason): Promise<ReminderOutcome> => {
    await tx.update(reminders).set({ status: "skipped", skipReason: reason }).where(eq(reminders.id, reminder.id));
    await appendEvent(tx, { ...base, type: "reminder.skipped", data: { reminder_id: reminder.id, step, reason } });
    return { kind: "skipped", reason };
  };
  const reason = reasonToSkip(invoice, now);
  if (reason) return skip(reason);

  const opens = options.anyHour ? now : nextWorkingTime(supplier.timeZone, now);
  if (opens && opens > now) return { kind: "deferred", until: opens };

  const recipients = emailRecipients(await listBillingContacts(tx, supplier.id, customer.id), customer, supplier);
  if (recipients.length === 0) return skip("no_recipient");

  const today = todayIn(supplier.timeZone, now);
  const { fee, interest } = charges(step, invoice, supplier, today, config);
  const amountDue = invoice.total - invoice.amountPaid;
  const emailIds: string[] = [];
  for (const recipient of recipients) {
    const { emailId } = await queueEmail(tx, {
      supplierId: supplier.id,
      invoiceId: invoice.id,
      customerId: customer.id,
      template: "payment-reminder",
      locale: recipient.locale,
      to: recipient.address,
      idempotencyKey: `reminder:${reminder.id}:${recipient.contactId}`,
      attachInvoicePdf: true,
      props: {
        step,
        invoiceNumber: invoice.number,
        supplierName: supplier.name,
        dueDate: invoice.dueDate,
        amountDue,
        currency: invoice.currency,
        fee,
        interest,
      },
    });
    emailIds.push(emailId);
  }
  await tx
    .update(reminders)
    .set({ status: "sent", sentAt: now, emailId: emailIds[0]!, fee, interest: interest?.amount ?? 0 })
    .where(eq(reminders.id, reminder.id));
  const facts = {
    reminder_id: reminder.id,
    step,
    amount_due: amountDue,
    currency: invoice.currency,
    fee,
    interest: interest?.amount ?? 0,
    email_ids: emailIds,
    to: recipients.map((recipient) => recipient.address),
  };
  await appendEvent(tx, { ...base, type: "reminder.sent", data: facts });
  await publishWebhookEvent(tx, {
    supplierId: supplier.id,
    type: "reminder.sent",
    payload: { invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id }, ...facts },
  });
  return { kind: "sent", emailIds };
}
