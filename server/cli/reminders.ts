// The reminder evaluation on demand (`npm run cli -- reminders:run [--now …]`): what the worker's
// schedule runs, at a time the operator chooses; the worker then sends what it queued.
import { evaluateReminders } from "~/features/reminders/reminders.server";
import { CliError, EXIT, jsonOption as json, print, type Command, type Values } from "./support";

export const REMINDER_COMMANDS: Record<string, Command> = {
  "reminders:run": {
    args: [],
    options: { now: { type: "string" }, ...json },
    usage: "reminders:run [--now <ISO time, e.g. 2026-03-30T09:00:00+02:00>] [--json]   (queues the reminders due then; default: now)",
    check: (values) => {
      if (values.now !== undefined && instantFrom(values.now) === undefined) {
        throw new CliError("--now must be an ISO time with an offset, e.g. 2026-03-30T09:00:00+02:00 or 2026-03-30T07:00:00Z", EXIT.usage);
      }
    },
    run: async (db, values) => {
      const now = instantFrom(values.now) ?? new Date();
      const { queued } = await evaluateReminders(db, { now });
      if (values.json) {
        return print({
          now: now.toISOString(),
          queued: queued.map((reminder) => ({
            reminder_id: reminder.reminderId, supplier_id: reminder.supplierId, invoice_id: reminder.invoiceId,
            invoice_number: reminder.invoiceNumber, due_date: reminder.dueDate, step: reminder.step,
          })),
        });
      }
      console.log(`Queued ${queued.length} reminder${queued.length === 1 ? "" : "s"} at ${now.toISOString()}; the worker sends each to the billing contacts.`);
      if (queued.length > 0) console.log(`${"step".padEnd(10)}  ${"due date".padEnd(10)}  ${"invoice".padEnd(12)}  ${"invoice id".padEnd(26)}  supplier`);
      for (const reminder of queued) {
        console.log(`${reminder.step.padEnd(10)}  ${reminder.dueDate}  ${reminder.invoiceNumber.padEnd(12)}  ${reminder.invoiceId}  ${reminder.supplierId}`);
      }
      return EXIT.ok;
    },
  },
};

/** An ISO time with an explicit offset: without one, the CLI's own time zone would silently decide. */
function instantFrom(value: Values[string]): Date | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
