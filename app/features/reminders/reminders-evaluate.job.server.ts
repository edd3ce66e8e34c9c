// `reminders.evaluate`: the scheduled reminder run (pg-boss cron, every few minutes on whichever
// worker takes it), which also announces invoices that became overdue and sends the follow-ups of
// contact-update campaigns and announces the ones that closed. Safe with any number of instances:
// each (invoice, step) is queued once, each overdue invoice, follow-up and close announced once.
import { z } from "zod";
import { defineJob } from "../../platform/jobs/registry.server";
import { announceClosedCampaigns, sendCampaignFollowUps } from "~/features/campaigns/campaigns.server";
import { announceOverdueInvoices } from "~/features/invoices/overdue.server";
import { evaluateReminders, REMINDERS_EVALUATE_JOB } from "~/features/reminders/reminders.server";

/** Every 10 minutes: working hours start on the hour, so a reminder goes out by 08:10 at the latest. */
export const REMINDERS_CRON = "*/10 * * * *";

export const remindersEvaluateJob = defineJob({
  name: REMINDERS_EVALUATE_JOB,
  schema: z.object({}).passthrough(),
  retryLimit: 2,
  retryDelay: 60,
  cron: REMINDERS_CRON,
  handle: async (_payload, services) => {
    const now = services.now?.() ?? new Date();
    const { queued } = await evaluateReminders(services.db, { now });
    const overdue = await announceOverdueInvoices(services.db, now);
    const followUps = await sendCampaignFollowUps(services.db, services.config, now);
    const closedCampaigns = await announceClosedCampaigns(services.db, now);
    if (queued.length > 0 || overdue > 0 || followUps > 0 || closedCampaigns > 0) {
      services.log.info({ queued: queued.length, overdue, followUps, closedCampaigns }, "scheduled run: reminders, overdue invoices, campaign follow-ups and closes");
    }
  },
});
