// A clerk's reminder actions on one invoice, shared by the API (POST /api/v1/invoices/:id/reminders,
// …/reminders/pause, …/reminders/resume) and the console's invoice page: send the next reminder now,
// pause reminders (until a date or until resumed) and resume them. Each is one transaction behind
// the request's Idempotency-Key, with its audit event and webhook, so a refusal writes nothing.
//
// The clerk's pause and the payer's "I have paid" (payment_reported_until) are two separate pauses:
// reminders wait while either runs, and resuming ends the clerk's pause only.
import type { Db, Tx } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { runIdempotent, type Keyed } from "~/api/idempotency.server";
import { fieldErrors, invalid, ProblemError, type ProblemBody } from "~/api/problem.server";
import { daysBetween, todayIn } from "~/domain/invoice-status";
import { startOfLocalDay } from "~/domain/campaign-schedule";
import { newPublicId, isPublicId } from "~/domain/public-id";
import {
  DEFAULT_REMINDER_POLICY, dueReminderStep, policySteps, stepRank, validateReminderPolicy, type ReminderPolicy, type ReminderStep,
} from "~/domain/reminder-policy";
import { appendEvent } from "~/platform/audit/db/events.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { listBillingContacts } from "~/features/customers/db/contacts.server";
import { emailRecipients } from "~/features/emails/email.server";
import { lockInvoice, type InvoiceRow } from "~/features/invoices/db/invoice-changes.server";
import { findApiInvoice } from "~/features/invoices/db/invoices.server";
import { invoiceJson, type InvoiceJson } from "~/features/invoices/api.json.server";
import { getSupplier, type Supplier } from "~/features/suppliers/db/suppliers.server";
import type { Actor } from "~/features/invoices/invoices.server";
import { pauseRemindersSchema } from "~/features/reminders/api.schemas";
import { reminderJson, type ReminderJson } from "~/features/reminders/api.json.server";
import { deliverReminder, reminderCharges, remindersPausedByClerk } from "~/features/reminders/reminder-send.server";
import {
  customerRow, insertReminder, invoiceRow, invoiceWasSent, listInvoiceReminders, reminderById, setReminderPause,
} from "~/features/reminders/db/reminders.server";

/** Why a reminder action was refused: the console words each in the user's language. */
export type ReminderRefusal =
  | "cancelled" | "credit_note" | "paid" | "disputed" | "not_sent" | "no_policy" | "all_sent" | "not_overdue"
  | "payment_reported" | "paused" | "no_recipient" | "just_queued" | "settled" | "until_not_ahead";

export type ReminderActionResult<T> = Keyed<T> | { ok: false; problem: ProblemBody; refusal: ReminderRefusal };

export type ReminderActionParams = {
  supplierId: string;
  invoiceId: string;
  actor: Actor;
  input?: unknown;
  idempotencyKey?: string;
  now?: Date;
};

const NOT_FOUND: ProblemBody = { status: 404, title: "Not found", detail: "Invoice not found." };

const DETAIL: Record<ReminderRefusal, string> = {
  cancelled: "The invoice is cancelled.",
  credit_note: "A credit note gets no reminders.",
  paid: "The invoice is paid.",
  disputed: "The payer reported a problem that is still open: answer it first.",
  not_sent: "The invoice was never sent to the payer: send it first (POST /api/v1/invoices/{id}/send).",
  no_policy: "The supplier's reminder policy has no steps (reminders are off): set reminder_policy first.",
  all_sent: "Every step of the reminder policy was sent already, the final notice included.",
  not_overdue: "The invoice is not overdue yet: the next reminder of the policy goes out after the due date.",
  payment_reported: "The payer reported having paid: reminders are paused until payment_reported_until.",
  paused: "Reminders for this invoice are paused: resume them first (POST /api/v1/invoices/{id}/reminders/resume).",
  no_recipient: "The customer has no billing contact with an email address: add one first.",
  just_queued: "A reminder of this invoice is queued and goes out shortly: see GET /api/v1/invoices/{id}/reminders.",
  settled: "The invoice is paid or cancelled: no reminders go out for it anyway.",
  until_not_ahead: "until must be a date after today in the supplier's time zone",
};

class Refused extends Error {
  constructor(readonly refusal: ReminderRefusal) {
    super(DETAIL[refusal]);
  }
}

function refusedProblem(refusal: ReminderRefusal, invoiceId: string, title: string): { ok: false; problem: ProblemBody; refusal: ReminderRefusal } {
  const detail = DETAIL[refusal].replace("{id}", invoiceId);
  const problem: ProblemBody = refusal === "until_not_ahead" ? invalid([{ field: "until", message: detail }]) : { status: 409, title, detail };
  return { ok: false, problem, refusal };
}

