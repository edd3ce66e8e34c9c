// The invoice's reminders, oldest first: each step queued, and whether it was sent (with the fee
// and interest it stated) or skipped (and why). Another supplier's invoice answers like an unknown one.
import { apiRoute } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { invoiceReminders, type ReminderRow } from "~/features/reminders/reminders.server";

function reminderJson(row: ReminderRow) {
  return {
    id: row.id,
    step: row.step,
    status: row.status,
    skip_reason: row.skipReason,
    fee: row.fee,
    interest: row.interest,
    email_id: row.emailId,
    queued_at: row.createdAt.toISOString(),
    sent_at: row.sentAt?.toISOString() ?? null,
  };
}

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const reminders = await invoiceReminders(app.db, caller.supplierId, params.id ?? "");
    return reminders ? json({ data: reminders.map(reminderJson) }) : notFound("Invoice");
  },
});
