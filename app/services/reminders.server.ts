// The reminder evaluation: run by operators (`npm run cli -- reminders:run`) and, later, by a
// scheduled job. It only queues reminder rows; rendering and sending them is a job of its own.
import type { DbOrTx } from "../../db/client";
import { DEFAULT_REMINDER_POLICY, WORKING_HOURS } from "~/domain/reminder-policy";
import { queueDueReminders, type QueuedReminder } from "~/models/reminders.server";

export type { QueuedReminder };

/**
 * Queues every reminder due at `now`, at most one step per invoice, each (invoice, step) once
 * however many evaluations run at the same time. One SQL statement: no per-invoice loop here.
 */
export async function evaluateReminders(db: DbOrTx, input: { now: Date }): Promise<{ queued: QueuedReminder[] }> {
  const queued = await queueDueReminders(db, { now: input.now, defaultPolicy: DEFAULT_REMINDER_POLICY, hours: WORKING_HOURS });
  return { queued };
}