/** The keyed transaction every action runs in; refusals roll back, keeping no claim on the key. */
async function run<T>(
  db: Db,
  params: ReminderActionParams,
  route: string,
  input: unknown,
  title: string,
  work: (tx: Tx, invoice: InvoiceRow, supplier: Supplier, now: Date) => Promise<{ status: number; body: T }>,
): Promise<ReminderActionResult<T>> {
  const { supplierId, invoiceId } = params;
  if (!isPublicId("inv", invoiceId)) return { ok: false, problem: NOT_FOUND };
  const now = params.now ?? new Date();
  try {
    return await db.transaction((tx) =>
      runIdempotent(tx, { supplierId, key: params.idempotencyKey, route: `${route.replace("{id}", invoiceId)}`, input }, async () => {
        const invoice = await lockInvoice(tx, supplierId, invoiceId);
        if (!invoice) throw new ProblemError(NOT_FOUND);
        const supplier = await getSupplier(tx, supplierId);
        if (!supplier) throw new Error(`supplier ${supplierId} not found`);
        return work(tx, invoice, supplier, now);
      }),
    );
  } catch (error) {
    if (error instanceof Refused) return refusedProblem(error.refusal, invoiceId, title);
    if (error instanceof ProblemError) return { ok: false, problem: error.problem };
    throw error;
  }
}

async function currentJson(tx: Tx, supplier: Supplier, id: string, now: Date): Promise<InvoiceJson> {
  const row = await findApiInvoice(tx, supplier.id, id);
  if (!row) throw new Error(`invoice ${id} vanished inside its own transaction`);
  return invoiceJson(row, supplier.timeZone, now);
}

const isSettled = (invoice: InvoiceRow) => invoice.paidAt !== null || invoice.amountPaid >= invoice.total;

// ---- send the next reminder now ----

/** The supplier's policy, or the default when it has none stored; a stored `{}` turns reminders off. */
function policyOf(supplier: Supplier): ReminderPolicy {
  if (supplier.reminderPolicy === null) return DEFAULT_REMINDER_POLICY;
  const checked = validateReminderPolicy(supplier.reminderPolicy);
  return checked.ok ? checked.policy : {};
}

export type ReminderPlan = { step: ReminderStep; fee: number; interest: number };

/**
 * The step "send now" sends: the one the schedule would send today if it is due, else the next
 * step of the policy after the last one queued (sending it early). Never a payment reminder before
 * the due date has passed, nor the before-due one after it. Throws Refused when none may go out.
 */
async function planReminder(tx: Tx, config: Pick<Config, "referenceRates">, invoice: InvoiceRow, supplier: Supplier, now: Date): Promise<ReminderPlan> {
  if (invoice.cancelledAt !== null) throw new Refused("cancelled");
  if (invoice.total <= 0) throw new Refused("credit_note");
  if (isSettled(invoice)) throw new Refused("paid");
  if (invoice.disputed) throw new Refused("disputed");
  if (invoice.paymentReportedUntil !== null && invoice.paymentReportedUntil > now) throw new Refused("payment_reported");
  if (remindersPausedByClerk(invoice, now)) throw new Refused("paused");
  if (!(await invoiceWasSent(tx, supplier.id, invoice.id))) throw new Refused("not_sent");
  const policy = policyOf(supplier);
  const steps = policySteps(policy);
  if (steps.length === 0) throw new Refused("no_policy");

  const today = todayIn(supplier.timeZone, now);
  const rows = await listInvoiceReminders(tx, supplier.id, invoice.id);
  // One still waiting for its job would go out after the one sent now, out of order.
  if (rows.some((row) => row.status === "queued")) throw new Refused("just_queued");
  const queued = rows.map((row) => row.step);
  const highest = Math.max(-1, ...queued.map(stepRank));
  const overdue = daysBetween(invoice.dueDate, today) > 0;
  const due = dueReminderStep(policy, { dueDate: invoice.dueDate, today, queued });
  const later = steps.filter(({ step }) => stepRank(step) > highest && !(step === "before_due" && daysBetween(invoice.dueDate, today) >= 0));
  const step = due ?? later[0]?.step;
  if (step === undefined) throw new Refused("all_sent");
  if (step !== "before_due" && !overdue) throw new Refused("not_overdue");

  const customer = await customerRow(tx, supplier.id, invoice.customerId);
  if (!customer || emailRecipients(await listBillingContacts(tx, supplier.id, customer.id), customer, supplier).length === 0) {
    throw new Refused("no_recipient");
  }
  const { fee, interest } = reminderCharges(step, invoice, supplier, config, now);
  return { step, fee, interest: interest?.amount ?? 0 };
}

/**
 * What "send a reminder now" would send (step, fee, interest), or why it would be refused: the
 * console shows it beside the button. Reads only; null for another supplier's invoice.
 */
