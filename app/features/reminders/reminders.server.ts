// The reminder evaluation: run on a schedule (the `reminders.evaluate` job) and by operators
// (`npm run cli -- reminders:run`). It queues reminder rows and, in the same transaction, one
// `reminder.send` job per row; rendering and sending are that job's.
import type { DbOrTx } from "../../../db/client";
import { DEFAULT_REMINDER_POLICY, WORKING_HOURS } from "~/domain/reminder-policy";
import { enqueueJobs } from "~/platform/jobs/queue.server";
import { isPublicId } from "~/domain/public-id";
import { invoiceExists } from "~/features/invoices/db/invoices.server";
import { listInvoiceReminders, queueDueReminders, type QueuedReminder, type ReminderRow } from "~/features/reminders/db/reminders.server";

export type { QueuedReminder, ReminderRow };

export const REMINDER_SEND_JOB = "reminder.send";
export const REMINDERS_EVALUATE_JOB = "reminders.evaluate";

/**
 * Queues every reminder due at `now`, at most one step per invoice, each (invoice, step) once
 * however many evaluations run at the same time. One SQL statement for the rows and one for their
 * jobs: no per-invoice loop here.
 */
export async function evaluateReminders(db: DbOrTx, input: { now: Date }): Promise<{ queued: QueuedReminder[] }> {
  return db.transaction(async (tx) => {
    const queued = await queueDueReminders(tx, { now: input.now, defaultPolicy: DEFAULT_REMINDER_POLICY, hours: WORKING_HOURS });
    await enqueueJobs(tx, REMINDER_SEND_JOB, queued.map((reminder) => ({ reminderId: reminder.reminderId })));
    return { queued };
  });
}

/** An invoice's reminders, oldest first; null when it is not this supplier's invoice. */
export async function invoiceReminders(db: DbOrTx, supplierId: string, id: string): Promise<ReminderRow[] | null> {
  if (!isPublicId("inv", id) || !(await invoiceExists(db, supplierId, id))) return null;
  return listInvoiceReminders(db, supplierId, id);
}
