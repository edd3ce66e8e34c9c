// `reminder.send`: one job per queued reminder row (the evaluation enqueues them with the rows).
// A job that runs after the supplier's working hours puts itself off until they open again.
import { z } from "zod";
import { enqueueJob } from "../../platform/jobs/queue.server";
import { defineJob } from "../../platform/jobs/registry.server";
import { sendReminder } from "~/features/reminders/reminder-send.server";
import { REMINDER_SEND_JOB } from "~/features/reminders/reminders.server";

export const reminderSendJob = defineJob({
  name: REMINDER_SEND_JOB,
  schema: z.object({ reminderId: z.string().min(1) }),
  retryLimit: 5,
  retryDelay: 60,
  retryBackoff: true,
  handle: async ({ reminderId }, services) => {
    const outcome = await sendReminder(services.db, services.config, reminderId, services.now?.() ?? new Date());
    if (outcome.kind === "deferred") {
      await enqueueJob(services.db, REMINDER_SEND_JOB, { reminderId }, { startAfter: outcome.until });
    }
  },
});