export async function previewReminder(
  db: Db, config: Pick<Config, "referenceRates">, supplierId: string, invoiceId: string, now: Date,
): Promise<({ ok: true } & ReminderPlan) | { ok: false; refusal: ReminderRefusal } | null> {
  if (!isPublicId("inv", invoiceId)) return null;
  // A read-only transaction: the plan's queries see one snapshot, and nothing is locked for a page view.
  return db.transaction(async (tx) => {
    const invoice = await invoiceRow(tx, supplierId, invoiceId);
    const supplier = invoice && (await getSupplier(tx, supplierId));
    if (!invoice || !supplier) return null;
    try {
      return { ok: true as const, ...(await planReminder(tx, config, invoice, supplier, now)) };
    } catch (error) {
      if (error instanceof Refused) return { ok: false as const, refusal: error.refusal };
      throw error;
    }
  });
}

/**
 * Sends the invoice's next reminder now, whatever the hour, with the fee and interest the law and
 * the supplier's policy allow; the schedule then goes on from that step. 201 with the reminder.
 */
export async function sendReminderNow(db: Db, config: Pick<Config, "referenceRates">, params: ReminderActionParams): Promise<ReminderActionResult<ReminderJson>> {
  return run(db, params, "POST /api/v1/invoices/{id}/reminders", null, "Cannot send a reminder", async (tx, invoice, supplier, now) => {
    const plan = await planReminder(tx, config, invoice, supplier, now);
    const reminder = await insertReminder(tx, { id: newPublicId("rem"), supplierId: supplier.id, invoiceId: invoice.id, step: plan.step, now });
    if (!reminder) throw new Refused("just_queued");
    const customer = (await customerRow(tx, supplier.id, invoice.customerId))!;
    const outcome = await deliverReminder(tx, config, { reminder, invoice, supplier, customer }, now, { actor: params.actor, anyHour: true });
    if (outcome.kind !== "sent") throw new Error(`a planned reminder was not sent: ${JSON.stringify(outcome)}`);
    return { status: 201, body: reminderJson((await reminderById(tx, reminder.id))!) };
  });
}

// ---- pause and resume ----

/** Pauses the invoice's reminders until a date (from its start, in the supplier's time zone) or until resumed. 200 with the invoice. */
export async function pauseReminders(db: Db, params: ReminderActionParams): Promise<ReminderActionResult<InvoiceJson>> {
  const parsed = pauseRemindersSchema.safeParse(params.input ?? {});
  if (!parsed.success) {
    if (!isPublicId("inv", params.invoiceId)) return { ok: false, problem: NOT_FOUND };
    return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  }
  const input = parsed.data;
  return run(db, params, "POST /api/v1/invoices/{id}/reminders/pause", input, "Cannot pause reminders", async (tx, invoice, supplier, now) => {
    if (invoice.cancelledAt !== null || invoice.total <= 0 || isSettled(invoice)) throw new Refused("settled");
    const until = input.until === undefined ? null : startOfLocalDay(input.until, supplier.timeZone);
    if (input.until !== undefined && input.until <= todayIn(supplier.timeZone, now)) throw new Refused("until_not_ahead");
    const reason = input.reason ?? null;
    const { actor } = params;
    await setReminderPause(tx, supplier.id, invoice.id, { until, by: actor.actor, byId: actor.actorId, reason }, now);
    const data = { until: until?.toISOString() ?? null, reason };
    await appendEvent(tx, { ...actor, supplierId: supplier.id, invoiceId: invoice.id, customerId: invoice.customerId, type: "invoice.reminders_paused", data });
    const json = await currentJson(tx, supplier, invoice.id, now);
    await publishWebhookEvent(tx, { supplierId: supplier.id, type: "invoice.reminders_paused", payload: { invoice: json, ...data } });
    return { status: 200, body: json };
  });
}

/**
 * Ends the clerk's pause; reminders due meanwhile go out at the next scheduled run. A payer's
 * "I have paid" still running keeps them paused until its own date (the invoice shows it). Resuming
 * reminders that are not paused answers the invoice and changes nothing.
 */
export async function resumeReminders(db: Db, params: ReminderActionParams): Promise<ReminderActionResult<InvoiceJson>> {
  return run(db, params, "POST /api/v1/invoices/{id}/reminders/resume", null, "Cannot resume reminders", async (tx, invoice, supplier, now) => {
    if (!remindersPausedByClerk(invoice, now)) return { status: 200, body: await currentJson(tx, supplier, invoice.id, now) };
    await setReminderPause(tx, supplier.id, invoice.id, null, now);
    const stillReported = invoice.paymentReportedUntil !== null && invoice.paymentReportedUntil > now ? invoice.paymentReportedUntil.toISOString() : null;
    const data = { paused_at: invoice.remindersPausedAt?.toISOString() ?? null, payment_reported_until: stillReported };
    const { actor } = params;
    await appendEvent(tx, { ...actor, supplierId: supplier.id, invoiceId: invoice.id, customerId: invoice.customerId, type: "invoice.reminders_resumed", data });
    const json = await currentJson(tx, supplier, invoice.id, now);
    await publishWebhookEvent(tx, { supplierId: supplier.id, type: "invoice.reminders_resumed", payload: { invoice: json, ...data } });
    return { status: 200, body: json };
  });
}
