// Ends the supplier's pause of the invoice's reminders (a payer's "I have paid" still running keeps
// them paused until its own date). 200 with the invoice; resuming unpaused reminders changes nothing.
import { apiRoute, keyedJson } from "~/api/route.server";
import { resumeReminders } from "~/features/reminders/reminder-actions.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, idempotencyKey }) => {
    const key = idempotencyKey();
    const result = await resumeReminders(app.db, { supplierId: caller.supplierId, invoiceId: params.id ?? "", actor, idempotencyKey: key });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
