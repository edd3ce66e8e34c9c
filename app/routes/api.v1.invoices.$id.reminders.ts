// GET: the invoice's reminders, oldest first: each step queued, and whether it was sent (with the
// fee and interest it stated) or skipped (and why). POST: send the next reminder now (201 with it),
// or 409 naming why not. Another supplier's invoice answers like an unknown one.
import { apiRoute, keyedJson } from "~/api/route.server";
import { json, notFound } from "~/api/problem.server";
import { invoiceReminders } from "~/features/reminders/reminders.server";
import { reminderJson } from "~/features/reminders/api.json.server";
import { sendReminderNow } from "~/features/reminders/reminder-actions.server";

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params }) => {
    const reminders = await invoiceReminders(app.db, caller.supplierId, params.id ?? "");
    return reminders ? json({ data: reminders.map(reminderJson) }) : notFound("Invoice");
  },
  POST: async ({ app, caller, actor, params, idempotencyKey }) => {
    const key = idempotencyKey();
    const result = await sendReminderNow(app.db, app.config, { supplierId: caller.supplierId, invoiceId: params.id ?? "", actor, idempotencyKey: key });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
