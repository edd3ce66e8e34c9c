// Pauses the invoice's reminders: optional body { "until": "YYYY-MM-DD", "reason": "…" }; without
// `until`, until resumed. Pausing again replaces the pause. 200 with the invoice (reminder_pause).
import { apiRoute, keyedJson } from "~/api/route.server";
import { pauseReminders } from "~/features/reminders/reminder-actions.server";

export const { loader, action } = apiRoute({
  POST: async ({ app, caller, actor, params, request, idempotencyKey, body }) => {
    const key = idempotencyKey();
    // An empty body is fine: both fields are optional.
    const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("content-type");
    const result = await pauseReminders(app.db, {
      supplierId: caller.supplierId, invoiceId: params.id ?? "", actor, idempotencyKey: key, input: hasBody ? await body() : undefined,
    });
    return result.ok ? keyedJson(result.body, result.status, result.replayed) : result;
  },
});
